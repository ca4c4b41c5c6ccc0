'use client';

import Link from 'next/link';
import { useCallback, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { LiveBadge } from '../../../components/live-provider';
import { useMe } from '../../../components/me-context';
import { useQuery } from '../../../graphql/hooks';
import { useSubscription } from '../../../graphql/live';
import {
  INCIDENT_STATUSES,
  INCIDENT_UPDATED_SUBSCRIPTION,
  INCIDENTS_QUERY,
  type Incident,
  type IncidentStatus,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';

export function IncidentStatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge incident-${status.toLowerCase()}`}>{status.toLowerCase()}</span>;
}

export function IncidentsView() {
  const me = useMe();
  const [status, setStatus] = useState<IncidentStatus | ''>('');
  const incidents = useQuery(INCIDENTS_QUERY, { status: status || null, first: 100 });
  const [updates, setUpdates] = useState<Record<string, Incident>>({});

  // An update replaces the row in place; one the list has never seen means a new incident, which
  // only the server can place under the current filter, so the list is read again.
  const { reload, data } = incidents;
  const onUpdate = useCallback(
    ({ incidentUpdated }: { incidentUpdated: Incident }) => {
      if (data?.incidents.some((i) => i.id === incidentUpdated.id)) {
        setUpdates((u) => ({ ...u, [incidentUpdated.id]: incidentUpdated }));
      } else {
        void reload();
      }
    },
    [data, reload],
  );
  const live = useSubscription(INCIDENT_UPDATED_SUBSCRIPTION, onUpdate);

  const list = (data?.incidents ?? [])
    .map((i) => updates[i.id] ?? i)
    .filter((i) => !status || i.status === status);

  return (
    <>
      <div className="page-header page-header-row">
        <div>
          <h1>Incidents</h1>
          <p className="muted">Pages to people, from alerts or opened by hand. Newest first.</p>
        </div>
        <LiveBadge status={live} />
      </div>
      <div className="field inline-field">
        <label htmlFor="incident-status">Status</label>
        <select
          id="incident-status"
          value={status}
          onChange={(e) => setStatus(e.target.value as IncidentStatus | '')}
        >
          <option value="">All</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={incidents.error} title="Could not load incidents" />
      {!data && incidents.loading ? <p className="muted">Loading incidents…</p> : null}
      {data && list.length === 0 ? (
        <div className="empty">
          <p>No incidents{status ? ` that are ${status.toLowerCase()}` : ''}.</p>
          <p>
            Incidents open when a notification policy routes an alert to an escalation policy, or
            when an integration calls <code>createIncident</code>.
          </p>
        </div>
      ) : null}
      {list.length ? (
        <ul className="item-list" data-testid="incident-list">
          {list.map((incident) => (
            <li key={incident.id} className="item">
              <div className="item-main">
                <div className="item-title">
                  <IncidentStatusBadge status={incident.status} />
                  {incident.urgency === 'high' ? (
                    <span className="badge sev-critical">high</span>
                  ) : null}
                  <Link href={`/incidents/${incident.id}`}>
                    #{incident.number} {incident.title}
                  </Link>
                </div>
                <p className="muted small">
                  Opened {formatDateTime(incident.createdAt, me.user.timeZone)} · {incident.source}
                </p>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
