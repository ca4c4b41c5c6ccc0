'use client';

import Link from 'next/link';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { useMutation, useQuery } from '../../../graphql/hooks';
import { ALERTS_QUERY, DELETE_RULE, RULE_GROUPS_QUERY } from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { canEditConfig } from '../../../lib/permissions';

export function RulesView() {
  const me = useMe();
  const groups = useQuery(RULE_GROUPS_QUERY, {});
  const alerts = useQuery(ALERTS_QUERY, { filter: { states: ['FIRING', 'PENDING'], limit: 1000 } });
  const remove = useMutation(DELETE_RULE);
  const edit = canEditConfig(me.role);

  const active = new Map<string, { firing: number; pending: number }>();
  for (const a of alerts.data?.alerts ?? []) {
    const c = active.get(a.ruleId) ?? { firing: 0, pending: 0 };
    if (a.state === 'FIRING') c.firing += 1;
    else c.pending += 1;
    active.set(a.ruleId, c);
  }
  const all = groups.data?.ruleGroups ?? [];

  return (
    <>
      <div className="page-header page-header-row">
        <div>
          <h1>Rules</h1>
          <p className="muted">Alerting and recording rules, evaluated every group interval.</p>
        </div>
        {edit ? (
          <Link className="button button-primary" href="/rules/new">
            New rule
          </Link>
        ) : null}
      </div>
      <ErrorMessage error={groups.error ?? remove.error} title="Could not load or change rules" />
      {!groups.data && groups.loading ? <p className="muted">Loading rules…</p> : null}
      {groups.data && all.every((g) => g.rules.length === 0) ? (
        <div className="empty">
          <p>No rules yet.</p>
          <p>
            {edit
              ? 'Create one: pick a metric, set warning and critical thresholds, and see on past data when it would have fired before you save.'
              : 'Editors, admins and owners can create rules.'}
          </p>
        </div>
      ) : null}
      {all
        .filter((g) => g.rules.length)
        .map((group) => (
          <section key={group.id} aria-labelledby={`group-${group.id}`}>
            <h2 id={`group-${group.id}`}>
              {group.name} <span className="muted small">every {group.interval}</span>
            </h2>
            {group.lastError ? (
              <p className="callout callout-error">Last evaluation failed: {group.lastError}</p>
            ) : null}
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">State</th>
                    <th scope="col">Expression</th>
                    <th scope="col">For</th>
                    {edit ? (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {group.rules.map((rule) => {
                    const c = active.get(rule.id);
                    return (
                      <tr key={rule.id} data-testid={`rule-${rule.name}`}>
                        <td>
                          <strong>{rule.name}</strong>
                          <br />
                          <span className="muted small">{rule.kind.toLowerCase()}</span>
                        </td>
                        <td>
                          {!rule.enabled ? (
                            <span className="badge">disabled</span>
                          ) : rule.lastError ? (
                            <span className="badge state-firing" title={rule.lastError}>
                              error
                            </span>
                          ) : c?.firing ? (
                            <Link href="/alerts" className="badge state-firing">
                              {c.firing} firing
                            </Link>
                          ) : c?.pending ? (
                            <span className="badge state-pending">{c.pending} pending</span>
                          ) : (
                            <span className="badge badge-ok">ok</span>
                          )}
                        </td>
                        <td>
                          <code>{rule.expr}</code>
                        </td>
                        <td>{rule.for}</td>
                        {edit ? (
                          <td className="actions button-row">
                            {rule.kind === 'ALERTING' ? (
                              <Link
                                href={`/rules/${rule.id}`}
                                className="button button-quiet"
                                aria-label={`Edit rule ${rule.name}`}
                              >
                                Edit
                              </Link>
                            ) : null}
                            <ConfirmButton
                              label="Delete"
                              confirmLabel="Delete rule"
                              accessibleName={`Delete rule ${rule.name}`}
                              onConfirm={async () => {
                                if (await remove.run({ id: rule.id })) await groups.reload();
                              }}
                            />
                          </td>
                        ) : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {group.lastEvalAt ? (
              <p className="muted small">
                Last evaluated {formatDateTime(group.lastEvalAt, me.user.timeZone)}
              </p>
            ) : null}
          </section>
        ))}
    </>
  );
}
