'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { LiveBadge } from '../../../components/live-provider';
import { useMe } from '../../../components/me-context';
import { SilenceForm } from '../../../components/silence-form';
import { useQuery } from '../../../graphql/hooks';
import { useSubscription } from '../../../graphql/live';
import {
  ALERT_STATES,
  ALERT_TRANSITIONS_SUBSCRIPTION,
  ALERTS_QUERY,
  type Alert,
  type AlertState,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { matchersFromLabels, parseLabelFilter } from '../../../lib/matchers';

const SEVERITIES = ['critical', 'warning', 'info'];

export function AlertStateBadge({ state }: { state: AlertState }) {
  return <span className={`badge state-${state.toLowerCase()}`}>{state.toLowerCase()}</span>;
}

export function AlertsView() {
  const me = useMe();
  const [states, setStates] = useState<AlertState[]>(['FIRING', 'PENDING']);
  const [severity, setSeverity] = useState('');
  const [labelText, setLabelText] = useState('');
  const [groupBy, setGroupBy] = useState('');
  const [silencing, setSilencing] = useState<string | null>(null);
  const [notice, setNotice] = useState('');

  const parsed = parseLabelFilter(labelText);
  const labelError = typeof parsed === 'string' ? parsed : '';
  const filter = {
    states,
    severities: severity ? [severity] : undefined,
    labels: typeof parsed === 'string' || Object.keys(parsed).length === 0 ? undefined : parsed,
  };
  const alerts = useQuery(ALERTS_QUERY, { filter }, { skip: states.length === 0 });

  // Every transition re-reads the list with the current filters: the server applies them, and a
  // burst of transitions (a rule with many series) costs one request, not one per event.
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const { reload } = alerts;
  const onTransition = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void reload(), 250);
  }, [reload]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const live = useSubscription(ALERT_TRANSITIONS_SUBSCRIPTION, onTransition);

  const list = alerts.data?.alerts ?? [];
  const labelNames = useMemo(
    () => [...new Set(list.flatMap((a) => Object.keys(a.labels)))].sort(),
    [list],
  );
  const groups = useMemo(() => {
    if (!groupBy) return [{ key: '', alerts: list }];
    const byKey = new Map<string, Alert[]>();
    for (const alert of list) {
      const key = alert.labels[groupBy] ?? '';
      byKey.set(key, [...(byKey.get(key) ?? []), alert]);
    }
    return [...byKey.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, alerts]) => ({ key, alerts }));
  }, [list, groupBy]);

  return (
    <>
      <div className="page-header page-header-row">
        <div>
          <h1>Alerts</h1>
          <p className="muted">Alert instances from your rules, updated as they change.</p>
        </div>
        <LiveBadge status={live} />
      </div>

      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter alerts">
        <fieldset className="field">
          <legend>State</legend>
          <div className="check-row">
            {ALERT_STATES.map((state) => (
              <label key={state} className="check">
                <input
                  type="checkbox"
                  checked={states.includes(state)}
                  onChange={(e) =>
                    setStates((s) =>
                      e.target.checked ? [...s, state] : s.filter((x) => x !== state),
                    )
                  }
                />
                {state.toLowerCase()}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="alert-severity">Severity</label>
          <select
            id="alert-severity"
            value={severity}
            onChange={(e) => setSeverity(e.target.value)}
          >
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="alert-labels">Labels</label>
          <input
            id="alert-labels"
            className="mono"
            placeholder="env=prod, team=db"
            value={labelText}
            onChange={(e) => setLabelText(e.target.value)}
            aria-invalid={labelError ? true : undefined}
            aria-describedby="alert-labels-hint"
          />
          <p className={labelError ? 'field-error' : 'hint'} id="alert-labels-hint">
            {labelError || 'Every pair must match exactly.'}
          </p>
        </div>
        <div className="field">
          <label htmlFor="alert-group">Group by</label>
          <select id="alert-group" value={groupBy} onChange={(e) => setGroupBy(e.target.value)}>
            <option value="">No grouping</option>
            {labelNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </form>

      {notice ? (
        <div className="callout callout-success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <ErrorMessage error={alerts.error} title="Could not load alerts" />
      {states.length === 0 ? (
        <p className="empty">Choose at least one state to see alerts.</p>
      ) : null}
      {alerts.data && list.length === 0 ? (
        <div className="empty" data-testid="alerts-empty">
          <p>No alerts match.</p>
          <p>
            Nothing is firing. Alerts appear here by themselves when a rule&apos;s condition holds —{' '}
            <Link href="/rules">create a rule</Link> if you have none yet.
          </p>
        </div>
      ) : null}
      {!alerts.data && alerts.loading ? <p className="muted">Loading alerts…</p> : null}

      {list.length > 0
        ? groups.map((group) => (
            <section
              key={group.key}
              aria-label={groupBy ? `${groupBy}=${group.key || '(none)'}` : 'Alerts'}
            >
              {groupBy ? (
                <h2>
                  <code>
                    {groupBy}={group.key || '(none)'}
                  </code>{' '}
                  <span className="badge">{group.alerts.length}</span>
                </h2>
              ) : null}
              <ul className="item-list" data-testid="alert-list">
                {group.alerts.map((alert) => (
                  <li key={alert.id} className="item" data-testid={`alert-${alert.ruleName}`}>
                    <div className="item-main">
                      <div className="item-title">
                        <AlertStateBadge state={alert.state} />
                        {alert.severity ? (
                          <span className={`badge sev-${alert.severity}`}>{alert.severity}</span>
                        ) : null}
                        <Link href={`/alerts/${alert.id}`}>{alert.ruleName}</Link>
                        {alert.flapping ? <span className="badge">flapping</span> : null}
                      </div>
                      <p className="labels">
                        {Object.entries(alert.labels)
                          .filter(([k]) => k !== 'alertname')
                          .map(([k, v]) => (
                            <code key={k} className="label-pill">
                              {k}={v}
                            </code>
                          ))}
                      </p>
                      {alert.annotations.summary ? <p>{alert.annotations.summary}</p> : null}
                      <p className="muted small">
                        Since{' '}
                        {formatDateTime(alert.activeSince ?? alert.lastEval, me.user.timeZone)}
                        {alert.lastValue !== null ? ` · value ${alert.lastValue}` : ''}
                      </p>
                    </div>
                    <div className="item-actions">
                      <button
                        type="button"
                        className="button"
                        aria-expanded={silencing === alert.id}
                        onClick={() => setSilencing(silencing === alert.id ? null : alert.id)}
                      >
                        Silence
                      </button>
                    </div>
                    {silencing === alert.id ? (
                      <div className="item-extra">
                        <SilenceForm
                          initialMatchers={matchersFromLabels(alert.labels)}
                          onCancel={() => setSilencing(null)}
                          onCreated={(s) => {
                            setSilencing(null);
                            setNotice(
                              `Silenced ${s.matchersText} until ${formatDateTime(s.endsAt, me.user.timeZone)}.`,
                            );
                          }}
                        />
                      </div>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))
        : null}
    </>
  );
}
