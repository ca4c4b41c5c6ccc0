'use client';

import dynamic from 'next/dynamic';
import type { ChartSeries } from '../graphql/operations';

export interface ChartLine {
  value: number;
  label: string;
  tone: 'warning' | 'critical' | 'recovery';
}

export interface ChartBand {
  from: number;
  to: number;
  tone: 'firing' | 'pending';
}

export const PALETTE = [
  '#2563eb',
  '#c2410c',
  '#15803d',
  '#9333ea',
  '#0891b2',
  '#be123c',
  '#a16207',
];

/** A series' name the way Prometheus prints it: metric{label="value", …}. */
export function seriesName(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  return pairs.length ? `${name}{${pairs.join(', ')}}` : name || '{}';
}

export function formatValue(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(4)}`;
}

// uPlot is loaded only in the browser and only by pages that draw a chart.
const TimeSeriesChart = dynamic(() => import('./time-series-chart'), {
  ssr: false,
  loading: () => <div className="chart-canvas chart-loading" aria-hidden="true" />,
});

/**
 * A time-series chart (uPlot, on a canvas): gaps (null values) break the line; threshold lines
 * and backtest intervals are painted over the data, and listed under it so they are not only
 * colour on a canvas.
 */
export function LineChart({
  series,
  start,
  end,
  lines = [],
  bands = [],
  title,
}: {
  series: ChartSeries[];
  start: number;
  end: number;
  lines?: ChartLine[];
  bands?: ChartBand[];
  title: string;
}) {
  return (
    <figure
      className="chart"
      role="group"
      aria-label={`${title}: ${series.length} series`}
      data-testid="chart"
      data-series={series.length}
    >
      <TimeSeriesChart series={series} start={start} end={end} lines={lines} bands={bands} />
      {lines.length || bands.length ? (
        <figcaption>
          <ul className="chart-legend">
            {lines.map((l) => (
              <li
                key={`${l.tone}-${l.value}`}
                className={`chart-threshold chart-threshold-${l.tone}`}
              >
                <span className="swatch" aria-hidden="true" />
                {l.label} {formatValue(l.value)}
              </li>
            ))}
            {bands.length ? (
              <li className="chart-band-key">
                <span className="swatch chart-band-firing" aria-hidden="true" />
                {bands.length} firing {bands.length === 1 ? 'interval' : 'intervals'}
              </li>
            ) : null}
          </ul>
        </figcaption>
      ) : null}
    </figure>
  );
}
