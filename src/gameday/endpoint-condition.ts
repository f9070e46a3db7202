// The app-endpoint stop condition: requests the URL every intervalMs and judges the sliding window after each answer.
import { HttpSampler } from '../probes/http-sampler.ts';
import type { StopCondition } from './plan-types.ts';
import type { CheckContext, RunningCheck } from './condition-check.ts';
import { describeLimits, EndpointWindow, requestsToJudge } from './endpoint-window.ts';

type EndpointCondition = Extract<StopCondition, { kind: 'app-endpoint' }>;

/** A request that takes longer fails: the interval, but at least 1 s and at most 5 s. */
export const requestTimeoutMs = (intervalMs: number) => Math.min(5_000, Math.max(1_000, intervalMs));

/** 2xx and 3xx are served; 4xx, 5xx, errors and timeouts are not. */
const served = (status: number) => status >= 200 && status < 400;

export function checkAppEndpoint(condition: EndpointCondition, context: CheckContext): RunningCheck {
  const window = new EndpointWindow(condition);
  let requests = 0;
  let stopped = false;
  const sampler = new HttpSampler(condition.url, condition.intervalMs, requestTimeoutMs(condition.intervalMs), {
    retain: false,
    isSuccess: served,
    now: context.now,
    onSample: (sample) => {
      if (stopped) return;
      requests += 1;
      window.add(sample);
      const judgement = window.judge(context.now());
      if (judgement.judged) context.evaluated({ ok: judgement.ok, value: judgement.value });
    },
  });
  if (!URL.canParse(condition.url) || !['http:', 'https:'].includes(new URL(condition.url).protocol)) {
    setImmediate(() => context.failed(new Error(`url ${JSON.stringify(condition.url)} is not an http(s) URL`)));
    return { threshold: describeLimits(condition), pending: () => 'not an http(s) URL', stop: async () => {} };
  }
  sampler.start();
  return {
    threshold: describeLimits(condition),
    pending: () => `${requests} of the ${requestsToJudge(condition)} requests needed to judge have been answered`,
    stop: async () => {
      stopped = true;
      await sampler.stop();
    },
  };
}
