'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  DELIVERIES_QUERY,
  NOTIFICATION_POLICY_QUERY,
  ROUTE_TEST,
  UPDATE_NOTIFICATION_POLICY,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { parseLabelFilter } from '../../../lib/matchers';
import { canEditConfig } from '../../../lib/permissions';
import { MaintenanceWindows } from './maintenance-windows';

interface RouteNode {
  receiver?: string;
  matchers?: unknown;
  continue?: boolean;
  groupBy?: string[];
  routes?: RouteNode[];
}

/** The route tree drawn as nested lists, so the policy reads at a glance before editing JSON. */
function RouteTree({ route, id }: { route: RouteNode; id: string }) {
  const matchers = Array.isArray(route.matchers) ? route.matchers.map(String).join(', ') : '';
  return (
    <li>
      <code>{id === '0' ? 'root' : matchers || '{}'}</code> →{' '}
      <strong>{route.receiver ?? '(inherited)'}</strong>
      {route.groupBy?.length ? (
        <span className="muted small"> · group by {route.groupBy.join(', ')}</span>
      ) : null}
      {route.continue ? <span className="badge">continue</span> : null}
      {route.routes?.length ? (
        <ul className="tree">
          {route.routes.map((r, i) => (
            <RouteTree key={i} route={r} id={`${id}.${i}`} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function NotificationsView() {
  const me = useMe();
  const edit = canEditConfig(me.role);
  const policy = useQuery(NOTIFICATION_POLICY_QUERY, {});
  const save = useMutation(UPDATE_NOTIFICATION_POLICY);
  const deliveries = useQuery(DELIVERIES_QUERY, { first: 50 });
  const routeTest = useMutation(ROUTE_TEST);
  const [text, setText] = useState('');
  const [jsonError, setJsonError] = useState('');
  const [saved, setSaved] = useState(false);
  const [labels, setLabels] = useState('alertname=HighCPU, severity=critical');
  const [matches, setMatches] = useState<Awaited<ReturnType<typeof routeTest.run>>>();

  useEffect(() => {
    if (policy.data) setText(JSON.stringify(policy.data.notificationPolicy.document, null, 2));
  }, [policy.data]);

  let parsed: { route?: RouteNode } | null = null;
  try {
    parsed = text ? (JSON.parse(text) as { route?: RouteNode }) : null;
  } catch {
    parsed = null;
  }

  async function savePolicy(event: FormEvent) {
    event.preventDefault();
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (e) {
      setJsonError(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    setJsonError('');
    setSaved(false);
    if (await save.run({ document })) {
      setSaved(true);
      await policy.reload();
    }
  }

  async function test(event: FormEvent) {
    event.preventDefault();
    const l = parseLabelFilter(labels);
    if (typeof l === 'string') return;
    setMatches(await routeTest.run({ labels: l }));
  }

  const labelError =
    typeof parseLabelFilter(labels) === 'string' ? (parseLabelFilter(labels) as string) : '';
  return (
    <>
      <div className="page-header">
        <h1>Notifications</h1>
        <p className="muted">
          The policy routes alerts to receivers (<Link href="/channels">channels</Link> and
          escalation policies); silences, maintenance windows and the delivery log show what
          happened.
        </p>
      </div>

      <section className="card" aria-labelledby="policy-heading">
        <h2 id="policy-heading">Notification policy</h2>
        <ErrorMessage error={policy.error} />
        {policy.data?.notificationPolicy.version === 0 ? (
          <p className="callout callout-warning">
            The default policy notifies nobody. Add a receiver with your channel ids and save.
          </p>
        ) : null}
        {parsed?.route ? (
          <ul className="tree" aria-label="Route tree">
            <RouteTree route={parsed.route} id="0" />
          </ul>
        ) : null}
        <form className="form" onSubmit={savePolicy}>
          <div className="field">
            <label htmlFor="policy-json">Policy document (JSON)</label>
            <textarea
              id="policy-json"
              className="mono"
              rows={14}
              spellCheck={false}
              readOnly={!edit}
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-describedby="policy-hint"
            />
            <p className={jsonError ? 'field-error' : 'hint'} id="policy-hint">
              {jsonError ||
                '{ route: { receiver, matchers: ["severity=\\"critical\\""], groupBy, routes: [...] }, receivers: [{ name, channelIds, escalationPolicyId }] }'}
            </p>
          </div>
          <ErrorMessage error={save.error} title="The policy was not saved" />
          {saved ? (
            <p role="status" className="small">
              Saved.
            </p>
          ) : null}
          {edit ? (
            <button type="submit" className="button button-primary" disabled={save.pending}>
              Save policy
            </button>
          ) : null}
        </form>
        <form className="form-inline" onSubmit={test}>
          <div className="field grow">
            <label htmlFor="route-test-labels">Test the routing of an alert with labels</label>
            <input
              id="route-test-labels"
              className="mono"
              value={labels}
              onChange={(e) => setLabels(e.target.value)}
              aria-invalid={labelError ? true : undefined}
            />
            {labelError ? <p className="field-error">{labelError}</p> : null}
          </div>
          <button type="submit" className="button">
            Test route
          </button>
        </form>
        <ErrorMessage error={routeTest.error} />
        {matches ? (
          <ul className="timeline" role="status">
            {matches.routeTest.map((m) => (
              <li key={m.id}>
                Route {m.id} <code>{m.matchers}</code> → <strong>{m.receiver}</strong> (
                {m.channelIds.length} channel
                {m.channelIds.length === 1 ? '' : 's'}
                {m.escalationPolicyId ? ', escalation policy' : ''}) · group by{' '}
                {m.groupBy.join(', ') || 'nothing'}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <MaintenanceWindows canEdit={edit} timeZone={me.user.timeZone} />

      <section aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Delivery log</h2>
        <ErrorMessage error={deliveries.error} />
        {deliveries.data?.deliveries.nodes.length === 0 ? (
          <p className="empty">Nothing sent yet. Send a test from a channel to see it here.</p>
        ) : null}
        {deliveries.data?.deliveries.nodes.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">To</th>
                  <th scope="col">What</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.deliveries.nodes.map((d) => (
                  <tr key={d.id}>
                    <td className="nowrap">{formatDateTime(d.createdAt, me.user.timeZone)}</td>
                    <td>{d.channel?.name ?? d.target ?? d.kind}</td>
                    <td>{d.summary}</td>
                    <td>
                      <span
                        className={`badge ${d.status === 'delivered' ? 'badge-ok' : d.status === 'failed' ? 'state-firing' : ''}`}
                      >
                        {d.status}
                      </span>
                      {d.lastError ? <span className="small muted"> {d.lastError}</span> : null}
                    </td>
                    <td>{d.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}
