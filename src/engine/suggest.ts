// Suggests the nearest known name for a mistyped one (edit distance).
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = candidate.includes(name) || name.includes(candidate) ? 0 : distance(name, candidate);
    if (!best || score < best.score) best = { candidate, score };
  }
  return best && best.score <= Math.max(3, Math.floor(name.length / 2)) ? best.candidate : undefined;
}
