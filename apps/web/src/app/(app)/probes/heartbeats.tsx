'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { CopyField } from '../../../components/copy-field';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import { CREATE_HEARTBEAT, DELETE_HEARTBEAT, type Heartbeat } from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { formatAgo, formatInterval } from '../../../lib/probes';
import { StatusBadge } from './status-badge';

interface Created {
  name: string;
  pushUrl: string;
}

function HeartbeatForm({
  defaultTimeZone,
  onDone,
}: {
  defaultTimeZone: string;
  onDone: (created: Created | null) => void;
}) {
  const create = useMutation(CREATE_HEARTBEAT);
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'period' | 'cron'>('period');
  const [period, setPeriod] = useState('3600');
  const [cron, setCron] = useState('0 3 * * *');
  const [timezone, setTimezone] = useState(defaultTimeZone);
  const [grace, setGrace] = useState('300');
  const [alertWhenMissed, setAlertWhenMissed] = useState(true);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      name: name.trim(),
      graceSeconds: Number(grace),
      ...(mode === 'period'
        ? { periodSeconds: Number(period) }
        : { cron: cron.trim(), timezone: timezone.trim() }),
    };
    const result = await create.run({ input, alertWhenMissed });
    if (result)
      onDone({
        name: result.createHeartbeat.heartbeat.name,
        pushUrl: result.createHeartbeat.pushUrl,
      });
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New heartbeat">
      <div className="form-inline">
        <div className="field grow">
          <label htmlFor="hb-name">Heartbeat name</label>
          <input
            id="hb-name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="nightly-backup"
          />
        </div>
        <div className="field">
          <label htmlFor="hb-grace">Grace (seconds)</label>
          <input
            id="hb-grace"
            type="number"
            min={0}
            required
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
          />
        </div>
      </div>
      <fieldset className="field">
        <legend>Expect a ping</legend>
        <div className="check-row">
          <label className="check">
            <input
              type="radio"
              name="hb-mode"
              checked={mode === 'period'}
              onChange={() => setMode('period')}
            />
            Every period
          </label>
          <label className="check">
            <input
              type="radio"
              name="hb-mode"
              checked={mode === 'cron'}
              onChange={() => setMode('cron')}
            />
            On a cron schedule
          </label>
        </div>
      </fieldset>
      {mode === 'period' ? (
        <div className="field">
          <label htmlFor="hb-period">Period (seconds)</label>
          <input
            id="hb-period"
            type="number"
            min={1}
            required
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
          />
        </div>
      ) : (
        <div className="form-inline">
          <div className="field grow">
            <label htmlFor="hb-cron">Cron expression</label>
            <input
              id="hb-cron"
              className="mono"
              required
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              aria-describedby="hb-cron-hint"
            />
            <p className="hint" id="hb-cron-hint">
              5 or 6 fields, e.g. &quot;0 3 * * *&quot; for 03:00 every day.
            </p>
          </div>
          <div className="field">
            <label htmlFor="hb-tz">Time zone</label>
            <input
              id="hb-tz"
              required
              value={timezone}
              onChange={(e) => setTimezone(e.target.value)}
            />
          </div>
        </div>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={alertWhenMissed}
          onChange={(e) => setAlertWhenMissed(e.target.checked)}
        />
        Alert when a ping is late
      </label>
      <ErrorMessage error={create.error} title="The heartbeat was not created" />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={create.pending}>
          Create heartbeat
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The push URL exists only in this answer: the api keeps its hash. */
function PushUrl({ created, onClose }: { created: Created; onClose: () => void }) {
  return (
    <div className="callout callout-success" data-testid="heartbeat-created">
      <p className="callout-title">Heartbeat {created.name} created</p>
      <p>
        Copy its push URL now: it is shown only once. Call it (GET or POST) whenever the job
        finishes.
      </p>
      <CopyField label="Push URL" value={created.pushUrl} testId="heartbeat-push-url" />
      <pre className="snippet">
        <code>{`# at the end of the job, e.g. in crontab:\n0 3 * * * /usr/local/bin/backup.sh && curl -fsS --retry 3 ${created.pushUrl}`}</code>
      </pre>
      <button type="button" className="button" onClick={onClose}>
        I have copied it
      </button>
    </div>
  );
}

function describe(h: Heartbeat): string {
  const every = h.cron
    ? `cron ${h.cron} (${h.timezone})`
    : `every ${formatInterval(h.periodSeconds)}`;
  return h.graceSeconds ? `${every}, ${formatInterval(h.graceSeconds)} grace` : every;
}

export function HeartbeatsSection({
  heartbeats,
  canEdit,
  timeZone,
  reload,
}: {
  heartbeats: Heartbeat[];
  canEdit: boolean;
  timeZone: string;
  reload: () => Promise<void>;
}) {
  const remove = useMutation(DELETE_HEARTBEAT);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  return (
    <section aria-labelledby="heartbeats-heading">
      <div className="page-header-row">
        <h2 id="heartbeats-heading">Heartbeats</h2>
        {canEdit && !adding ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setCreated(null);
              setAdding(true);
            }}
          >
            New heartbeat
          </button>
        ) : null}
      </div>
      <p className="muted small">
        Cron jobs and backups ping a secret URL when they finish; a ping that does not arrive in
        time is an alert (heartbeat_up, HeartbeatMissed).
      </p>
      <ErrorMessage error={remove.error} title="Could not delete the heartbeat" />
      {adding ? (
        <HeartbeatForm
          defaultTimeZone={timeZone}
          onDone={async (result) => {
            setAdding(false);
            if (result) {
              setCreated(result);
              await reload();
            }
          }}
        />
      ) : null}
      {created ? <PushUrl created={created} onClose={() => setCreated(null)} /> : null}
      {heartbeats.length === 0 && !adding ? <p className="empty">No heartbeats yet.</p> : null}
      {heartbeats.length ? (
        <ul className="item-list" data-testid="heartbeats">
          {heartbeats.map((h) => (
            <li key={h.id} className="item" data-testid={`heartbeat-${h.name}`}>
              <div className="item-main">
                <div className="item-title">
                  {h.name}
                  <StatusBadge status={h.status} upText="OK" />
                  {h.ruleId ? (
                    <Link className="badge" href={`/rules/${h.ruleId}`}>
                      alerts when late
                    </Link>
                  ) : null}
                </div>
                <p className="small muted">{describe(h)}</p>
                <p className="small">
                  Last ping:{' '}
                  {h.lastBeatAt ? (
                    <time dateTime={h.lastBeatAt} title={formatDateTime(h.lastBeatAt, timeZone)}>
                      {formatAgo(h.lastBeatAt)}
                    </time>
                  ) : (
                    'never'
                  )}{' '}
                  · due by <time dateTime={h.dueBy}>{formatDateTime(h.dueBy, timeZone)}</time>
                </p>
              </div>
              {canEdit ? (
                <div className="item-actions button-row">
                  <ConfirmButton
                    label="Delete"
                    confirmLabel="Delete heartbeat"
                    accessibleName={`Delete heartbeat ${h.name}`}
                    onConfirm={async () => {
                      if (await remove.run({ id: h.id })) await reload();
                    }}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
