// Bounds of the etcd member drills, computed from the profile's timings (etcd's election timeout, the static-pod stop
// time, the API load balancer's checks) instead of constants: each says in its comment how.
import type { ClusterProfile } from '../profile/profile-schema.ts';

type Timings = ClusterProfile['timings'];

/** The API write sampler's interval (one write a second). */
export const WRITE_SAMPLE_INTERVAL_S = 1;
/** kube-apiserver's --etcd-healthcheck-timeout default: its /healthz fails this long after its etcd stops answering. */
const APISERVER_ETCD_HEALTHCHECK_S = 2;
/** Each restore checks over SSH that the new process runs and answers its health endpoint: a few round trips. */
const RESTORE_CHECKS_S = 5;

/**
 * A new etcd leader, from the moment the old one is gone. A follower campaigns once it has heard no heartbeat for
 * its randomized election timeout (between 1× and 2× --election-timeout); a split vote costs one more such round:
 * 4 × electionTimeout, + 1 s for the (pre-)vote round trips and etcdctl's answer. (A leader stopped gracefully hands
 * leadership over first, far sooner.)
 */
export function etcdElectionBoundSeconds(timings: Timings): number {
  return Math.ceil((4 * timings.etcdElectionTimeoutMs) / 1000) + 1;
}

/** etcd-member-down's bounds. `stopSeconds`: how long the member takes to stop (a static pod's stop time, else 0). */
export function memberDownBounds(timings: Timings, stopSeconds: number) {
  const election = etcdElectionBoundSeconds(timings);
  /** From the stop: the member gone, then a new leader elected. */
  const electionWithin = stopSeconds + election;
  /**
   * From the stop, every write succeeds again: writes through the API server beside the stopped member fail until the
   * balancer takes it out (its /healthz fails after the etcd health-check timeout, then apiLoadBalancerOutSeconds),
   * writes through the others until a new leader is elected. Counted one after the other, + 1 sample interval.
   */
  const writesBackWithin = electionWithin + APISERVER_ETCD_HEALTHCHECK_S + timings.apiLoadBalancerOutSeconds + WRITE_SAMPLE_INTERVAL_S;
  /** Sampled long enough to see writes succeed for 5 s after that bound. */
  const writeWindow = writesBackWithin + 5;
  /** Once running again (the restore waits for it), the member hears the leader and catches up: two election bounds. */
  const rejoinWithin = 2 * election;
  return { electionWithin, writesBackWithin, writeWindow, rejoinWithin };
}

/**
 * etcd-quorum-lost's bounds. `stopSeconds`: how long a member takes to stop, or to start again once restored (a
 * static pod's stop time: the kubelet's file check period; 0 for a service); `stopped`: how many members it stops.
 */
export function quorumLostBounds(timings: Timings, stopSeconds: number, stopped: number) {
  const election = etcdElectionBoundSeconds(timings);
  /**
   * From the second stop, every write fails: the members are gone within the stop time; the last write sent before
   * may still commit, the next is sent within a sample interval; the leader left alone steps down within an
   * election timeout (check-quorum) and writes are then refused rather than left hanging; + 1 sample interval.
   */
  const writesFailWithin = stopSeconds + 2 * WRITE_SAMPLE_INTERVAL_S + Math.ceil(timings.etcdElectionTimeoutMs / 1000);
  /** Sampled long enough to see 7 s of failures after that bound. */
  const writeWindow = writesFailWithin + 7;
  /**
   * From the start of the restore, a write is accepted again: each member restored in turn (it starts within the stop
   * time and the restore checks it over SSH), a leader elected, each API server's etcd health check passing again,
   * and the balancer taking the API servers back in (apiLoadBalancerInSeconds).
   */
  const apiBackWithin = stopped * (stopSeconds + RESTORE_CHECKS_S) + election + APISERVER_ETCD_HEALTHCHECK_S + timings.apiLoadBalancerInSeconds;
  return { writesFailWithin, writeWindow, apiBackWithin };
}
