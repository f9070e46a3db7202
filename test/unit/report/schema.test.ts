// report.json's JSON Schema: a valid draft 2020-12 schema of the current version, that reports of every kind match.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import { RunCollector } from '../../../src/report/collector.ts';
import { REPORT_SCHEMA_VERSION } from '../../../src/report/report-types.ts';
import { checkReport } from '../../../src/report/report-schema.ts';
import { meta, sampleReport } from './sample-run.ts';
import { expectValidReport } from './valid-report.ts';

const schema = JSON.parse(readFileSync(new URL('../../../src/report/report.schema.json', import.meta.url), 'utf8')) as { $schema: string; properties: { schemaVersion: { const: number } } };


describe('report schema', () => {
  it('is a draft 2020-12 schema that ajv compiles in strict mode, for the current schemaVersion', () => {
    expect(schema.$schema).to.equal('https://json-schema.org/draft/2020-12/schema');
    expect(() => new Ajv2020({ strict: true, validateFormats: false }).compile(schema)).not.to.throw();
    expect(schema.properties.schemaVersion.const).to.equal(REPORT_SCHEMA_VERSION);
  });

  it('matches a complete run, a deviated one, a not-restored one and a hostile one', () => {
    expectValidReport(sampleReport());
    expectValidReport(sampleReport({ deviated: true, kubeEvents: 500 }));
    expectValidReport(sampleReport({ notRestored: true }));
    expectValidReport(sampleReport({ hostile: true }));
  });

  it('matches a partial run, a plain mocha suite and a run that never connected', () => {
    const collector = new RunCollector(new Date('2026-01-10T10:00:00.000Z'));
    collector.record({ kind: 'drill-start', drill: 'etcd-down', at: '2026-01-10T10:00:01.000Z', meta: meta('etcd-down') });
    collector.record({ kind: 'fault-injected', drill: 'etcd-down', at: '2026-01-10T10:00:02.000Z', fault: 'stop etcd', description: 'systemctl stop etcd' });
    collector.testStarted(['etcd-down', 'the API fails'], new Date('2026-01-10T10:00:02.500Z'));
    collector.testEnded({ titlePath: ['plain', 'a test'], state: 'passed', durationMs: 3 });
    collector.testEnded({ titlePath: ['plain', 'a skipped test'], state: 'pending' });
    const report = collector.snapshot(new Date('2026-01-10T10:00:09.000Z'), ['interrupted by SIGINT']);
    expectValidReport(report);
    expect(report.partial).to.equal(true);
    expectValidReport(new RunCollector().snapshot());
  });

  it('rejects foreign or malformed documents, naming the JSON path', () => {
    expect(checkReport({ name: 'kube-firedrill', version: '0.1.0' })).to.deep.equal({ error: "/ must have required property 'schemaVersion'" });
    const report = sampleReport() as unknown as { drills: { outcome: string }[] };
    (report.drills[0] as { outcome: string }).outcome = 'exploded';
    expect(checkReport(report)).to.deep.equal({ error: '/drills/0/outcome must be equal to one of the allowed values' });
    expect(checkReport({ ...sampleReport(), startedAt: 'yesterday' })).to.have.property('error').that.matches(/^\/startedAt must match pattern/);
    expect(checkReport({ ...sampleReport(), extra: 1 })).to.deep.equal({ error: '/ must NOT have additional properties' });
  });
});
