'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
import { useMe } from '../../../../components/me-context';
import { useQuery } from '../../../../graphql/hooks';
import { AUDIT_LOG_QUERY, type AuditLogEntry } from '../../../../graphql/operations';
import { formatDateTime } from '../../../../lib/format';
import { canReadAuditLog } from '../../../../lib/permissions';

const PAGE_SIZE = 25;

function actorLabel(entry: AuditLogEntry): string {
  if (entry.actor) return `${entry.actor.name} <${entry.actor.email}>`;
  if (entry.apiKeyId) return `API key ${entry.apiKeyId.slice(0, 8)}`;
  return 'Tocsin';
}

function Details({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  const text = JSON.stringify(value, null, 2);
  if (text.length <= 60) return <code>{JSON.stringify(value)}</code>;
  return (
    <details>
      <summary>Show</summary>
      <pre>{text}</pre>
    </details>
  );
}

export function AuditLogView() {
  const me = useMe();
  // The api pages forwards only; remembering the cursors that led here makes "Newer" possible.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState('');
  const after = cursors[cursors.length - 1];
  const allowed = canReadAuditLog(me.role);
  const log = useQuery(
    AUDIT_LOG_QUERY,
    { first: PAGE_SIZE, after, action: filter || null },
    { skip: !allowed },
  );
  const page = log.data?.auditLog;

  if (!allowed) {
    return (
      <>
        <h1>Audit log</h1>
        <p className="empty">
          Only owners and admins can read the audit log. Ask one of them if you need to know who
          changed something.
        </p>
      </>
    );
  }

  function applyFilter(event: FormEvent) {
    event.preventDefault();
    setFilter(action.trim());
    setCursors([null]);
  }

  return (
    <>
      <div className="page-header">
        <h1>Audit log</h1>
        <p className="muted">
          Who changed what in {me.currentOrganization?.name ?? 'this organization'}, newest first.
        </p>
      </div>
      <form className="form form-inline" onSubmit={applyFilter} role="search">
        <div className="field grow">
          <label htmlFor="audit-action">Action</label>
          <input
            id="audit-action"
            placeholder="e.g. apiKey.create"
            value={action}
            onChange={(e) => setAction(e.target.value)}
            aria-describedby="audit-action-hint"
          />
          <p className="hint" id="audit-action-hint">
            Show only entries with exactly this action; leave empty for all.
          </p>
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      <ErrorMessage error={log.error} title="Could not load the audit log" />
      {!page ? (
        log.loading ? (
          <p className="muted">Loading the audit log…</p>
        ) : null
      ) : page.nodes.length === 0 ? (
        <p className="empty">
          {filter
            ? `No entries with the action “${filter}”. Clear the filter to see everything.`
            : 'Nothing recorded yet. Changes to members, invitations and API keys appear here as they happen.'}
        </p>
      ) : (
        <div className="table-wrap" aria-busy={log.loading}>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.nodes.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{formatDateTime(entry.createdAt, me.user.timeZone)}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{actorLabel(entry)}</td>
                  <td>
                    {entry.targetType
                      ? `${entry.targetType}${entry.targetId ? ` ${entry.targetId.slice(0, 8)}` : ''}`
                      : '—'}
                  </td>
                  <td>
                    <Details value={entry.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Audit log pages">
        <button
          type="button"
          className="button"
          disabled={cursors.length <= 1 || log.loading}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          ← Newer
        </button>
        <span className="muted">Page {cursors.length}</span>
        <button
          type="button"
          className="button"
          disabled={!page?.pageInfo.hasNextPage || !page.pageInfo.endCursor || log.loading}
          onClick={() =>
            page?.pageInfo.endCursor && setCursors((c) => [...c, page.pageInfo.endCursor])
          }
        >
          Older →
        </button>
      </nav>
    </>
  );
}
