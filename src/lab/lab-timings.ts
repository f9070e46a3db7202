// The lab's timing presets: short (the default, drills finish in about a minute) or Kubernetes' own defaults.
import { LAB_TIMINGS, type LabTimings } from './components.ts';
import { LabError } from './lab-error.ts';

export type LabTimingsName = 'short' | 'default';

/**
 * Kubernetes 1.34's defaults: kube-controller-manager --node-monitor-period 5s and --node-monitor-grace-period 50s
 * (40s before 1.32), the kubelet's nodeLeaseDurationSeconds 40, kube-apiserver
 * --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds 300. The static-pod figures
 * are the lab kubelet's own behaviour and stay as they are.
 */
export const KUBERNETES_DEFAULT_TIMINGS: LabTimings = {
  ...LAB_TIMINGS,
  nodeMonitorPeriodSeconds: 5,
  nodeMonitorGracePeriodSeconds: 50,
  nodeLeaseDurationSeconds: 40,
  notReadyTolerationSeconds: 300,
  unreachableTolerationSeconds: 300,
};

export const LAB_TIMING_PRESETS: Record<LabTimingsName, LabTimings> = { short: LAB_TIMINGS, default: KUBERNETES_DEFAULT_TIMINGS };

/** The preset named on the command line; anything else is bad input (exit 2). */
export function labTimingsName(value: string): LabTimingsName {
  if (value === 'short' || value === 'default') return value;
  throw new LabError(`--timings must be "short" (shortened, the lab's default) or "default" (Kubernetes' own defaults) (got "${value}")`, 2);
}
