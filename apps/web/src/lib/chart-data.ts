import type { ChartSeries } from '../graphql/operations';

/** Every series on one sorted time axis (seconds, as uPlot wants); a missing sample is a gap. */
export function alignSeries(series: ChartSeries[]): [number[], ...(number | null)[][]] {
  const times = [...new Set(series.flatMap((s) => s.timestamps))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column: (number | null)[] = new Array<number | null>(times.length).fill(null);
    s.timestamps.forEach((t, j) => (column[at.get(t) as number] = s.values[j] ?? null));
    return column;
  });
  return [times.map((t) => t / 1000), ...columns];
}

/** The y range: the data and every threshold line, with headroom so a line is not on the edge. */
export function yRange(
  dataMin: number | null,
  dataMax: number | null,
  lines: number[],
): [number, number] {
  const all = [dataMin, dataMax, ...lines].filter(
    (v): v is number => v !== null && Number.isFinite(v),
  );
  let min = all.length ? Math.min(...all) : 0;
  let max = all.length ? Math.max(...all) : 1;
  if (min === max) {
    min -= Math.abs(min) * 0.1 || 1;
    max += Math.abs(max) * 0.1 || 1;
  }
  return [min, max + (max - min) * 0.05];
}
