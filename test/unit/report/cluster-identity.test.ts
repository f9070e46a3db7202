// The report names which cluster a run acted on: context, server URL and kube-system UID, in report.json and the page header.
import { expect } from 'chai';
import { RunCollector } from '../../../src/report/collector.ts';
import { runPage } from '../../../src/report/html/run-page.ts';
import { expectValidReport } from './valid-report.ts';

describe('cluster identity in the report', () => {
  it('is recorded from the run info, valid against the schema, and shown in the header', () => {
    const collector = new RunCollector(new Date('2026-01-10T10:00:00.000Z'));
    const cluster = { name: 'staging', context: 'staging-admin', server: 'https://api.staging.example.com:6443', uid: '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f', kubernetesVersion: 'v1.34.4', nodeCount: 5 };
    collector.record({ kind: 'run-info', drill: '', at: '2026-01-10T10:00:00.500Z', info: { runId: 'r1', profile: 'staging', cluster, runnerVersion: '0.1.0', dryRun: false } });
    const report = collector.snapshot(new Date('2026-01-10T10:00:09.000Z'));
    expectValidReport(report);
    expect(report.cluster).to.deep.equal(cluster);
    expect(runPage(report)).to.include('staging · context staging-admin · https://api.staging.example.com:6443 · UID 4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f · Kubernetes v1.34.4 · 5 nodes');
  });
});
