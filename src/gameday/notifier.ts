// Sends game-day notifications to a Slack-compatible webhook (minimal stand-in; the notifications engineer's version replaces it).
import type { GameDayVerdict } from './plan-types.ts';

export interface GameDayMessage {
  event: 'started' | 'drill-end' | 'aborted' | 'finished';
  plan: string;
  verdict?: GameDayVerdict | string;
  drill?: string;
  timings?: Record<string, number>;
  report?: string;
  reason?: string;
}

export interface Notifier {
  send(message: GameDayMessage): void;
  /** Waits until every message was sent or given up on; never throws. */
  flush(): Promise<void>;
}

export function createNotifier(url: string, log: (line: string) => void): Notifier {
  let queue = Promise.resolve();
  const post = async (message: GameDayMessage) => {
    const text = [`game day ${message.plan}: ${message.event}`, message.drill, message.verdict, message.reason].filter(Boolean).join(' · ');
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, ...message }), signal: AbortSignal.timeout(5_000) });
        if (response.ok) return;
        throw new Error(`HTTP ${response.status}`);
      } catch (error) {
        if (attempt === 3) log(`could not send the ${message.event} notification: ${(error as Error).message}`);
        else await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  };
  return {
    send: (message) => {
      queue = queue.then(() => post(message));
    },
    flush: () => queue,
  };
}
