// Live progress on a terminal: one status line with the drill, its phase, what is awaited and the time left.
import { performance } from 'node:perf_hooks';
import { onRunEvent } from '../engine/run-events.ts';
import { activeWaits } from '../probes/wait-clock.ts';

/** Starts the status line if stderr is a terminal; returns a function that stops it. */
export function startProgressLine(): () => void {
  const stream = process.stderr;
  if (!stream.isTTY) return () => {};
  let drill = '';
  let phase = '';
  let shown = false;
  const unsubscribe = onRunEvent((event) => {
    if (event.kind === 'drill-start') drill = event.drill;
    if (event.kind === 'phase') phase = event.phase;
    if (event.kind === 'drill-end') phase = 'done';
  });
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  // Anything else printed (mocha's lines) first clears the status line, which is redrawn on the next tick.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((...args: Parameters<typeof write>) => {
    clear();
    return write(...args);
  }) as typeof process.stdout.write;
  const timer = setInterval(() => {
    const wait = activeWaits().at(-1);
    if (!drill) return;
    const left = wait ? Math.max(0, Math.ceil((wait.deadline - performance.now()) / 1000)) : 0;
    const text = `⏳ ${drill} · ${phase || 'starting'}${wait ? ` · waiting for ${wait.description} (${left} s left)` : ''}`;
    stream.write(`\r\x1b[K${text.slice(0, (stream.columns ?? 120) - 1)}`);
    shown = true;
  }, 500);
  return () => {
    clearInterval(timer);
    clear();
    unsubscribe();
    process.stdout.write = write;
  };
}
