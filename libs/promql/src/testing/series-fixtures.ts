import type { MemorySample } from './memory-series-reader';

/**
 * Samples every `stepMs` from `startMs`, one per entry: a number, 'stale' for a staleness
 * marker, or null for a missed scrape.
 */
export function samplesEvery(
  startMs: number,
  stepMs: number,
  values: (number | 'stale' | null)[],
): MemorySample[] {
  const out: MemorySample[] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    out.push(
      v === 'stale' ? { t: startMs + i * stepMs, stale: true } : { t: startMs + i * stepMs, v },
    );
  });
  return out;
}
