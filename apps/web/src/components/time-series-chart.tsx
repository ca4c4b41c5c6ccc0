'use client';

import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartSeries } from '../graphql/operations';
import { alignSeries, yRange } from '../lib/chart-data';
import { formatValue, PALETTE, seriesName, type ChartBand, type ChartLine } from './line-chart';

const HEIGHT = 240;

const TIME_FORMAT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

/** Axis labels on the viewer's 24-hour clock; days once the range spans more than two. */
function formatTime(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs > 2 * 86_400_000)
    return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

function latest(values: (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i -= 1) if (values[i] !== null) return values[i];
  return null;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

const TONES: Record<ChartLine['tone'] | ChartBand['tone'], [string, string]> = {
  critical: ['--danger', '#b91c1c'],
  firing: ['--danger', '#b91c1c'],
  warning: ['--warn-border', '#f59e0b'],
  pending: ['--warn-border', '#f59e0b'],
  recovery: ['--ok', '#15803d'],
};
const tone = (t: keyof typeof TONES) => cssVar(...TONES[t]);

/** Follows the OS colour scheme, so the canvas (which CSS cannot restyle) is redrawn on a switch. */
function useColorScheme(): string {
  const [scheme, setScheme] = useState('light');
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setScheme(query.matches ? 'dark' : 'light');
    update();
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return scheme;
}

/**
 * The uPlot chart behind LineChart: canvas drawing, a live legend that reads out every series'
 * value under the cursor, threshold lines and backtest bands painted on the same canvas, and
 * the width of its box (redrawn on resize).
 */
export default function TimeSeriesChart({
  series,
  start,
  end,
  lines = [],
  bands = [],
}: {
  series: ChartSeries[];
  start: number;
  end: number;
  lines?: ChartLine[];
  bands?: ChartBand[];
}) {
  const host = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();
  // Callers pass fresh arrays on every render; the chart is rebuilt only when their content changes.
  const overlays = JSON.stringify({ lines, bands, start, end });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const { lines, bands, start, end } = JSON.parse(overlays) as {
      lines: ChartLine[];
      bands: ChartBand[];
      start: number;
      end: number;
    };
    const muted = cssVar('--muted', '#5b6470');
    const border = cssVar('--border', '#d9dde3');
    const axis = {
      stroke: muted,
      grid: { stroke: border, width: 1 },
      ticks: { stroke: border, width: 1 },
      font: '11px system-ui, sans-serif',
    };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height: HEIGHT,
      scales: {
        x: { time: true, range: () => [start / 1000, end / 1000] },
        y: {
          range: (_u, min, max) =>
            yRange(
              min,
              max,
              lines.map((l) => l.value),
            ),
        },
      },
      axes: [
        { ...axis, values: (_u, splits) => splits.map((t) => formatTime(t * 1000, end - start)) },
        { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatValue(v)) },
      ],
      series: [
        {
          label: 'Time',
          // Away from the cursor the legend shows each series' latest value.
          value: (_u: uPlot, t: number | null, _s: number, idx: number | null) =>
            idx === null
              ? 'latest'
              : t === null
                ? '–'
                : new Date(t * 1000).toLocaleString('en-GB', TIME_FORMAT),
        },
        ...series.map((s, i) => ({
          label: seriesName(s.labels),
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => {
            const shown = idx === null ? latest(s.values) : v;
            return shown === null ? '–' : formatValue(shown);
          },
          // A lone sample is no line at all: draw it as a dot.
          points: { show: s.values.filter((v) => v !== null).length === 1 || undefined },
        })),
      ],
      legend: { live: true },
      hooks: {
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            ctx.save();
            ctx.globalAlpha = 0.14;
            for (const b of bands) {
              const from = u.valToPos(Math.max(b.from, start) / 1000, 'x', true);
              const to = u.valToPos(Math.min(b.to, end) / 1000, 'x', true);
              ctx.fillStyle = tone(b.tone);
              ctx.fillRect(from, bbox.top, Math.max(to - from, 1), bbox.height);
            }
            ctx.restore();
          },
        ],
        draw: [
          (u) => {
            const { ctx, bbox } = u;
            ctx.save();
            ctx.setLineDash([6, 4]);
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
            ctx.textAlign = 'right';
            for (const l of lines) {
              const y = Math.round(u.valToPos(l.value, 'y', true));
              ctx.strokeStyle = ctx.fillStyle = tone(l.tone);
              ctx.beginPath();
              ctx.moveTo(bbox.left, y);
              ctx.lineTo(bbox.left + bbox.width, y);
              ctx.stroke();
              ctx.fillText(
                `${l.label} ${formatValue(l.value)}`,
                bbox.left + bbox.width - 4,
                y - 4 * devicePixelRatio,
              );
            }
            ctx.restore();
          },
        ],
      },
    };
    const chart = new uPlot(opts, alignSeries(series) as uPlot.AlignedData, el);
    const observer =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(([entry]) => {
            const width = Math.round(entry.contentRect.width);
            if (width > 100 && width !== chart.width) chart.setSize({ width, height: HEIGHT });
          });
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      chart.destroy();
    };
  }, [series, overlays, scheme]);

  return <div ref={host} className="chart-canvas" />;
}
