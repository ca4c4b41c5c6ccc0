'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
import { LineChart, type ChartBand, type ChartLine } from '../../../../components/line-chart';
import { useMe } from '../../../../components/me-context';
import { SilenceForm } from '../../../../components/silence-form';
import { useQuery } from '../../../../graphql/hooks';
import {
  ALERT_QUERY,
  QUERY_RANGE,
  RULE_QUERY,
  type AlertWithHistory,
} from '../../../../graphql/operations';
import { formatDateTime } from '../../../../lib/format';
import { matchersFromLabels } from '../../../../lib/matchers';
import { AlertStateBadge } from '../alerts-view';

const HOUR = 3_600_000;

interface ThresholdCondition {
  kind: string;
  query?: string;
  warning?: { threshold: number; recovery?: number };
  critical?: { threshold: number; recovery?: number };
}

function thresholdLines(condition: ThresholdCondition | null | undefined): ChartLine[] {
  if (condition?.kind !== 'threshold') return [];
  const lines: ChartLine[] = [];
  if (condition.warning)
    lines.push({ value: condition.warning.threshold, label: 'warning', tone: 'warning' });
  if (condition.critical)
    lines.push({ value: condition.critical.threshold, label: 'critical', tone: 'critical' });
  return lines;
}

/** A decision's detail in a line a person can read: its short scalar fields, name=value. */
function describe(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail as Record<string, unknown>)
    .filter(
      ([, v]) =>
        v !== null && v !== '' && (typeof v !== 'object' || (Array.isArray(v) && v.length > 0)),
    )
    .filter(([k]) => !/hash|Ms$/.test(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

/** The window around the firing: an hour before it started, until half an hour after it ended. */
function windowOf(alert: AlertWithHistory): { start: number; end: number } {
  const began = Date.parse(alert.firedAt ?? alert.activeSince ?? alert.lastEval);
  const ended = alert.resolvedAt ? Date.parse(alert.resolvedAt) + HOUR / 2 : Date.now();
  return { start: began - HOUR, end: Math.min(Date.now(), Math.max(ended, began + HOUR / 4)) };
}

/** Pending and firing stretches from the history (newest first) as chart bands. */
function bandsOf(alert: AlertWithHistory, end: number): ChartBand[] {
  const entries = [...alert.history].reverse();
  const bands: ChartBand[] = [];
  entries.forEach((entry, i) => {
    if (entry.to !== 'FIRING' && entry.to !== 'PENDING') return;
    const next = entries[i + 1];
    bands.push({
      from: Date.parse(entry.at),
      to: next ? Date.parse(next.at) : end,
      tone: entry.to === 'FIRING' ? 'firing' : 'pending',
    });
  });
  return bands;
}

export function AlertDetail({ id }: { id: string }) {
  const me = useMe();
  const tz = me.user.timeZone;
  const result = useQuery(ALERT_QUERY, { id });
  const alert = result.data?.alert;
  const rule = useQuery(RULE_QUERY, { id: alert?.ruleId ?? '' }, { skip: !alert });
  const range = useMemo(() => (alert ? windowOf(alert) : { start: 0, end: 0 }), [alert]);
  // A builder rule charts the query it compares with its thresholds; a PromQL rule its expression.
  const condition = rule.data?.rule.condition as ThresholdCondition | null | undefined;
  const chartQuery = condition?.query ?? rule.data?.rule.expr ?? '';
  const chart = useQuery(QUERY_RANGE, { query: chartQuery, range }, { skip: !rule.data || !alert });
  const [silencing, setSilencing] = useState(false);
  const [notice, setNotice] = useState('');

  if (result.error)
    return (
      <>
        <h1>Alert</h1>
        <ErrorMessage error={result.error} title="Could not load this alert" />
        <Link href="/alerts">Back to alerts</Link>
      </>
    );
  if (!alert || !result.data) return <p className="muted">Loading the alert…</p>;
  const explanation = result.data.explainAlert;

  // The rule's expression may return many series; keep the one this alert is about when the
  // labels let us find it.
  const series = (chart.data?.queryRange.series ?? []).filter((s) =>
    Object.entries(s.labels).every(
      ([k, v]) => k === '__name__' || alert.labels[k] === undefined || alert.labels[k] === v,
    ),
  );

  return (
    <>
      <p>
        <Link href="/alerts">← Alerts</Link>
      </p>
      <div className="page-header page-header-row">
        <div>
          <h1>
            {alert.ruleName} <AlertStateBadge state={alert.state} />
          </h1>
          <p className="labels">
            {Object.entries(alert.labels).map(([k, v]) => (
              <code key={k} className="label-pill">
                {k}={v}
              </code>
            ))}
          </p>
        </div>
        <button
          type="button"
          className="button"
          aria-expanded={silencing}
          onClick={() => setSilencing(!silencing)}
        >
          Silence
        </button>
      </div>
      {silencing ? (
        <section className="card">
          <SilenceForm
            initialMatchers={matchersFromLabels(alert.labels)}
            onCancel={() => setSilencing(false)}
            onCreated={(s) => {
              setSilencing(false);
              setNotice(`Silenced until ${formatDateTime(s.endsAt, tz)}.`);
            }}
          />
        </section>
      ) : null}
      {notice ? (
        <div className="callout callout-success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {Object.keys(alert.annotations).length ? (
        <dl className="facts">
          {Object.entries(alert.annotations).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}

      <section className="card" aria-labelledby="alert-chart">
        <h2 id="alert-chart">Around the firing</h2>
        {rule.data ? (
          <p className="muted">
            <code>{chartQuery}</code>
          </p>
        ) : null}
        <ErrorMessage error={rule.error ?? chart.error} title="Could not draw the chart" />
        {chart.data ? (
          series.length ? (
            <LineChart
              title={alert.ruleName}
              series={series}
              start={range.start}
              end={range.end}
              bands={bandsOf(alert, range.end)}
              lines={thresholdLines(condition)}
            />
          ) : (
            <p className="empty">
              The rule&apos;s query has no data in this window any more (retention, or the series
              stopped).
            </p>
          )
        ) : (
          <p className="muted">Loading the chart…</p>
        )}
      </section>

      <section className="card" aria-labelledby="alert-why">
        <h2 id="alert-why">Why it did or did not notify</h2>
        <p data-testid="alert-explanation">{explanation.summary}</p>
        {explanation.decisions.length ? (
          <ol className="timeline">
            {explanation.decisions.map((d, i) => (
              <li key={i}>
                <span className="muted small">{formatDateTime(d.at, tz)}</span>{' '}
                <strong>{d.kind}</strong> <span className="small">{describe(d.detail)}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">
            No routing decisions yet. Alerts reach people through the notification policy and its
            channels.
          </p>
        )}
      </section>

      <section aria-labelledby="alert-history">
        <h2 id="alert-history">History</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {alert.history.map((h) => (
                <tr key={h.id}>
                  <td>{formatDateTime(h.at, tz)}</td>
                  <td>{h.from.toLowerCase()}</td>
                  <td>
                    {h.to.toLowerCase()}
                    {h.flapping ? ' (flapping)' : ''}
                  </td>
                  <td>{h.value ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
