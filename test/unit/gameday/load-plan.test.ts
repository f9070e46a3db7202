// Game-day plan validation: good plans load with defaults; each malformed one is exit 2 naming its field, the value and what to do.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { loadPlan } from '../../../src/gameday/load-plan.ts';
import { PlanError } from '../../../src/gameday/plan-error.ts';
import { planFolder, type PlanFolder } from './plan-fixture.ts';

type Plan = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function validPlan(): Plan {
  return {
    name: 'nightly-staging',
    profile: 'profile.yaml',
    drills: ['scheduler-down', { name: 'kubelet-stopped', params: { worker: 'worker-1', minutes: 2, destructive: false } }, 'etcd-down'],
    stopConditions: [
      { kind: 'app-endpoint', name: 'app', windowSeconds: 30, intervalMs: 1000, minSuccessRatio: 0.95 },
      { kind: 'not-ready-nodes', name: 'nodes', max: 1 },
      {
        kind: 'kubernetes-condition',
        name: 'available',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'guestbook' },
        conditionType: 'Available',
        status: 'True',
        graceSeconds: 60,
      },
    ],
    window: { timeZone: 'Europe/Berlin', weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'], hours: { from: '09:00', to: '16:00' }, blackoutDates: ['2026-12-24'] },
    blastRadius: { maxNodesAffected: 1, hosts: ['worker-1', 'worker-2'] },
    onGateFailure: 'skip-drill',
    notifications: { webhookUrlEnv: 'GAMEDAY_WEBHOOK_URL' },
  };
}

