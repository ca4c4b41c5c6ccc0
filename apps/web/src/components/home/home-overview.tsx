'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { request } from '../../graphql/client';
import { useQuery } from '../../graphql/hooks';
import { useSubscription } from '../../graphql/live';
import {
  FIRING_ALERTS_SUBSCRIPTION,
  INCIDENTS_QUERY,
  MEMBERS_QUERY,
  ON_CALL_QUERY,
  SCHEDULES_QUERY,
  USAGE_QUERY,
  ALERTS_QUERY,
  type Alert,
  type ScheduleSlot,
} from '../../graphql/operations';
import { canManageApiKeys } from '../../lib/permissions';
import { ErrorMessage } from '../error-message';
import { LiveBadge } from '../live-provider';
import { useMe } from '../me-context';
import { IngestQuickstart } from './ingest-quickstart';

function Meter({
  label,
  value,
  max,
  unit,
}: {
  label: string;
  value: number;
  max: number;
  unit: string;
}) {
  const share = max > 0 ? value / max : 0;
  return (
    <div className="field">
      <span>
        <strong>{label}</strong>{' '}
        <span className="muted">
          {value.toLocaleString('en-GB', { maximumFractionDigits: 1 })} of{' '}
          {max.toLocaleString('en-GB')} {unit}
        </span>
      </span>
      <meter
        className="meter"
        min={0}
        max={max || 1}
        value={value}
        high={max * 0.8}
        optimum={0}
        aria-label={label}
      />
      {share >= 0.8 ? (
        <p className="field-error">
          Close to the limit: samples over it are refused. Admins can raise it.
        </p>
      ) : null}
    </div>
  );
}

function OnCallNow() {
  const schedules = useQuery(SCHEDULES_QUERY, {});
  const members = useQuery(MEMBERS_QUERY, {});
  const [now, setNow] = useState<Record<string, ScheduleSlot | null>>({});
  const list = schedules.data?.schedules;
  useEffect(() => {
    if (!list) return;
    let stop = false;
    void Promise.all(
      list.slice(0, 10).map(async (s) => {
        try {
          return [s.id, (await request(ON_CALL_QUERY, { scheduleId: s.id })).onCall.now] as const;
        } catch {
          return [s.id, null] as const;
        }
      }),
    ).then((entries) => !stop && setNow(Object.fromEntries(entries)));
    return () => {
      stop = true;
    };
  }, [list]);
  const names = new Map((members.data?.members ?? []).map((m) => [m.user.id, m.user.name]));
  return (
    <section className="card" aria-labelledby="oncall-now">
      <h2 id="oncall-now">On call now</h2>
      <ErrorMessage error={schedules.error} />
      {list && list.length === 0 ? (
        <p className="muted">
          No schedules yet. Incidents page the people their escalation policy names.
        </p>
      ) : null}
      <ul className="timeline">
        {(list ?? []).slice(0, 10).map((s) => (
          <li key={s.id}>
            <strong>{s.name}</strong>:{' '}
            {now[s.id] ? (names.get(now[s.id]!.userId) ?? 'someone') : 'nobody'}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HomeOverview() {
  const me = useMe();
  const usage = useQuery(USAGE_QUERY, {});
  const initial = useQuery(ALERTS_QUERY, { filter: { states: ['FIRING'] } });
  const [firing, setFiring] = useState<Alert[]>();
  const live = useSubscription(FIRING_ALERTS_SUBSCRIPTION, (d) => setFiring(d.firingAlerts));
  const triggered = useQuery(INCIDENTS_QUERY, { status: 'TRIGGERED', first: 20 });
  const acked = useQuery(INCIDENTS_QUERY, { status: 'ACKNOWLEDGED', first: 20 });
  const alerts = firing ?? initial.data?.alerts;
  const open = [...(triggered.data?.incidents ?? []), ...(acked.data?.incidents ?? [])];
  const u = usage.data?.usage;
  const fresh = u !== undefined && u.activeSeries === 0;

  return (
    <>
      {fresh && canManageApiKeys(me.role) ? <IngestQuickstart /> : null}
      <div className="grid-2">
        <section className="card" aria-labelledby="home-firing">
          <h2 id="home-firing" className="page-header-row">
            Firing alerts <LiveBadge status={live} />
          </h2>
          {alerts === undefined ? <p className="muted">Loading…</p> : null}
          {alerts && alerts.length === 0 ? <p className="muted">Nothing is firing.</p> : null}
          {alerts && alerts.length ? (
            <>
              <p className="stat" data-testid="home-firing-count">
                {alerts.length}
              </p>
              <ul className="timeline">
                {alerts.slice(0, 8).map((a) => (
                  <li key={a.id}>
                    <Link href={`/alerts/${a.id}`}>{a.ruleName}</Link>{' '}
                    {a.severity ? (
                      <span className={`badge sev-${a.severity}`}>{a.severity}</span>
                    ) : null}
                  </li>
                ))}
              </ul>
              <Link href="/alerts">All alerts</Link>
            </>
          ) : null}
        </section>
        <section className="card" aria-labelledby="home-incidents">
          <h2 id="home-incidents">Open incidents</h2>
          <ErrorMessage error={triggered.error} />
          {triggered.data && open.length === 0 ? <p className="muted">No open incidents.</p> : null}
          {open.length ? (
            <>
              <p className="stat">{open.length}</p>
              <ul className="timeline">
                {open.slice(0, 8).map((i) => (
                  <li key={i.id}>
                    <Link href={`/incidents/${i.id}`}>
                      #{i.number} {i.title}
                    </Link>{' '}
                    <span className="muted small">{i.status.toLowerCase()}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <OnCallNow />
        <section className="card" aria-labelledby="home-usage">
          <h2 id="home-usage">Ingest usage</h2>
          <ErrorMessage error={usage.error} />
          {u ? (
            <div className="form">
              <Meter
                label="Active series"
                value={u.activeSeries}
                max={u.maxActiveSeries}
                unit="series"
              />
              <Meter
                label="Ingestion rate"
                value={u.ingestionRate}
                max={u.ingestionRateLimit}
                unit="samples/s"
              />
              {u.topMetrics.length ? (
                <p className="muted small">
                  Most series:{' '}
                  {u.topMetrics
                    .slice(0, 3)
                    .map((m) => `${m.metric} (${m.series})`)
                    .join(', ')}
                </p>
              ) : null}
            </div>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </section>
      </div>
    </>
  );
}
