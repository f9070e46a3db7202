// Round tick values for the charts' axes.

const TIME_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** About `count` ticks from 0 to max (inclusive), in steps of 1, 2 or 5 × 10ⁿ. */
export function valueTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((multiple) => multiple * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  return stepsUpTo(max, step);
}

/** Ticks in seconds from 0 to maxSeconds, on steps a clock reads well (5 s, 15 s, 1 min...). */
export function timeTicks(maxSeconds: number, count = 8): number[] {
  const rough = maxSeconds / count;
  const step = TIME_STEPS_S.find((candidate) => candidate >= rough) ?? Math.ceil(rough / 3600) * 3600;
  return stepsUpTo(maxSeconds, step);
}

function stepsUpTo(max: number, step: number): number[] {
  const ticks: number[] = [];
  for (let index = 0; index * step <= max * (1 + 1e-9); index++) ticks.push(Number((index * step).toPrecision(12)));
  return ticks;
}

/** "0", "30 s", "1:30", "12:00" */
export function timeTickLabel(secondsValue: number): string {
  if (secondsValue < 60) return `${secondsValue} s`;
  return `${Math.floor(secondsValue / 60)}:${String(Math.round(secondsValue % 60)).padStart(2, '0')}`;
}
