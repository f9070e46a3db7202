// junit.xml for CI systems: a testsuite per drill, a testcase per mocha test or failed hook, the verdict as properties.
import { escapeText as x } from './escape.ts';
import type { DrillReport, RunReport, TestRecord } from './report-types.ts';

/** Errors that mean "the cluster did not behave as expected" are failures; anything else is an error. */
const FAILURE_NAMES = new Set(['AssertionError', 'ExpectationError', 'ProbeTimeoutError']);

const secondsAttr = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

export function junitXml(report: RunReport): string {
  const suites = report.drills.map((drill) => suite(drill, report));
  const total = (key: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((sum, entry) => sum + entry.counts[key], 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${x(`kube-firedrill ${report.runId}`)}" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}" time="${secondsAttr(report.durationMs)}" timestamp="${x(report.startedAt)}">
${suites.map((entry) => entry.xml).join('')}</testsuites>
`;
}

function suite(drill: DrillReport, report: RunReport) {
  const cases = drill.tests.map((test) => testCase(drill.name, test));
  if (drill.outcome === 'incomplete' && !drill.tests.some((test) => test.state === 'failed' || test.state === 'unfinished')) {
    cases.push(testCase(drill.name, { title: 'drill ends', fullTitle: `${drill.name} drill ends`, state: 'unfinished' }));
  }
  const counts = {
    tests: cases.length,
    failures: cases.filter((entry) => entry.kind === 'failure').length,
    errors: cases.filter((entry) => entry.kind === 'error').length,
    skipped: cases.filter((entry) => entry.kind === 'skipped').length,
  };
  const properties: [string, string][] = [
    ['verdict', drill.outcome],
    ['restored', String(drill.restored)],
    ['run.id', report.runId],
    ['run.verdict', report.verdict],
    ['run.partial', String(report.partial)],
    ...(report.cluster ? [['cluster', report.cluster.name] as [string, string]] : []),
    ...(report.profile ? [['profile', report.profile] as [string, string]] : []),
    ...drill.expectations.map((expectation): [string, string] => [`expectation: ${expectation.name}`, `${expectation.ok ? 'held' : 'FAILED'}: ${expectation.measured} (bound: ${expectation.bound})`]),
    ...drill.faults.filter((fault) => fault.restored !== true).map((fault): [string, string] => [`not restored: ${fault.fault}`, fault.manualFix ?? fault.error ?? 'no restore recorded']),
  ];
  const xml = `  <testsuite name="${x(drill.name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${secondsAttr(drill.durationMs)}" timestamp="${x(drill.startedAt)}">
    <properties>
${properties.map(([name, value]) => `      <property name="${x(name)}" value="${x(value)}"/>\n`).join('')}    </properties>
${cases.map((entry) => entry.xml).join('')}  </testsuite>
`;
  return { xml, counts };
}

function testCase(drill: string, test: TestRecord): { kind: 'passed' | 'failure' | 'error' | 'skipped'; xml: string } {
  const open = `    <testcase classname="${x(drill)}" name="${x(test.title)}" time="${secondsAttr(test.durationMs)}"`;
  if (test.state === 'passed') return { kind: 'passed', xml: `${open}/>\n` };
  if (test.state === 'pending') return { kind: 'skipped', xml: `${open}>\n      <skipped/>\n    </testcase>\n` };
  if (test.state === 'unfinished') {
    return { kind: 'error', xml: `${open}>\n      <error message="unfinished: the run was interrupted or crashed while this ran" type="Interrupted"/>\n    </testcase>\n` };
  }
  const kind = FAILURE_NAMES.has(test.error?.name ?? '') ? 'failure' : 'error';
  const message = test.error?.message ?? 'failed';
  return {
    kind,
    xml: `${open}>\n      <${kind} message="${x(message)}" type="${x(test.error?.name ?? 'Error')}">${x(test.error?.stack ?? message)}</${kind}>\n    </testcase>\n`,
  };
}
