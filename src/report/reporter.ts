// The kube-firedrill mocha reporter (mocha --reporter ./src/report/reporter.ts [--reporter-option dir=DIR]): spec output,
// then the run's report.json, index.html and junit.xml, the history page, and a verdict per drill on the console.
import Mocha from 'mocha';
import { redactDeep, redactText } from '../engine/redact.ts';
import { onRunEvent } from '../engine/run-events.ts';
import { setActiveReport } from './active-report.ts';
import { RunCollector, type TestOutcome } from './collector.ts';
import { consoleSummary, type Tone } from './console-summary.ts';
import { rebuildHistory } from './history.ts';
import { reportsDir } from './reports-dir.ts';
import { writeRun, type WrittenRun } from './write-run.ts';

const { Base, Spec } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_TEST_BEGIN, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

const COLOR: Record<Tone, string> = { pass: 'checkmark', fail: 'fail', warn: 'medium', muted: 'light' };

/** Exit codes of the drill CLI after an interrupt. */
const SIGNAL_CODES: Record<number, string> = { 129: 'SIGHUP', 130: 'SIGINT', 143: 'SIGTERM' };

/** Mocha prints a failure's message and stack at the end of the run: mask secrets in them before it does. */
function redactError(error: unknown): void {
  if (!(error instanceof Error)) return;
  error.message = redactText(error.message);
  if (error.stack) error.stack = redactText(error.stack);
  // An assertion's diff shows its actual and expected values.
  const diff = error as Error & { actual?: unknown; expected?: unknown };
  if (diff.actual !== undefined) diff.actual = redactDeep(diff.actual);
  if (diff.expected !== undefined) diff.expected = redactDeep(diff.expected);
}

function errorOf(error: unknown): TestOutcome['error'] {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}

export default class FiredrillReporter extends Spec {
  /** What the last write produced, for tests and callers that run mocha programmatically. */
  written: WrittenRun | undefined;
  private readonly root: string;
  private readonly collector = new RunCollector();
  private readonly partialReasons: string[] = [];
  private changedSinceWrite = true;

  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    this.root = reportsDir((options?.reporterOptions as { dir?: string } | undefined)?.dir);
    const unsubscribe = onRunEvent((event) => this.changed(() => this.collector.record(event)));
    // The process exits before the run ends (an interrupt handler's process.exit, a crash): write what there is,
    // unless a partial report was just written (writePartialReports) and nothing happened since.
    const onExit = (code: number) => {
      if (this.partialReasons.length > 0 && !this.changedSinceWrite) return;
      const signal = SIGNAL_CODES[code];
      this.write(this.partialReasons.length > 0 ? undefined : signal ? `interrupted by ${signal}` : `the process exited (code ${code}) before the run ended`);
    };
    process.once('exit', onExit);
    setActiveReport((reason) => this.write(reason)?.html);

    runner.on(EVENT_TEST_BEGIN, (test) => this.changed(() => this.collector.testStarted(test.titlePath())));
    runner.on(EVENT_TEST_PASS, (test) => this.changed(() => this.collector.testEnded({ titlePath: test.titlePath(), state: 'passed', durationMs: test.duration })));
    runner.on(EVENT_TEST_PENDING, (test) => this.changed(() => this.collector.testEnded({ titlePath: test.titlePath(), state: 'pending' })));
    runner.on(EVENT_TEST_FAIL, (test, error) => {
      redactError(error);
      this.changed(() => this.collector.testEnded({ titlePath: test.titlePath(), state: 'failed', durationMs: test.duration, error: errorOf(error) }));
    });
    // Registered after Spec's own listener: the summary comes after mocha's epilogue.
    runner.once(EVENT_RUN_END, () => {
      unsubscribe();
      process.off('exit', onExit);
      setActiveReport(undefined);
      this.write();
    });
  }

  private changed(record: () => void): void {
    record();
    this.changedSinceWrite = true;
  }

  /** Writes the report as collected so far; a reason marks it partial. Never throws: it warns. */
  private write(partialReason?: string): WrittenRun | undefined {
    if (partialReason && !this.partialReasons.includes(partialReason)) this.partialReasons.push(partialReason);
    this.changedSinceWrite = false;
    const report = redactDeep(this.collector.snapshot(new Date(), this.partialReasons));
    const warn = (line: string) => process.stderr.write(`firedrill report: ${line}\n`);
    let history: string | undefined;
    try {
      this.written = writeRun(report, this.root, warn);
    } catch (error) {
      warn(`no report was written: ${(error as Error).message}`);
      return undefined;
    }
    try {
      history = rebuildHistory(this.written.root, warn).file;
    } catch (error) {
      warn(`could not rebuild the history in ${this.written.root}: ${(error as Error).message}`);
    }
    Base.consoleLog();
    for (const line of consoleSummary(report, { html: this.written.html, history }, (tone, text) => Base.color(COLOR[tone], text))) Base.consoleLog(line);
    Base.consoleLog();
    return this.written;
  }
}
