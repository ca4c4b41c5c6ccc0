'use client';

import type { ChartSeries, DashboardPanel } from '../graphql/operations';
import { formatValue, LineChart, seriesName } from './line-chart';

function lastValue(series: ChartSeries): number | null {
  for (let i = series.values.length - 1; i >= 0; i -= 1)
    if (series.values[i] !== null) return series.values[i];
  return null;
}

function withUnit(v: number, unit?: string): string {
  if (unit === 'percent') return `${formatValue(v)}%`;
  if (unit === 'percentunit') return `${formatValue(v * 100)}%`;
  return unit ? `${formatValue(v)} ${unit}` : formatValue(v);
}

function Stat({ series, unit }: { series: ChartSeries[]; unit?: string }) {
  const v = series[0] ? lastValue(series[0]) : null;
  return (
    <p className="stat panel-stat" data-testid="panel-stat">
      {v === null ? '—' : withUnit(v, unit)}
    </p>
  );
}

function Gauge({
  series,
  min = 0,
  max = 100,
  unit,
}: {
  series: ChartSeries[];
  min?: number;
  max?: number;
  unit?: string;
}) {
  const v = series[0] ? lastValue(series[0]) : null;
  const share = v === null || max <= min ? 0 : Math.min(1, Math.max(0, (v - min) / (max - min)));
  // A half circle from the left (min) to the right (max).
  const angle = Math.PI * (1 - share);
  const x = 60 + 50 * Math.cos(angle);
  const y = 60 - 50 * Math.sin(angle);
  return (
    <svg
      viewBox="0 0 120 72"
      className="gauge"
      role="img"
      aria-label={`${v === null ? 'no value' : withUnit(v, unit)} of ${max}`}
    >
      <path d="M10,60 A50,50 0 0 1 110,60" className="gauge-track" />
      {v !== null ? (
        <path d={`M10,60 A50,50 0 0 1 ${x.toFixed(2)},${y.toFixed(2)}`} className="gauge-value" />
      ) : null}
      <text x="60" y="58" textAnchor="middle" className="gauge-text">
        {v === null ? '—' : withUnit(v, unit)}
      </text>
    </svg>
  );
}

function Table({ series, unit }: { series: ChartSeries[]; unit?: string }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {series.slice(0, 200).map((s, i) => {
            const v = lastValue(s);
            return (
              <tr key={i}>
                <td>
                  <code>{seriesName(s.labels)}</code>
                </td>
                <td>{v === null ? '—' : withUnit(v, unit)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Histogram buckets (series with `le`) as rows, time as columns, count as colour strength. */
function Heatmap({ series }: { series: ChartSeries[] }) {
  const rows = [...series].sort(
    (a, b) => Number(a.labels.le ?? Infinity) - Number(b.labels.le ?? Infinity),
  );
  const max = Math.max(
    1e-9,
    ...rows.flatMap((s) => s.values.filter((v): v is number => v !== null)),
  );
  const cols = Math.max(1, ...rows.map((s) => s.values.length));
  return (
    <svg
      viewBox={`0 0 ${cols} ${rows.length || 1}`}
      preserveAspectRatio="none"
      className="heatmap"
      role="img"
      aria-label={`Heatmap of ${rows.length} buckets`}
    >
      {rows.map((s, r) =>
        s.values.map((v, c) =>
          v === null ? null : (
            <rect
              key={`${r}-${c}`}
              x={c}
              y={rows.length - 1 - r}
              width={1}
              height={1}
              className="heat-cell"
              opacity={0.1 + 0.9 * (v / max)}
            />
          ),
        ),
      )}
    </svg>
  );
}

/** One panel's body for already-fetched data. */
export function PanelBody({
  panel,
  series,
  start,
  end,
}: {
  panel: DashboardPanel;
  series: ChartSeries[];
  start: number;
  end: number;
}) {
  if (series.length === 0)
    return <p className="empty small">No data for this query in the range.</p>;
  switch (panel.type) {
    case 'stat':
      return <Stat series={series} unit={panel.unit} />;
    case 'gauge':
      return <Gauge series={series} min={panel.min} max={panel.max} unit={panel.unit} />;
    case 'table':
      return <Table series={series} unit={panel.unit} />;
    case 'heatmap':
      return <Heatmap series={series} />;
    default:
      return (
        <LineChart title={panel.title || panel.query} series={series} start={start} end={end} />
      );
  }
}
