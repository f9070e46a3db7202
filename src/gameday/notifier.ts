// Sends game-day messages to a Slack-compatible webhook, in order, retrying with backoff; a failure is logged, never thrown.
import { MASK, redactText } from '../engine/redact.ts';

export interface GameDayMessage {
  event: 'started' | 'drill-end' | 'aborted' | 'finished';
  /** The plan's name. */
  plan: string;
  verdict?: string;
  drill?: string;
  /** Key timings: name → seconds. */
  timings?: Record<string, number>;
  /** The report's path or URL. */
  report?: string;
  reason?: string;
}

export interface Notifier {
  /** Queues the message; resolves once it is delivered or given up on. Never rejects. */
  send(message: GameDayMessage): Promise<void>;
  /** Resolves once every message sent so far is delivered or given up on. */
  flush(): Promise<void>;
}

export interface NotifierOptions {
  /** Attempts per message (default 4). */
  attempts?: number;
  /** Wait before the second attempt, doubled before each further one (default 500 ms: 0.5 s, 1 s, 2 s). */
  backoffMs?: number;
  /** Each request's limit (default 5 s). */
  timeoutMs?: number;
}

/** The Slack-compatible body: a plain text line, and the same as a section block with the timings as fields. */
export function webhookBody(message: GameDayMessage): { text: string; blocks: unknown[] } {
  // Slack reads &, < and > as markup in text and mrkdwn.
  const escape = (text: string) => redactText(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const what = {
    started: 'started',
    'drill-end': `drill ${message.drill ?? '?'} ended`,
    aborted: 'aborted',
    finished: 'finished',
  }[message.event];
  const timings = Object.entries(message.timings ?? {}).map(([name, seconds]) => `${name} ${Number(seconds.toFixed(1))} s`);
  const parts = [
    `Game day "${message.plan}": ${what}`,
    message.verdict ? `verdict ${message.verdict}` : undefined,
    message.reason ? `reason: ${message.reason}` : undefined,
    timings.length > 0 ? `timings: ${timings.join(', ')}` : undefined,
    message.report ? `report: ${message.report}` : undefined,
  ].filter((part): part is string => part !== undefined);
  const text = escape(parts.join(' — '));
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (timings.length > 0) blocks.push({ type: 'section', fields: timings.slice(0, 10).map((timing) => ({ type: 'mrkdwn', text: escape(timing) })) });
  return { text, blocks };
}

/** Why one attempt failed, in words that never hold the URL; `retry` false when another attempt cannot help. */
type Attempt = { ok: true } | { ok: false; why: string; retry: boolean };

async function post(url: string, body: string, timeoutMs: number): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const err = error as Error & { cause?: { code?: string } };
    if (err.name === 'TimeoutError') return { ok: false, why: `no answer within ${timeoutMs / 1000} s`, retry: true };
    return { ok: false, why: err.cause?.code ?? err.message, retry: true };
  }
  const excerpt = (await response.text().catch(() => '')).trim().slice(0, 120);
  if (response.ok) return { ok: true };
  const why = `HTTP ${response.status}${excerpt ? ` ${JSON.stringify(excerpt)}` : ''}`;
  // A request the receiver rejects as such (bad payload, unknown hook) fails the same way again; 408 and 429 heal.
  return { ok: false, why, retry: response.status >= 500 || response.status === 408 || response.status === 429 };
}

/** A notifier for the webhook at `url`; without one, messages go nowhere. `log` gets one plain line per failure. */
export function createNotifier(url: string | undefined, log: (line: string) => void, options: NotifierOptions = {}): Notifier {
  const attempts = options.attempts ?? 4;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 5000;
  // The URL is a secret: whatever a failure says, it never reaches the log.
  const say = (line: string) => log(redactText(url ? line.replaceAll(url, MASK) : line));
  let valid = false;
  if (url !== undefined) {
    valid = /^https?:\/\/[^\s]+$/i.test(url) && URL.canParse(url);
    if (!valid) say('notifications: the webhook URL in the environment is not an http(s) URL; no message will be sent');
  }
  let queue: Promise<void> = Promise.resolve();

  async function deliver(message: GameDayMessage): Promise<void> {
    if (!url || !valid) return;
    const body = JSON.stringify(webhookBody(message));
    const label = `notification "${message.event}"${message.drill ? ` (${message.drill})` : ''}`;
    for (let attempt = 1; ; attempt++) {
      const result = await post(url, body, timeoutMs);
      if (result.ok) return;
      if (!result.retry || attempt >= attempts) {
        say(`${label} not delivered after ${attempt} attempt${attempt > 1 ? 's' : ''} (${result.why}); the game day goes on`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
    }
  }

  return {
    send(message) {
      const delivered = queue.then(() => deliver(message)).catch((error: unknown) => say(`notification "${message.event}" failed: ${(error as Error).message}`));
      queue = delivered;
      return delivered;
    },
    flush: () => queue,
  };
}
