// A game-day plan and what a game day produces: the types the plan loader, the stop conditions, the runner and the report share.

/** Weekday names a time window uses, in a plan file. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** When a game day may run: weekdays and hours in an IANA time zone, minus blackout dates (in that zone). */
export interface TimeWindow {
  /** IANA time zone, e.g. "Europe/Berlin". */
  timeZone: string;
  weekdays: Weekday[];
  /** "HH:MM" 24-hour local times; from < to (a window does not cross midnight). */
  hours: { from: string; to: string };
  /** "YYYY-MM-DD" local dates on which no game day runs. */
  blackoutDates: string[];
}

/** A condition checked continuously during every drill; breached, it aborts the game day. */
export type StopCondition =
  | {
      kind: 'app-endpoint';
      /** Unique within the plan; names the condition in messages and the report. */
      name: string;
      url: string;
      /** Sliding window the ratio and p95 are computed over. */
      windowSeconds: number;
      /** Time between two requests. */
      intervalMs: number;
      /** Breached when the success ratio over the window falls below this (0..1). */
      minSuccessRatio?: number;
      /** Breached when the p95 latency over the window exceeds this. */
      maxP95Ms?: number;
    }
  | {
      kind: 'not-ready-nodes';
      name: string;
      /** Breached when more nodes than this are NotReady (or Unknown). */
      max: number;
    }
  | {
      kind: 'kubernetes-condition';
      name: string;
      /** The object whose status.conditions are watched, e.g. a Deployment. */
      object: { apiVersion: string; kind: string; namespace?: string; name: string };
      /** Breached when the condition of this type does not have this status (e.g. type Available, status "True"). */
      conditionType: string;
      status: 'True' | 'False' | 'Unknown';
      /** The condition may be off this long before it counts as breached. */
      graceSeconds: number;
    };

export interface PlannedDrill {
  /** A drill name, as `npm run drill -- --list` shows. */
  name: string;
  /** The drill's parameters, where it has them (see the drill's `params` in --list). */
  params: Record<string, string | number | boolean>;
}

export interface GameDayPlan {
  /** Names the plan: the report compares with the previous game day of the same name. */
  name: string;
  /** The cluster profile file, resolved against the plan file's folder. */
  profile: string;
  drills: PlannedDrill[];
  stopConditions: StopCondition[];
  window?: TimeWindow;
  blastRadius: {
    /** At most this many nodes may be affected by a drill at once. */
    maxNodesAffected: number;
    /** Profile host names a drill may touch; leave out for every host. */
    hosts?: string[];
  };
  /** What a failed gate (steady state, pending journal entries, lock) before a drill does. */
  onGateFailure: 'skip-drill' | 'stop';
  notifications?: {
    /** Name of the environment variable holding the webhook URL (never the URL itself: it is a secret). */
    webhookUrlEnv: string;
  };
}

/** One observation of a stop condition (the report draws them as a timeline). */
export interface StopConditionSample {
  condition: string;
  /** ISO timestamp. */
  at: string;
  /** The value compared with the threshold, in words, e.g. "success 97.5 % over 30 s, p95 120 ms". */
  value: string;
  ok: boolean;
}

export interface StopConditionBreach {
  condition: string;
  /** ISO timestamp of the sample that breached. */
  at: string;
  value: string;
  threshold: string;
}

/**
 * passed: every drill passed; deviated: a drill deviated or failed; aborted: a stop condition was breached;
 * refused: the window, the lock, a gate, the blast radius or the target kept some or all of the drills from running
 * (a window that closes mid-run and a gate that skips a drill leave the drills after it out); not-restored:
 * something is still broken; interrupted: a signal stopped it, after restoring.
 */
export type GameDayVerdict = 'passed' | 'deviated' | 'aborted' | 'refused' | 'not-restored' | 'interrupted';

/**
 * Exit codes of `npm run gameday` (the drill runner's where they mean the same). refused: the lock, a gate with
 * onGateFailure "stop" before the first drill, the blast radius or the target; outside-window: refused because the
 * time window is closed (its own code, so a scheduler can tell "not now" from "not safe"). interrupted: 130 on
 * SIGINT; SIGTERM and SIGHUP give 143 and 129.
 */
export const GAMEDAY_EXIT = {
  passed: 0,
  deviated: 1,
  'bad-input': 2,
  'not-restored': 3,
  'api-unreachable': 4,
  refused: 5,
  aborted: 6,
  'outside-window': 7,
  interrupted: 130,
} as const;

export interface GameDayDrillOutcome {
  name: string;
  /** A drill report's verdict, or why it did not run. */
  result: 'passed' | 'failed' | 'deviated' | 'not-restored' | 'skipped' | 'not-run' | 'aborted';
  /** Why it was skipped, not run or aborted. */
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  /** The drill's report file, relative to the game-day report's folder. */
  reportPath?: string;
  /** Key timings: expectation name → measured seconds. */
  timings: Record<string, number>;
}

/** What the game-day report is written from (saved as gameday.json next to gameday.html). */
export interface GameDayRecord {
  schemaVersion: 1;
  kind: 'gameday';
  plan: string;
  runId: string;
  startedAt: string;
  endedAt: string;
  verdict: GameDayVerdict;
  /** Why the game day was refused, aborted or interrupted. */
  reason?: string;
  cluster: { name: string; uid?: string; server?: string };
  drills: GameDayDrillOutcome[];
  samples: StopConditionSample[];
  breach?: StopConditionBreach;
  partial: boolean;
}
