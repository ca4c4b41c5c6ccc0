'use client';

import Link from 'next/link';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
import { LiveBadge } from '../../../../components/live-provider';
import { useMe } from '../../../../components/me-context';
import { useMutation, useQuery } from '../../../../graphql/hooks';
import { useSubscription } from '../../../../graphql/live';
import {
  ACKNOWLEDGE_INCIDENT,
  ADD_INCIDENT_NOTE,
  INCIDENT_QUERY,
  INCIDENT_UPDATED_SUBSCRIPTION,
  MEMBERS_QUERY,
  REASSIGN_INCIDENT,
  RESOLVE_INCIDENT,
  type Incident,
  type IncidentEvent,
  type IncidentWithTimeline,
} from '../../../../graphql/operations';
import { formatDateTime } from '../../../../lib/format';
import { IncidentStatusBadge } from '../incidents-view';

const EVENT_TEXT: Record<string, string> = {
  opened: 'Opened',
  escalate: 'Escalated',
  page: 'Paged',
  delivery: 'Delivery',
  ack: 'Acknowledged',
  resolve: 'Resolved',
  retrigger: 'Triggered again',
  reassign: 'Reassigned',
  responders: 'Responders added',
  note: 'Note',
  alert: 'Alert',
  'page-skipped': 'Page skipped',
  'escalation-exhausted': 'Escalation exhausted',
};

function detailText(event: IncidentEvent): string {
  const d = event.details as Record<string, unknown> | null;
  if (!d) return '';
  if (typeof d.text === 'string') return d.text;
  if (typeof d.reason === 'string') return d.reason;
  return '';
}

export function IncidentDetail({ id }: { id: string }) {
  const me = useMe();
  const tz = me.user.timeZone;
  const loaded = useQuery(INCIDENT_QUERY, { id });
  const members = useQuery(MEMBERS_QUERY, {});
  const [latest, setLatest] = useState<IncidentWithTimeline>();
  const ack = useMutation(ACKNOWLEDGE_INCIDENT);
  const resolve = useMutation(RESOLVE_INCIDENT);
  const reassign = useMutation(REASSIGN_INCIDENT);
  const note = useMutation(ADD_INCIDENT_NOTE);
  const [noteText, setNoteText] = useState('');
  const [assignee, setAssignee] = useState('');
  const fieldId = useId();

  const { reload } = loaded;
  const onUpdate = useCallback(
    ({ incidentUpdated }: { incidentUpdated: Incident }) => {
      if (incidentUpdated.id === id) void reload();
    },
    [id, reload],
  );
  const live = useSubscription(INCIDENT_UPDATED_SUBSCRIPTION, onUpdate);

  // Whichever is newer wins: the page's own mutation result or a pushed update.
  const candidates = [latest, loaded.data?.incident].filter(Boolean) as IncidentWithTimeline[];
  const incident = candidates.sort(
    (a, b) =>
      b.timeline.length - a.timeline.length || Date.parse(b.updatedAt) - Date.parse(a.updatedAt),
  )[0];

  if (loaded.error)
    return (
      <>
        <h1>Incident</h1>
        <ErrorMessage error={loaded.error} title="Could not load this incident" />
        <Link href="/incidents">Back to incidents</Link>
      </>
    );
  if (!incident) return <p className="muted">Loading the incident…</p>;

  const names = new Map((members.data?.members ?? []).map((m) => [m.user.id, m.user.name]));
  const who = (userId: string | null) => (userId ? (names.get(userId) ?? 'someone') : 'Tocsin');
  const error = ack.error ?? resolve.error ?? reassign.error ?? note.error;
  const busy = ack.pending || resolve.pending || reassign.pending || note.pending;

  async function addNote(event: FormEvent) {
    event.preventDefault();
    const result = await note.run({ id, text: noteText.trim() });
    if (result) {
      setLatest(result.addIncidentNote);
      setNoteText('');
    }
  }

  return (
    <>
      <p>
        <Link href="/incidents">← Incidents</Link>
      </p>
      <div className="page-header page-header-row">
        <div>
          <h1>
            #{incident.number} {incident.title}
          </h1>
          <p>
            <IncidentStatusBadge status={incident.status} />{' '}
            <span className="badge">{incident.urgency} urgency</span>{' '}
            <span className="muted small">opened {formatDateTime(incident.createdAt, tz)}</span>
          </p>
          <p className="muted small">
            Assigned to{' '}
            {incident.assignedUserIds.length
              ? incident.assignedUserIds.map(who).join(', ')
              : 'nobody (the escalation policy decides)'}
          </p>
        </div>
        <LiveBadge status={live} />
      </div>

      <div className="action-bar" role="group" aria-label="Respond">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || incident.status !== 'TRIGGERED'}
          onClick={async () => {
            const r = await ack.run({ id });
            if (r) setLatest(r.acknowledgeIncident);
          }}
        >
          Acknowledge
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || incident.status === 'RESOLVED'}
          onClick={async () => {
            const r = await resolve.run({ id });
            if (r) setLatest(r.resolveIncident);
          }}
        >
          Resolve
        </button>
        <div className="reassign">
          <label htmlFor={`${fieldId}-to`} className="visually-hidden">
            Reassign to
          </label>
          <select
            id={`${fieldId}-to`}
            value={assignee}
            onChange={(e) => setAssignee(e.target.value)}
          >
            <option value="">Reassign to…</option>
            {(members.data?.members ?? []).map((m) => (
              <option key={m.user.id} value={m.user.id}>
                {m.user.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            disabled={busy || !assignee || incident.status === 'RESOLVED'}
            onClick={async () => {
              const r = await reassign.run({ id, userIds: [assignee] });
              if (r) {
                setLatest(r.reassignIncident);
                setAssignee('');
              }
            }}
          >
            Reassign
          </button>
        </div>
      </div>
      <ErrorMessage error={error} title="That did not work" />

      <form className="form card" onSubmit={addNote}>
        <div className="field">
          <label htmlFor={`${fieldId}-note`}>Add a note</label>
          <textarea
            id={`${fieldId}-note`}
            required
            rows={2}
            value={noteText}
            onChange={(e) => setNoteText(e.target.value)}
            placeholder="What you found, what you are trying"
          />
        </div>
        <button type="submit" className="button" disabled={busy || !noteText.trim()}>
          Add note
        </button>
      </form>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol className="timeline" data-testid="incident-timeline">
          {incident.timeline.map((event) => (
            <li key={event.id} data-kind={event.kind}>
              <span className="muted small">{formatDateTime(event.createdAt, tz)}</span>{' '}
              <strong>{EVENT_TEXT[event.kind] ?? event.kind}</strong>
              {event.actorUserId ? ` by ${who(event.actorUserId)}` : ''}
              {detailText(event) ? <span> — {detailText(event)}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