describe('game-day plan validation', () => {
  let folder: PlanFolder;
  beforeEach(() => (folder = planFolder()));
  afterEach(() => folder.remove());

  function rejectsText(text: string): string {
    const file = folder.write('plan.yaml', text);
    try {
      loadPlan(file);
    } catch (error) {
      expect(error).to.be.instanceOf(PlanError);
      expect((error as PlanError).exitCode).to.equal(2);
      expect((error as Error).message).to.contain(`${file}: invalid game-day plan`);
      return (error as Error).message;
    }
    throw new Error('the plan was accepted');
  }
  const rejects = (mutate: (plan: Plan) => void) => {
    const plan = validPlan();
    mutate(plan);
    return rejectsText(stringify(plan));
  };

  it('loads a valid plan: the profile resolved against its folder, the app endpoint filled in, drills as { name, params }', () => {
    const plan = loadPlan(folder.write('plan.yaml', stringify(validPlan())));
    expect(plan.profile).to.equal(folder.profile);
    expect(plan.drills).to.deep.equal([
      { name: 'scheduler-down', params: {} },
      { name: 'kubelet-stopped', params: { worker: 'worker-1', minutes: 2, destructive: false } },
      { name: 'etcd-down', params: {} },
    ]);
    expect(plan.stopConditions[0]).to.include({ kind: 'app-endpoint', url: 'http://127.0.0.2:8080/', minSuccessRatio: 0.95 });
    expect(plan.window?.blackoutDates).to.deep.equal(['2026-12-24']);
    expect(plan.onGateFailure).to.equal('skip-drill');
    expect(plan.notifications).to.deep.equal({ webhookUrlEnv: 'GAMEDAY_WEBHOOK_URL' });
  });

  it('fills in the defaults of a minimal plan', () => {
    const plan = loadPlan(folder.write('plan.yaml', 'name: minimal\nprofile: ./profile.yaml\ndrills: [apiserver-killed]\nblastRadius: { maxNodesAffected: 2 }\n'));
    expect(plan).to.deep.equal({
      name: 'minimal',
      profile: folder.profile,
      drills: [{ name: 'apiserver-killed', params: {} }],
      stopConditions: [],
      blastRadius: { maxNodesAffected: 2 },
      onGateFailure: 'stop',
    });
  });

  it('keeps an explicit url, a window without blackout dates, and "24:00" as the end of a day', () => {
    const plan = loadPlan(
      folder.write(
        'plan.yaml',
        stringify({
          ...validPlan(),
          stopConditions: [{ kind: 'app-endpoint', name: 'app', url: 'https://app.example.com/health', windowSeconds: 10, intervalMs: 500, maxP95Ms: 800 }],
          window: { timeZone: 'UTC', weekdays: ['sat', 'sun'], hours: { from: '00:00', to: '24:00' } },
        }),
      ),
    );
    expect(plan.stopConditions[0]).to.include({ url: 'https://app.example.com/health', maxP95Ms: 800 });
    expect(plan.window).to.deep.equal({ timeZone: 'UTC', weekdays: ['sat', 'sun'], hours: { from: '00:00', to: '24:00' }, blackoutDates: [] });
  });

  const cases: [string, (plan: Plan) => void, RegExp][] = [
    ['missing name', (p) => delete p.name, / {2}- name: missing \(string expected\)/],
    ['name with a slash', (p) => (p.name = 'nightly/staging'), /name: a name of letters, digits.* \(got "nightly\/staging"\)/],
    ['misspelt top-level field', (p) => ((p.stopCondition = p.stopConditions), delete p.stopConditions), /\(top level\): unknown field "stopCondition" \(did you mean "stopConditions"\?\)/],
    ['profile that does not exist', (p) => (p.profile = 'staging.yaml'), /profile: file .*staging\.yaml does not exist \("staging\.yaml", relative to the plan's folder\)/],
    ['no drills', (p) => (p.drills = []), /drills: list at least one drill/],
    ['unknown drill, with the nearest name', (p) => (p.drills[2] = 'schedular-down'), /drills\[2\]\.name: unknown drill "schedular-down" — did you mean "scheduler-down"\?$/],
    ['drill parameter that is not a scalar', (p) => (p.drills[1].params.worker = { name: 'worker-1' }), /drills\[1\]\.params\.worker: .*not a scalar; a parameter is a string, number or boolean/],
    ['drill nothing is near', (p) => (p.drills[0] = 'reboot-everything'), /drills\[0\]\.name: unknown drill "reboot-everything"; the drills \(npm run drill -- --list\): apiserver-killed, .*scheduler-down/],
    ['a number written as a string', (p) => (p.stopConditions[0].windowSeconds = '30'), /stopConditions\[0\]\.windowSeconds: number expected, got "30"/],
    ['misspelt drill field', (p) => (p.drills[1] = { name: 'kubelet-stopped', parmas: {} }), /drills\[1\]: unknown field "parmas" \(did you mean "params"\?\)/],
    ['misspelt field of a stop condition', (p) => ((p.stopConditions[0].minSucessRatio = 0.9), delete p.stopConditions[0].minSuccessRatio), /stopConditions\[0\]: unknown field "minSucessRatio" \(did you mean "minSuccessRatio"\?\)/],
    ['webhook URL under its own key', (p) => (p.notifications = { webhookUrl: 'https://hooks.example.com/s3cr3t' }), /notifications: unknown field "webhookUrl" \(did you mean "webhookUrlEnv"\?\)/],
    ['a mapping where a scalar belongs', (p) => (p.blastRadius.maxNodesAffected = { max: 1 }), /blastRadius\.maxNodesAffected: number expected, got a mapping/],
    ['unknown stop-condition kind', (p) => (p.stopConditions[0].kind = 'app-endpont'), /stopConditions\[0\]\.kind: "app-endpont" is not a stop-condition kind \(use one of app-endpoint, not-ready-nodes, kubernetes-condition\) — did you mean "app-endpoint"\?/],
    ['stop condition without a kind', (p) => delete p.stopConditions[1].kind, /stopConditions\[1\]\.kind: missing \(use one of app-endpoint, not-ready-nodes, kubernetes-condition\)/],
    ['two stop conditions with one name', (p) => (p.stopConditions[1].name = 'app'), /stopConditions\[1\]\.name: "app" names another stop condition too; names must be unique/],
    ['success ratio above 1', (p) => (p.stopConditions[0].minSuccessRatio = 1.5), /stopConditions\[0\]\.minSuccessRatio: a ratio from 0 to 1 \(e\.g\. 0\.95\) \(got 1\.5\)/],
    ['app endpoint without a threshold', (p) => delete p.stopConditions[0].minSuccessRatio, /stopConditions\[0\]: an app-endpoint condition needs a threshold: set minSuccessRatio/],
    ['url that is not http(s)', (p) => (p.stopConditions[0].url = 'ftp://app.example.com/'), /stopConditions\[0\]\.url: "ftp:\/\/app\.example\.com\/" is not an http\(s\) URL/],
    ['window of 0 seconds', (p) => (p.stopConditions[0].windowSeconds = 0), /stopConditions\[0\]\.windowSeconds: at least 1 \(seconds\) \(got 0\)/],
    ['interval under 100 ms', (p) => (p.stopConditions[0].intervalMs = 50), /stopConditions\[0\]\.intervalMs: at least 100 \(milliseconds between two requests\) \(got 50\)/],
    ['interval longer than the window', (p) => (p.stopConditions[0].intervalMs = 60000), /stopConditions\[0\]\.intervalMs: 60000 ms between requests is longer than the window of 30 s/],
    ['negative NotReady node count', (p) => (p.stopConditions[1].max = -1), /stopConditions\[1\]\.max: a number of nodes, 0 or more \(got -1\)/],
    ['condition status as a YAML boolean', (p) => (p.stopConditions[2].status = true), /stopConditions\[2\]\.status: true is not a condition status; use "True", "False" or "Unknown" \(quoted in YAML\)/],
    ['misspelt field of the watched object', (p) => (p.stopConditions[2].object.namspace = 'default'), /stopConditions\[2\]\.object: unknown field "namspace" \(did you mean "namespace"\?\)/],
    ['negative grace period', (p) => (p.stopConditions[2].graceSeconds = -5), /stopConditions\[2\]\.graceSeconds: seconds, 0 or more \(got -5\)/],
    ['misspelt time zone', (p) => (p.window.timeZone = 'Europe/Berlim'), /window\.timeZone: "Europe\/Berlim" is not an IANA time zone — did you mean "Europe\/Berlin"\?/],
    ['time zone as an offset', (p) => (p.window.timeZone = '+01:00'), /window\.timeZone: "\+01:00" is not an IANA time zone/],
    ['weekday written out', (p) => (p.window.weekdays[0] = 'monday'), /window\.weekdays\[0\]: "monday" is not a weekday; use mon, tue, wed, thu, fri, sat, sun/],
    ['no weekdays', (p) => (p.window.weekdays = []), /window\.weekdays: list at least one weekday/],
    ['hour without a leading zero', (p) => (p.window.hours.from = '9:00'), /window\.hours\.from: "9:00" is not a 24-hour time "HH:MM"/],
    ['window that ends before it starts', (p) => (p.window.hours = { from: '16:00', to: '09:00' }), /window\.hours\.to: "09:00" is not after from "16:00"/],
    ['"24:00" as a start', (p) => (p.window.hours.from = '24:00'), /window\.hours\.from: "24:00" is not a 24-hour time/],
    ['blackout date the calendar lacks', (p) => (p.window.blackoutDates = ['2026-02-30']), /window\.blackoutDates\[0\]: "2026-02-30" is not a date "YYYY-MM-DD" the calendar has/],
    ['blackout date in another format', (p) => (p.window.blackoutDates = ['2026-12-24', '24.12.2026']), /window\.blackoutDates\[1\]: "24\.12\.2026" is not a date/],
    ['misspelt window field', (p) => ((p.window.timezone = 'UTC'), delete p.window.timeZone), /window: unknown field "timezone" \(did you mean "timeZone"\?\)/],
    ['no blast radius', (p) => delete p.blastRadius, /blastRadius: missing \(object expected\)/],
    ['node cap of 0', (p) => (p.blastRadius.maxNodesAffected = 0), /blastRadius\.maxNodesAffected: at least 1 \(nodes a drill may affect at once\) \(got 0\)/],
    ['host the profile does not have', (p) => (p.blastRadius.hosts = ['worker-1', 'worker-9']), /blastRadius\.hosts\[1\]: no host "worker-9" in the profile — did you mean "worker-1"\?/],
    ['gate failure action unknown', (p) => (p.onGateFailure = 'continue'), /onGateFailure: "continue" is not one of "skip-drill", "stop"/],
    ['webhook variable name with a dash', (p) => (p.notifications.webhookUrlEnv = 'gameday-webhook'), /notifications\.webhookUrlEnv: "gameday-webhook" is not an environment variable name/],
  ];
  for (const [title, mutate, expected] of cases) {
    it(`rejects ${title}`, () => expect(rejects(mutate)).to.match(expected));
  }

  it('rejects a webhook URL written where its variable belongs, without repeating the secret', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/s3cr3tT0k3n';
    const message = rejects((p) => (p.notifications.webhookUrlEnv = url));
    expect(message).to.match(/notifications\.webhookUrlEnv: this is a URL, not the name of an environment variable: the webhook URL is a secret, so it goes into the environment/);
    expect(message).not.to.contain('s3cr3tT0k3n');
    expect(message).not.to.contain('hooks.slack.com');
  });

  it('names every problem at once', () => {
    const message = rejects((p) => ((p.stopConditions[0].intervalMs = 1), (p.window.weekdays = ['fri', 'funday']), (p.blastRadius.maxNodesAffected = 1.5)));
    expect(message).to.match(/intervalMs/).and.to.match(/window\.weekdays\[1\]/).and.to.match(/blastRadius\.maxNodesAffected/);
  });

  it('rejects an app-endpoint condition without a url when the profile has no app endpoint', () => {
    folder.remove();
    folder = planFolder({});
    expect(rejects(() => {})).to.match(/stopConditions\[0\]\.url: missing, and the profile has no app\.endpoint to watch instead: set the URL to watch/);
  });

  it('rejects a plan whose profile is invalid, naming the profile field', () => {
    writeFileSync(join(folder.dir, 'bad-profile.yaml'), stringify({ apiVersion: 'firedrill.dev/v1', kind: 'ClusterProfile', name: 'x', cluster: { kubeconfig: '/k' }, hosts: [{ name: 'a', role: 'control-plane', address: '10.0.0.1', port: 0, user: 'u', knownHosts: '/k' }] }));
    expect(rejects((p) => (p.profile = 'bad-profile.yaml'))).to.match(/profile: .*bad-profile\.yaml: hosts\[0\]\.port/);
  });

  const texts: [string, string, RegExp][] = [
    ['text that is not YAML', 'name: [unclosed\n', /not valid YAML/],
    ['a YAML list', '- scheduler-down\n', /\(top level\): a plan is a YAML mapping with name, profile, drills, blastRadius/],
    ['an empty file', '', /\(top level\): a plan is a YAML mapping/],
    ['a key written twice', 'name: a\nname: b\nprofile: profile.yaml\ndrills: [etcd-down]\nblastRadius: { maxNodesAffected: 1 }\n', /not valid YAML: Map keys must be unique/],
    ['drills as one string', 'name: a\nprofile: profile.yaml\ndrills: etcd-down\nblastRadius: { maxNodesAffected: 1 }\n', /drills: array expected, got "etcd-down"/],
  ];
  for (const [title, text, expected] of texts) {
    it(`rejects ${title}`, () => expect(rejectsText(text)).to.match(expected));
  }

  it('rejects a plan file that does not exist', () => {
    expect(() => loadPlan(join(folder.dir, 'nope.yaml'))).to.throw(PlanError, /nope\.yaml: invalid game-day plan:\n {2}- file not found/);
  });

  it('accepts the plan README.md shows', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const shown = /## Game days\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(shown).to.be.a('string');
    copyFileSync(folder.profile, join(folder.dir, 'staging.yaml'));
    const plan = loadPlan(folder.write('readme.yaml', shown as string));
    expect(plan.drills.map((drill) => drill.name)).to.deep.equal(['scheduler-down', 'kubelet-stopped']);
    expect(plan.stopConditions).to.have.length(3);
  });

  describe('profile: lab', () => {
    const saved = process.env.FIREDRILL_LAB_DIR;
    afterEach(() => (saved === undefined ? delete process.env.FIREDRILL_LAB_DIR : (process.env.FIREDRILL_LAB_DIR = saved)));

    it('is the built-in lab\'s profile, and the documented example plan is valid for it', () => {
      process.env.FIREDRILL_LAB_DIR = folder.dir;
      const example = fileURLToPath(new URL('../../../gamedays/example.yaml', import.meta.url));
      const plan = loadPlan(example);
      expect(plan.profile).to.equal(folder.profile);
      expect(plan.drills.length).to.be.at.least(4);
      expect(plan.blastRadius).to.deep.equal({ maxNodesAffected: 1 });
      expect(plan.window?.hours).to.deep.equal({ from: '00:00', to: '24:00' });
      expect(plan.stopConditions.map((condition) => condition.kind)).to.deep.equal(['app-endpoint', 'not-ready-nodes', 'kubernetes-condition']);
      expect(plan.notifications?.webhookUrlEnv).to.equal('GAMEDAY_WEBHOOK_URL');
    });

    it('is refused, saying how to start the lab, when the lab is not running', () => {
      process.env.FIREDRILL_LAB_DIR = join(folder.dir, 'no-lab');
      expect(rejects((p) => (p.profile = 'lab'))).to.match(/profile: "lab": the built-in lab is not running \(no .*no-lab\/profile\.yaml\); start it with npm run lab -- up/);
    });
  });
});
