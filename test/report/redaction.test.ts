// Secrets never reach an output: a real mocha run with the reporter and the run log, whose drill leaks a secret of each
// kind, leaves none of them in run.log, report.json, index.html, junit.xml, stdout or stderr.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunReport } from '../../src/report/report-types.ts';
import { expectValidReport } from '../unit/report/valid-report.ts';
import { awsCredentialsText, kubeconfigText, SECRETS } from './fixtures/secrets.ts';
import { runFixture, type FixtureRun } from './run-fixture.ts';

describe('secrets in a real run', () => {
  let run: FixtureRun;
  let outputs: Record<string, string>;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kfd-secrets-'));
    writeFileSync(join(dir, 'kubeconfig'), kubeconfigText());
    writeFileSync(join(dir, 'credentials'), awsCredentialsText());
    run = await runFixture('secrets', { FIXTURE_KUBECONFIG: join(dir, 'kubeconfig'), FIXTURE_AWS_CREDENTIALS: join(dir, 'credentials') });
    const file = (name: string) => readFileSync(join(run.folder, name), 'utf8');
    outputs = { 'run.log': file('run.log'), 'report.json': file('report.json'), 'index.html': file('index.html'), 'junit.xml': file('junit.xml'), stdout: run.stdout, stderr: run.stderr };
  });

  it('ran the drill and wrote every output, with the events around each secret', () => {
    expect(run.code, run.stderr).to.equal(2);
    const report = JSON.parse(outputs['report.json'] as string) as RunReport;
    expectValidReport(report);
    expect(report.drills[0]?.commands).to.have.length(7);
    expect(outputs['run.log']).to.include('"argv":["sshpass","-p","***","ssh","node-1"]');
    expect(outputs.stdout).to.include('login refused for token ***');
    expect(outputs.stdout).to.include('Authorization: Bearer ***');
    expect(outputs['junit.xml']).to.include('login refused for token ***');
  });

  for (const [kind, secret] of Object.entries(SECRETS)) {
    it(`masks ${kind} in every output`, () => {
      const leaks = Object.entries(outputs)
        .filter(([, text]) => text.includes(secret))
        .map(([name]) => name);
      expect(leaks, `${secret} found in`).to.deep.equal([]);
    });
  }
});
