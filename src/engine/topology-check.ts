// A drill states the control-plane topologies it is right on; on any other, its setup refuses before any fault.
import { describeShape, topologyOf, type ControlPlaneShape, type Topology } from '../kube/control-plane-shape.ts';

export class TopologyError extends Error {
  readonly code = 'UNSUPPORTED_TOPOLOGY';
  constructor(message: string) {
    super(message);
    this.name = 'TopologyError';
  }
}

const WHY_NOT_HA =
  'On a highly available control plane another instance takes over (or quorum holds), so its expectations would ' +
  'fail for the wrong reason, and a restore could be destructive';

/** Throws TopologyError naming the drill, what it supports and what the cluster is, if the drill is not right here. */
export function checkTopology(drill: string, supported: readonly Topology[], shape: ControlPlaneShape): Topology {
  const topology = topologyOf(shape);
  if (supported.includes(topology)) return topology;
  const reason = topology === 'ha-control-plane' ? `${WHY_NOT_HA}. ` : '';
  throw new TopologyError(
    `drill ${drill} supports ${supported.join(' and ')} only, and this cluster is ${topology} (${describeShape(shape)}). ` +
      `${reason}Refused before any fault; nothing was changed.`,
  );
}
