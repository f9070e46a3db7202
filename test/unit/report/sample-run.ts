// Builds reports for the unit tests by feeding run events and test outcomes through the collector, as a run would.
import type { DrillMeta, RunEvent } from '../../../src/engine/run-events.ts';
import { RunCollector } from '../../../src/report/collector.ts';
import type { RunReport } from '../../../src/report/report-types.ts';

export const HOSTILE = '<script>alert(1)</script>';

/** An event with its time as seconds after the run started. */
type Timed<E> = E extends RunEvent ? Omit<E, 'at'> & { t: number } : never;
type EventInput = Timed<RunEvent>;

export interface SampleOptions {
  startedAt?: string;
  /** Names, messages and texts taken from the cluster or profile carry HTML. */
  hostile?: boolean;
  drills?: number;
  /** Kubernetes events spread over the drills. */
  kubeEvents?: number;
  /** The last drill's restore fails. */
  notRestored?: boolean;
  /** The first drill's expectation fails. */
  deviated?: boolean;
  /** Seconds measured by the "API recovers" expectation. */
  recoverySeconds?: number;
}

export function meta(name: string, hostile = false): DrillMeta {
  return {
    name,
    title: hostile ? `${name} ${HOSTILE}` : `${name}: a component goes down`,
    teaches: hostile ? `teaches ${HOSTILE}` : 'What Kubernetes does when a component is down.',
    faults: [hostile ? `fault ${HOSTILE}` : 'a service stopped'],
    expected: [hostile ? `expected ${HOSTILE}` : 'the API recovers within 60 s'],
    duration: 'about 1 minute',
  };
}

/** A run of `drills` drills, each: inject, observe, expect, restore, end; 60 s apart. */
export function sampleReport(options: SampleOptions = {}): RunReport {
  const start = Date.parse(options.startedAt ?? '2026-01-10T10:00:00.000Z');
  const collector = new RunCollector(new Date(start));
  const hostile = options.hostile ?? false;
  const count = options.drills ?? 2;
  const emit = (input: EventInput) => {
    const { t, ...event } = input;
    collector.record({ ...event, at: new Date(start + t * 1000).toISOString() } as RunEvent);
  };
  const name = (index: number) => (hostile && index === 0 ? `drill-${HOSTILE}` : `drill-${index + 1}`);
  emit({
    kind: 'run-info',
    drill: '',
    t: 0,
    info: { runId: `run-${start}`, profile: hostile ? `profile ${HOSTILE}` : 'lab', cluster: { name: hostile ? `cluster ${HOSTILE}` : 'lab', kubernetesVersion: 'v1.34.4', nodeCount: 3 }, runnerVersion: '0.1.0', dryRun: false },
  });
  const perDrill = Math.floor((options.kubeEvents ?? 6) / count);
  for (let index = 0; index < count; index++) {
    const drill = name(index);
    const t0 = index * 60 + 1;
    const deviated = options.deviated === true && index === 0;
    const broken = options.notRestored === true && index === count - 1;
    emit({ kind: 'drill-start', drill, t: t0, meta: meta(drill, hostile) });
    emit({ kind: 'phase', drill, t: t0 + 1, phase: 'inject' });
    emit({ kind: 'fault-injected', drill, t: t0 + 1, fault: 'stop etcd on cp-1', description: hostile ? `stop ${HOSTILE}` : 'systemctl stop etcd', host: 'cp-1' });
    emit({ kind: 'command', drill, t: t0 + 1, host: hostile ? `host-${HOSTILE}` : 'cp-1', argv: ['systemctl', 'stop', hostile ? HOSTILE : 'etcd', '--token=s3cret'], sudo: true, code: 0, durationMs: 120, dryRun: false });
    emit({ kind: 'observation', drill, t: t0 + 5, probe: 'api', text: hostile ? `API down ${HOSTILE}` : 'API down: connection refused' });
    for (let event = 0; event < perDrill; event++) {
      emit({
        kind: 'kube-event',
        drill,
        t: t0 + 2 + (event % 50),
        object: hostile ? `pod/app/${HOSTILE}` : `pod/app/web-${event % 40}`,
        reason: event % 7 === 0 ? 'BackOff' : 'NodeNotReady',
        message: hostile ? `message ${HOSTILE}` : `Back-off restarting failed container web in pod web-${event % 40}_app(${event})`,
        type: event % 7 === 0 ? 'Warning' : 'Normal',
      });
    }
    const recovery = options.recoverySeconds ?? 12.5;
    emit({ kind: 'expectation', drill, t: t0 + 20, name: 'API recovers', bound: hostile ? `bound ${HOSTILE}` : 'within 60 s', measured: `${deviated ? 75 : recovery} s`, ok: !deviated, seconds: deviated ? 75 : recovery, upperSeconds: 60 });
    emit({ kind: 'phase', drill, t: t0 + 25, phase: 'restore' });
    emit({ kind: 'fault-restored', drill, t: t0 + 26, fault: 'stop etcd on cp-1', ok: !broken, ...(broken ? { error: hostile ? `systemctl start etcd failed ${HOSTILE}` : 'systemctl start etcd failed', manualFix: 'ssh cp-1 sudo systemctl start etcd' } : {}) });
    collector.testEnded({ titlePath: [drill, 'the API recovers'], state: deviated ? 'failed' : 'passed', durationMs: 20_000, ...(deviated ? { error: { name: 'ExpectationError', message: hostile ? `expected API recovers ${HOSTILE}` : 'expected API recovers' } } : {}) }, new Date(start + (t0 + 21) * 1000));
    emit({ kind: 'drill-end', drill, t: t0 + 30, result: broken ? 'not-restored' : deviated ? 'deviated' : 'passed', restored: !broken, ...(broken ? { error: 'restore failed' } : {}) });
  }
  return collector.snapshot(new Date(start + count * 60_000 + 5_000));
}
