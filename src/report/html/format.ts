// How times and durations read in the reports: UTC wall times, durations in the largest sensible unit.

/** "2026-11-23 08:28:05 UTC" */
export function wallTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** "850 ms", "12.4 s", "2 min 13 s", "1 h 02 min" */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A timing in seconds, e.g. "21.4 s". */
export function seconds(value: number): string {
  return `${value.toFixed(value >= 100 ? 0 : 1)} s`;
}

/** Time since the drill started: "+12.4 s", "+2:05". */
export function offset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(abs / 1000);
  return `${sign}${Math.floor(totalSeconds / 60)}:${String(totalSeconds % 60).padStart(2, '0')}`;
}

/** "etcd-down" → "drill-etcd-down", usable as an id and a #fragment. */
export function anchor(name: string): string {
  return `drill-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** "stop kubelet on worker-1", adding " on <host>" only when the fault's name does not already say it. */
export function faultName(fault: { fault: string; host?: string }): string {
  return fault.host && !fault.fault.includes(fault.host) ? `${fault.fault} on ${fault.host}` : fault.fault;
}
