'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
import { useMe } from '../../../../components/me-context';
import { useQuery } from '../../../../graphql/hooks';
import { ONCALL_ANALYTICS_QUERY } from '../../../../graphql/operations';

const DAY = 86_400_000;
const PERIODS = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
];

/** 95 → "1 min 35 s"; null → "—". */
export function formatSeconds(s: number | null | undefined): string {
  if (s == null) return '—';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function OncallAnalyticsView() {
  const me = useMe();
  const [days, setDays] = useState(30);
  const [now] = useState(() => Date.now());
  const variables = useMemo(
    () => ({
      from: new Date(now - days * DAY).toISOString(),
      to: new Date(now).toISOString(),
      timeZone: me.user.timeZone,
    }),
    [now, days, me.user.timeZone],
  );
  const data = useQuery(ONCALL_ANALYTICS_QUERY, variables);
  const summary = data.data?.oncallResponseSummary;
  const people = data.data?.oncallStatsByUser ?? [];
  const sources = data.data?.noisiestIncidentSources ?? [];
  const maxHour = Math.max(1, ...(summary?.incidentsByHour ?? [0]));

  return (
    <>
      <p>
        <Link href="/oncall">← On-call</Link>
      </p>
      <div className="page-header page-header-row">
        <div>
          <h1>On-call analytics</h1>
          <p className="muted">
            Who carries the pager, how fast pages are answered, and when incidents arrive (on your
            clock, {me.user.timeZone}).
          </p>
        </div>
        <div className="field">
          <label htmlFor="analytics-period">Period</label>
          <select
            id="analytics-period"
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          >
            {PERIODS.map((p) => (
              <option key={p.days} value={p.days}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={data.error} title="Could not load on-call analytics" />
      {summary && summary.incidents === 0 ? (
        <p className="empty">
          No incidents in this period, so nothing to measure yet. Incidents open from alerts routed
          to an escalation policy (see <Link href="/notifications">Notifications</Link>) or by hand
          from <Link href="/incidents">Incidents</Link>.
        </p>
      ) : null}
      {summary && summary.incidents > 0 ? (
        <>
          <section className="card" aria-labelledby="response-heading">
            <h2 id="response-heading">Response</h2>
            <dl className="stat-grid" data-testid="response-summary">
              <div>
                <dt>Incidents</dt>
                <dd>{summary.incidents}</dd>
              </div>
              <div>
                <dt>Acknowledged</dt>
                <dd>{summary.acknowledged}</dd>
              </div>
              <div>
                <dt>Time to acknowledge, median</dt>
                <dd>{formatSeconds(summary.secondsToAckP50)}</dd>
              </div>
              <div>
                <dt>Time to acknowledge, 90th percentile</dt>
                <dd>{formatSeconds(summary.secondsToAckP90)}</dd>
              </div>
              <div>
                <dt>Time to resolve, median</dt>
                <dd>{formatSeconds(summary.secondsToResolveP50)}</dd>
              </div>
              <div>
                <dt>Out of hours (not 09:00–18:00 Mon–Fri)</dt>
                <dd>
                  {summary.outOfHoursIncidents} (
                  {Math.round((summary.outOfHoursIncidents / summary.incidents) * 100)}%)
                </dd>
              </div>
            </dl>
          </section>
          <section className="card" aria-labelledby="hours-heading">
            <h2 id="hours-heading">Incidents by hour of day</h2>
            <div className="hour-bars" role="list" aria-label="Incidents opened in each hour">
              {summary.incidentsByHour.map((n, h) => (
                <div
                  key={h}
                  role="listitem"
                  className="hour-bar"
                  aria-label={`${String(h).padStart(2, '0')}:00 — ${n} incident${n === 1 ? '' : 's'}`}
                  title={`${String(h).padStart(2, '0')}:00 — ${n}`}
                >
                  <span style={{ height: `${(n / maxHour) * 100}%` }} />
                  <small aria-hidden="true">{h % 3 === 0 ? h : ''}</small>
                </div>
              ))}
            </div>
          </section>
        </>
      ) : null}
      {people.length ? (
        <section className="card" aria-labelledby="people-heading">
          <h2 id="people-heading">Pages per person</h2>
          <div className="table-wrap">
            <table data-testid="pages-per-person">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Pages</th>
                  <th scope="col">At night (22–07)</th>
                  <th scope="col">Incidents</th>
                  <th scope="col">Acknowledged</th>
                  <th scope="col">Mean time to ack</th>
                </tr>
              </thead>
              <tbody>
                {people.map((p) => (
                  <tr key={p.key}>
                    <td>{p.name}</td>
                    <td>{p.pages}</td>
                    <td>{p.nightPages}</td>
                    <td>{p.incidents}</td>
                    <td>{p.acknowledged}</td>
                    <td>{formatSeconds(p.meanSecondsToAck)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {sources.length ? (
        <section className="card" aria-labelledby="sources-heading">
          <h2 id="sources-heading">Noisiest services and alert groups</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Incidents</th>
                  <th scope="col">Acked within 5 min</th>
                  <th scope="col">Never acknowledged</th>
                  <th scope="col">Mean time to ack</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.source}>
                    <td>
                      <code>{s.source}</code>
                    </td>
                    <td>{s.incidents}</td>
                    <td>{s.ackedQuickly}</td>
                    <td>{s.ignored}</td>
                    <td>{formatSeconds(s.meanSecondsToAck)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
