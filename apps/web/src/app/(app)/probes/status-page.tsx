'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { usePublicApiUrl } from '../../../components/live-provider';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  ADD_STATUS_INCIDENT_UPDATE,
  CREATE_STATUS_INCIDENT,
  STATUS_INCIDENTS_QUERY,
  type Check,
  type StatusIncident,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { fromLocalInput, toLocalInput } from '../oncall/local-time';
import { StatusBadge } from './status-badge';

type Kind = StatusIncident['kind'];

// The statuses the api accepts per kind (StatusIncidentInput.status); the last one closes it.
const STATUSES: Record<Kind, string[]> = {
  INCIDENT: ['investigating', 'identified', 'monitoring', 'resolved'],
  MAINTENANCE: ['scheduled', 'in_progress', 'completed'],
};
const isClosed = (i: StatusIncident) => i.status === 'resolved' || i.status === 'completed';
const pretty = (s: string) => s.replace('_', ' ');

function IncidentForm({ checks, onDone }: { checks: Check[]; onDone: (saved: boolean) => void }) {
  const create = useMutation(CREATE_STATUS_INCIDENT);
  const [kind, setKind] = useState<Kind>('INCIDENT');
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState('investigating');
  const [body, setBody] = useState('');
  const [affected, setAffected] = useState<string[]>([]);
  const [startsAt, setStartsAt] = useState(() => toLocalInput(Date.now() + 86_400_000));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(Date.now() + 86_400_000 + 7_200_000));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      kind,
      title: title.trim(),
      status,
      body: body.trim(),
      checkIds: affected,
      ...(kind === 'MAINTENANCE'
        ? { startsAt: fromLocalInput(startsAt), endsAt: fromLocalInput(endsAt) }
        : {}),
    };
    if (await create.run({ input })) onDone(true);
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New status-page post">
      <div className="form-inline">
        <div className="field">
          <label htmlFor="si-kind">Kind</label>
          <select
            id="si-kind"
            value={kind}
            onChange={(e) => {
              const k = e.target.value as Kind;
              setKind(k);
              setStatus(STATUSES[k][0]);
            }}
          >
            <option value="INCIDENT">Incident</option>
            <option value="MAINTENANCE">Maintenance</option>
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="si-title">Title</label>
          <input
            id="si-title"
            required
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Checkout is slow"
          />
        </div>
        <div className="field">
          <label htmlFor="si-status">Status</label>
          <select id="si-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES[kind].map((s) => (
              <option key={s} value={s}>
                {pretty(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {kind === 'MAINTENANCE' ? (
        <div className="form-inline">
          <div className="field">
            <label htmlFor="si-starts">Starts</label>
            <input
              id="si-starts"
              type="datetime-local"
              required
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="si-ends">Ends</label>
            <input
              id="si-ends"
              type="datetime-local"
              required
              value={endsAt}
              onChange={(e) => setEndsAt(e.target.value)}
            />
          </div>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="si-body">Message</label>
        <textarea
          id="si-body"
          required
          rows={3}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </div>
      {checks.length ? (
        <fieldset className="field">
          <legend>Affected checks</legend>
          <div className="check-row">
            {checks.map((c) => (
              <label key={c.id} className="check">
                <input
                  type="checkbox"
                  checked={affected.includes(c.id)}
                  onChange={(e) =>
                    setAffected((ids) =>
                      e.target.checked ? [...ids, c.id] : ids.filter((id) => id !== c.id),
                    )
                  }
                />
                {c.name}
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <ErrorMessage error={create.error} title="The post was not published" />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={create.pending}>
          Publish
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function UpdateForm({ incident, onDone }: { incident: StatusIncident; onDone: () => void }) {
  const add = useMutation(ADD_STATUS_INCIDENT_UPDATE);
  const [status, setStatus] = useState(incident.status);
  const [body, setBody] = useState('');
  const p = `siu-${incident.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await add.run({ incidentId: incident.id, status, body: body.trim() })) {
      setBody('');
      onDone();
    }
  }

  return (
    <form className="form" onSubmit={submit} aria-label={`Post an update to ${incident.title}`}>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${p}-status`}>Status</label>
          <select id={`${p}-status`} value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES[incident.kind].map((s) => (
              <option key={s} value={s}>
                {pretty(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${p}-body`}>Update</label>
          <input id={`${p}-body`} required value={body} onChange={(e) => setBody(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={add.pending}>
          Post update
        </button>
      </div>
      <ErrorMessage error={add.error} title="The update was not posted" />
    </form>
  );
}

export function StatusPageSection({
  slug,
  checks,
  canEdit,
  timeZone,
}: {
  slug: string | null;
  checks: Check[];
  canEdit: boolean;
  timeZone: string;
}) {
  const apiUrl = usePublicApiUrl();
  const incidents = useQuery(STATUS_INCIDENTS_QUERY, {});
  const [adding, setAdding] = useState(false);
  const url = slug ? `${apiUrl}/status/${slug}` : null;
  const shown = checks.filter((c) => c.showOnStatusPage);
  const list = incidents.data?.statusIncidents ?? [];
  const name = (id: string) => checks.find((c) => c.id === id)?.name ?? 'deleted check';

  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">Public status page</h2>
      {url ? (
        <p>
          <a href={url} target="_blank" rel="noreferrer" className="mono wrap-anywhere">
            {url}
          </a>{' '}
          <span className="muted small">
            (no sign-in; also an <a href={`${url}/feed.atom`}>Atom feed</a>)
          </span>
        </p>
      ) : null}
      <p className="small">
        {shown.length ? (
          <>
            Shows {shown.length} check{shown.length > 1 ? 's' : ''} by name, with 90-day uptime:{' '}
            {shown.map((c, i) => (
              <span key={c.id}>
                {i ? ', ' : ''}
                {c.name} <StatusBadge status={c.status} />
              </span>
            ))}
          </>
        ) : (
          <span className="muted">
            No check is shown on it yet: tick &quot;Show on the status page&quot; on a check.
          </span>
        )}
      </p>
      <div className="page-header-row">
        <h3>Incidents and maintenance</h3>
        {canEdit && !adding ? (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            New post
          </button>
        ) : null}
      </div>
      <ErrorMessage error={incidents.error} title="Could not load status-page posts" />
      {adding ? (
        <IncidentForm
          checks={checks}
          onDone={async (saved) => {
            setAdding(false);
            if (saved) await incidents.reload();
          }}
        />
      ) : null}
      {incidents.data && list.length === 0 && !adding ? (
        <p className="empty">Nothing posted in the last 90 days.</p>
      ) : null}
      {list.length ? (
        <ul className="item-list" data-testid="status-incidents">
          {list.map((i) => (
            <li key={i.id} className="item">
              <div className="item-main">
                <div className="item-title">
                  {i.title}
                  <span className={`badge ${isClosed(i) ? 'badge-ok' : 'state-pending'}`}>
                    {pretty(i.status)}
                  </span>
                  <span className="badge">
                    {i.kind === 'MAINTENANCE' ? 'maintenance' : 'incident'}
                  </span>
                </div>
                <p className="small muted">
                  {formatDateTime(i.startsAt, timeZone)}
                  {i.endsAt ? ` – ${formatDateTime(i.endsAt, timeZone)}` : ''}
                  {i.checkIds.length ? ` · ${i.checkIds.map(name).join(', ')}` : ''}
                </p>
                <ol className="timeline small">
                  {i.updates.map((u) => (
                    <li key={u.id}>
                      <strong>{pretty(u.status)}</strong> {u.body}{' '}
                      <span className="muted">{formatDateTime(u.createdAt, timeZone)}</span>
                    </li>
                  ))}
                </ol>
                {canEdit && !isClosed(i) ? (
                  <UpdateForm incident={i} onDone={() => void incidents.reload()} />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
