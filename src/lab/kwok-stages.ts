// The kwok stages each lab kubelet runs: kwok's own defaults, plus the status resync a real kubelet does after a restart.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * When a node comes back, the node-lifecycle controller has marked its pods not Ready; a real kubelet then reports its
 * still-running containers as Ready again. kwok's default stages only make Pending pods Ready, so this stage does it.
 */
const POD_READY_AGAIN = `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-ready-again
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values:
      - 'Running'
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'In'
      values:
      - 'False'
  delay:
    durationMilliseconds: 1000
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Initialized
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: ContainersReady
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: PodScheduled
`;

/** kwok's default pod stages wait 1 s plus up to 5 s of jitter each; the lab keeps the 1 s and cuts the jitter to 1 s. */
const LAB_JITTER_MS = 1_000;

export function writeKwokStages(labDir: string, upstreamStages: string): string {
  const dir = join(labDir, 'kwok');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'stages.yaml');
  const upstream = readFileSync(upstreamStages, 'utf8').replace(/jitterDurationMilliseconds: 5000/g, `jitterDurationMilliseconds: ${LAB_JITTER_MS}`);
  writeFileSync(path, `${upstream.trimEnd()}\n---\n${POD_READY_AGAIN}`);
  return path;
}
