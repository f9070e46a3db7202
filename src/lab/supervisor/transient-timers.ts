// A lab host's transient timers, as `systemd-run --on-active=... --unit=NAME -- CMD` makes them: NAME.timer runs CMD
// (as the supervisor's user, root on a lab run as root) once the delay has passed; systemctl lists and stops them.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from './service-manager.ts';

interface Timer {
  unit: string;
  description: string;
  command: string[];
  dueAt: number;
  handle: NodeJS.Timeout;
}

const ok = (stdout = '', stderr = ''): CommandResult => ({ code: 0, stdout, stderr });
const fail = (code: number, stderr: string): CommandResult => ({ code, stdout: '', stderr: stderr + '\n' });

/** systemd's time spans as systemd-run takes them: "900", "900s", "15min", "1h 30min", "500ms". */
export function parseTimeSpan(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, msec: 1, '': 1000, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000 };
  const parts = text.trim().split(/\s+/);
  let total = 0;
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(part);
    const unit = match ? units[match[2] ?? ''] : undefined;
    if (!match || unit === undefined) return undefined;
    total += Number(match[1]) * unit;
  }
  return parts.length ? total : undefined;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function left(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes ? `${minutes}min ${seconds % 60}s` : `${seconds}s`;
}

export class TransientTimers {
  private readonly timers = new Map<string, Timer>();
  private readonly running = new Map<string, ChildProcess>();

  constructor(
    private readonly hostName: string,
    /** The environment a command gets on this host (its PATH first: its systemctl answers). */
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    private readonly onEvent: (message: string) => void,
  ) {}

  /** `systemd-run ARGS...`: only timers (--on-active), as kube-firedrill's self-heal uses it. */
  systemdRun(args: string[]): CommandResult {
    const options = new Map<string, string>();
    let index = 0;
    const withValue = ['--unit', '--on-active', '--description', '--timer-property', '--property', '-p', '-u'];
    for (; index < args.length; index++) {
      const arg = args[index] as string;
      if (arg === '--') {
        index++;
        break;
      }
      if (!arg.startsWith('-')) break;
      const eq = arg.indexOf('=');
      if (arg.startsWith('--') && eq > 0) options.set(arg.slice(0, eq), arg.slice(eq + 1));
      else if (withValue.includes(arg)) options.set(arg, args[++index] ?? '');
      else if (['--quiet', '-q', '--collect', '-G', '--no-block', '--system'].includes(arg)) options.set(arg, '');
      else return fail(1, `systemd-run on the lab host ${this.hostName} does not support ${arg}`);
    }
    const command = args.slice(index);
    if (command.length === 0) return fail(1, 'Command line to execute required.');
    const delay = options.get('--on-active');
    if (delay === undefined) return fail(1, `systemd-run on the lab host ${this.hostName} runs timers only: pass --on-active=SECONDS`);
    const ms = parseTimeSpan(delay);
    if (ms === undefined) return fail(1, `Failed to parse timer value: ${delay}`);
    const unit = (options.get('--unit') ?? options.get('-u') ?? `run-r${Date.now().toString(16)}`).replace(/\.(service|timer)$/, '');
    if (!/^[\w:.@-]+$/.test(unit)) return fail(1, `Invalid unit name: ${unit}`);
    if (this.timers.has(unit) || this.running.has(unit)) {
      return fail(1, `Failed to start transient timer unit: Unit ${unit}.timer was already loaded or has a fragment file.`);
    }
    const handle = setTimeout(() => this.fire(unit), ms);
    handle.unref();
    this.timers.set(unit, { unit, description: options.get('--description') ?? command.join(' '), command, dueAt: Date.now() + ms, handle });
    this.onEvent(`${this.hostName}: armed ${unit}.timer (in ${left(ms)}): ${command.join(' ')}`);
    return ok('', options.has('--quiet') || options.has('-q') ? '' : `Running timer as unit: ${unit}.timer\nWill run service as unit: ${unit}.service\n`);
  }

  private fire(unit: string): void {
    const timer = this.timers.get(unit);
    if (!timer) return;
    this.timers.delete(unit);
    const log = openSync(join(this.logDir, `${unit}.log`), 'a');
    const [file, ...args] = timer.command as [string, ...string[]];
    const child = spawn(file, args, { env: this.env, stdio: ['ignore', log, log] });
    this.running.set(unit, child);
    this.onEvent(`${this.hostName}: ${unit}.timer fired: running ${timer.command.join(' ')}`);
    const done = (how: string) => {
      this.running.delete(unit);
      this.onEvent(`${this.hostName}: ${unit}.service ${how}`);
    };
    child.on('error', (error) => done(`failed: ${error.message}`));
    child.on('exit', (code, signal) => done(code === 0 ? 'finished' : `failed (${signal ?? `exit ${code}`})`));
  }

  /** `systemctl list-timers [PATTERN...]`, in systemctl's columns. */
  listTimers(patterns: string[], flags: string[]): CommandResult {
    const matchers = patterns.map(globToRegExp);
    const timers = [...this.timers.values()]
      .filter((timer) => matchers.length === 0 || matchers.some((re) => re.test(`${timer.unit}.timer`)))
      .sort((a, b) => a.dueAt - b.dueAt);
    const rows = timers.map((timer) => [new Date(timer.dueAt).toUTCString(), `${left(timer.dueAt - Date.now())} left`, '-', '-', `${timer.unit}.timer`, `${timer.unit}.service`]);
    const header = ['NEXT', 'LEFT', 'LAST', 'PASSED', 'UNIT', 'ACTIVATES'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
    const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' ').trimEnd();
    if (flags.includes('--no-legend')) return ok(rows.map(line).join('\n') + (rows.length ? '\n' : ''));
    return ok([line(header), ...rows.map(line), '', `${rows.length} timers listed.`, ''].join('\n'));
  }

  /** systemctl verbs on NAME.timer units. */
  systemctl(verb: string, names: string[], flags: string[]): CommandResult {
    const units = names.map((name) => name.replace(/\.timer$/, ''));
    switch (verb) {
      case 'stop': {
        for (const unit of units) {
          const timer = this.timers.get(unit);
          if (!timer) return fail(5, `Failed to stop ${unit}.timer: Unit ${unit}.timer not loaded.`);
          clearTimeout(timer.handle);
          this.timers.delete(unit);
          this.onEvent(`${this.hostName}: stopped ${unit}.timer`);
        }
        return ok();
      }
      case 'is-active': {
        const states = units.map((unit) => (this.timers.has(unit) ? 'active' : 'inactive'));
        const quiet = flags.includes('--quiet') || flags.includes('-q');
        return { code: states.every((state) => state === 'active') ? 0 : 3, stdout: quiet ? '' : states.join('\n') + '\n', stderr: '' };
      }
      case 'status': {
        const timer = this.timers.get(units[0] ?? '');
        if (!timer) return fail(4, `Unit ${units[0]}.timer could not be found.`);
        return ok(`● ${timer.unit}.timer - ${timer.description}\n     Loaded: loaded (transient)\n     Active: active (waiting)\n    Trigger: ${new Date(timer.dueAt).toUTCString()}; ${left(timer.dueAt - Date.now())} left\n   Triggers: ● ${timer.unit}.service\n`);
      }
      default:
        return fail(1, `systemctl on the lab host ${this.hostName} does not support "${verb}" for timers; supported: list-timers, stop, is-active, status`);
    }
  }

  stopAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer.handle);
    this.timers.clear();
  }
}
