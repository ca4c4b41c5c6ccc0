'use client';

import { useEffect, useRef, useState } from 'react';
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

const HEIGHT = 240;
const PAD = { left: 56, right: 12, top: 10, bottom: 26 };
const PALETTE = ['#2563eb', '#c2410c', '#15803d', '#9333ea', '#0891b2', '#be123c', '#a16207'];

/** A series' name the way Prometheus prints it: metric{label="value", …}. */
export function seriesName(labels: Record<string, string>): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  return pairs.length ? `${name}{${pairs.join(', ')}}` : name || '{}';
}

function niceTicks(min: number, max: number, count: number): number[] {
  if (min === max) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step / 1e6; v += step) ticks.push(v);
  return ticks;
}

export function formatValue(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(4)}`;
}

const TIME_STEPS = [
  15_000,
  30_000,
  60_000,
  300_000,
  900_000,
  1_800_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  7 * 86_400_000,
];

/** Time ticks on round minutes and hours of the viewer's clock, about `count` of them. */
function timeTicks(start: number, end: number, count: number): number[] {
  const step =
    TIME_STEPS.find((s) => (end - start) / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const offset = new Date(start).getTimezoneOffset() * 60_000;
  const first = Math.ceil((start - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= end; t += step) ticks.push(t);
  return ticks;
}

function formatTime(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs > 2 * 86_400_000)
    return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/**
 * A hand-written SVG time-series chart: no chart library to download for a few lines. Gaps
 * (null values) break the line; thresholds and backtest intervals draw over the data.
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
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const all = [...values, ...lines.map((l) => l.value)];
  // Drawn at the element's real width, so text is never stretched by the viewBox.
  const box = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry.contentRect.width);
      if (w > 100) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  let min = all.length ? Math.min(...all) : 0;
  let max = all.length ? Math.max(...all) : 1;
  if (min === max) {
    min -= Math.abs(min) * 0.1 || 1;
    max += Math.abs(max) * 0.1 || 1;
  }
  // A little headroom, so a threshold at the top does not sit on the edge.
  max += (max - min) * 0.05;
  const span = Math.max(end - start, 1);
  const x = (t: number) => PAD.left + ((t - start) / span) * (width - PAD.left - PAD.right);
  const y = (v: number) =>
    PAD.top + (1 - (v - min) / (max - min)) * (HEIGHT - PAD.top - PAD.bottom);
  const yTicks = niceTicks(min, max, 4);
  const xTicks = timeTicks(start, end, Math.max(2, Math.floor(width / 120)));

  return (
    <figure className="chart" ref={box}>
      <svg
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={`${title}: ${series.length} series`}
        preserveAspectRatio="none"
        data-testid="chart"
        data-series={series.length}
      >
        {bands.map((b, i) => (
          <rect
            key={`band-${i}`}
            className={`chart-band chart-band-${b.tone}`}
            x={x(Math.max(b.from, start))}
            y={PAD.top}
            width={Math.max(x(Math.min(b.to, end)) - x(Math.max(b.from, start)), 1)}
            height={HEIGHT - PAD.top - PAD.bottom}
          />
        ))}
        {yTicks.map((t) => (
          <g key={`y-${t}`}>
            <line className="chart-grid" x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} />
            <text className="chart-axis" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
              {formatValue(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x-${t}`} className="chart-axis" x={x(t)} y={HEIGHT - 8} textAnchor="middle">
            {formatTime(t, span)}
          </text>
        ))}
        {series.map((s, i) => {
          let d = '';
          let pen = false;
          s.timestamps.forEach((t, j) => {
            const v = s.values[j];
            if (v === null || v === undefined) {
              pen = false;
              return;
            }
            d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
            pen = true;
          });
          // A single point would be an invisible path: draw it as a dot.
          const single = s.values.filter((v) => v !== null).length === 1;
          const color = PALETTE[i % PALETTE.length];
          return single ? (
            <circle
              key={i}
              cx={x(s.timestamps[s.values.findIndex((v) => v !== null)])}
              cy={y(s.values.find((v) => v !== null) as number)}
              r={3}
              fill={color}
            />
          ) : (
            <path
              key={i}
              d={d}
              fill="none"
              stroke={color}
              strokeWidth={1.5}
              vectorEffect="non-scaling-stroke"
            />
          );
        })}
        {lines.map((l) => (
          <g key={`${l.tone}-${l.value}`}>
            <line
              className={`chart-threshold chart-threshold-${l.tone}`}
              x1={PAD.left}
              x2={width - PAD.right}
              y1={y(l.value)}
              y2={y(l.value)}
            />
            <text
              className="chart-axis"
              x={width - PAD.right - 4}
              y={y(l.value) - 4}
              textAnchor="end"
            >
              {l.label} {formatValue(l.value)}
            </text>
          </g>
        ))}
      </svg>
      {series.length > 0 ? (
        <figcaption>
          <ul className="chart-legend">
            {series.slice(0, 12).map((s, i) => (
              <li key={i}>
                <span
                  className="swatch"
                  style={{ background: PALETTE[i % PALETTE.length] }}
                  aria-hidden="true"
                />
                <code>{seriesName(s.labels)}</code>
              </li>
            ))}
            {series.length > 12 ? <li className="muted">and {series.length - 12} more</li> : null}
          </ul>
        </figcaption>
      ) : null}
    </figure>
  );
}
