// junit.xml: well-formed whatever the text, a testsuite per drill, a testcase per test, failures with messages.
import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { RunCollector } from '../../../src/report/collector.ts';
import { junitXml } from '../../../src/report/junit.ts';
import { HOSTILE, meta, sampleReport } from './sample-run.ts';

interface Case {
  '@_name': string;
  failure?: { '@_message': string; '@_type': string };
  error?: { '@_message': string };
  skipped?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  properties: { property: { '@_name': string; '@_value': string }[] };
  testcase: Case[];
}

function parse(xml: string): { testsuites: { '@_tests': string; testsuite: Suite[] } } {
  const valid = XMLValidator.validate(xml);
  expect(valid, valid === true ? '' : JSON.stringify(valid)).to.equal(true);
  return new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml);
}

describe('junit.xml', () => {
  it('has a testsuite per drill with the verdict as properties and a testcase per test', () => {
    const xml = junitXml(sampleReport({ drills: 3, deviated: true, notRestored: true }));
    const { testsuites } = parse(xml);
    expect(testsuites['@_tests']).to.equal('3');
    expect(testsuites.testsuite.map((suite) => suite['@_name'])).to.deep.equal(['drill-1', 'drill-2', 'drill-3']);
    const [deviated, , broken] = testsuites.testsuite as [Suite, Suite, Suite];
    expect(deviated['@_failures']).to.equal('1');
    expect(deviated.testcase[0]?.failure).to.deep.include({ '@_type': 'ExpectationError', '@_message': 'expected API recovers' });
    const property = (suite: Suite, name: string) => suite.properties.property.find((entry) => entry['@_name'] === name)?.['@_value'];
    expect(property(deviated, 'verdict')).to.equal('deviated');
    expect(property(deviated, 'expectation: API recovers')).to.equal('FAILED: 75 s (bound: within 60 s)');
    expect(property(broken, 'verdict')).to.equal('not-restored');
    expect(property(broken, 'restored')).to.equal('false');
    expect(property(broken, 'not restored: stop etcd on cp-1')).to.equal('ssh cp-1 sudo systemctl start etcd');
  });

  it('stays well-formed with markup, quotes, terminal colours and control characters in the text', () => {
    const report = sampleReport({ hostile: true, deviated: true });
    const test = report.drills[0]?.tests[0];
    if (test?.error) test.error.stack = `\u001b[31mAssertionError\u001b[0m: "a" & 'b' <c> \u0000\u0008 ]]> ${HOSTILE}`;
    const xml = junitXml(report);
    parse(xml);
    expect(xml).not.to.include(HOSTILE);
    expect(xml).not.to.include('\u001b');
  });

  it('reports an interrupted drill and its running test as errors', () => {
    const collector = new RunCollector();
    collector.record({ kind: 'drill-start', drill: 'etcd-down', at: new Date().toISOString(), meta: meta('etcd-down') });
    collector.testStarted(['etcd-down', 'the API fails']);
    const { testsuites } = parse(junitXml(collector.snapshot(new Date(), ['interrupted by SIGINT'])));
    expect(testsuites.testsuite[0]?.['@_errors']).to.equal('1');
    expect(testsuites.testsuite[0]?.testcase[0]?.error?.['@_message']).to.match(/^unfinished/);
  });
});
