'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  CREATE_MAINTENANCE_WINDOW,
  DELETE_MAINTENANCE_WINDOW,
  MAINTENANCE_WINDOWS_QUERY,
  UPDATE_MAINTENANCE_WINDOW,
  type MaintenanceSchedule,
  type MaintenanceWindow,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { fromLocalInput, toLocalInput } from '../oncall/local-time';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** "monday:friday" and "saturday" → the days they cover. */
function expandWeekdays(specs: string[] | undefined): string[] {
  const days = new Set<string>();
  for (const spec of specs ?? []) {
    const [a, b = a] = spec.toLowerCase().split(':');
    const from = WEEKDAYS.indexOf(a);
    const to = WEEKDAYS.indexOf(b);
    if (from < 0 || to < from) continue;
    for (let i = from; i <= to; i += 1) days.add(WEEKDAYS[i]);
  }
  return WEEKDAYS.filter((d) => days.has(d));
}

export function describeSchedule(s: MaintenanceSchedule, timeZone: string): string {
  const parts: string[] = [];
  const days = expandWeekdays(s.weekdays);
  if (days.length || s.times?.length) {
    const dayText =
      days.length === 0 || days.length === 7
        ? 'every day'
        : days.map((d) => d.slice(0, 3)).join(', ');
    const times = s.times?.length
      ? s.times.map((t) => `${t.start}–${t.end}`).join(', ')
      : 'all day';
    parts.push(`${dayText} ${times} (${s.timeZone ?? 'UTC'})`);
  }
  for (const r of s.ranges ?? [])
    parts.push(`${formatDateTime(r.startsAt, timeZone)} – ${formatDateTime(r.endsAt, timeZone)}`);
  return parts.join('; ') || 'never';
}

function WindowForm({
  window: w,
  defaultTimeZone,
  onDone,
}: {
  window?: MaintenanceWindow;
  defaultTimeZone: string;
  onDone: (saved: boolean) => void;
}) {
  const create = useMutation(CREATE_MAINTENANCE_WINDOW);
  const update = useMutation(UPDATE_MAINTENANCE_WINDOW);
  const s = w?.schedule;
  const [name, setName] = useState(w?.name ?? '');
  const [matchers, setMatchers] = useState(w?.matchersText ?? '{env="prod"}');
  const [enabled, setEnabled] = useState(w?.enabled ?? true);
  const [kind, setKind] = useState<'weekly' | 'once'>(s?.ranges?.length ? 'once' : 'weekly');
  const [days, setDays] = useState<string[]>(
    s?.weekdays ? expandWeekdays(s.weekdays) : WEEKDAYS.slice(0, 5),
  );
  const [start, setStart] = useState(s?.times?.[0]?.start ?? '22:00');
  const [end, setEnd] = useState(s?.times?.[0]?.end ?? '23:00');
  const [timeZone, setTimeZone] = useState(s?.timeZone ?? defaultTimeZone);
  const [from, setFrom] = useState(() =>
    toLocalInput(s?.ranges?.[0] ? Date.parse(s.ranges[0].startsAt) : Date.now() + 3_600_000),
  );
  const [until, setUntil] = useState(() =>
    toLocalInput(s?.ranges?.[0] ? Date.parse(s.ranges[0].endsAt) : Date.now() + 3 * 3_600_000),
  );
  const prefix = w ? `mw-${w.id}` : 'mw-new';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const schedule: MaintenanceSchedule =
      kind === 'weekly'
        ? { timeZone: timeZone.trim(), weekdays: days, times: [{ start, end }] }
        : { ranges: [{ startsAt: fromLocalInput(from), endsAt: fromLocalInput(until) }] };
    const input = { name: name.trim(), matchers: matchers.trim(), enabled, schedule };
    const saved = w ? await update.run({ id: w.id, input }) : await create.run({ input });
    if (saved) onDone(true);
  }

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-label={w ? `Edit maintenance window ${w.name}` : 'New maintenance window'}
    >
      <div className="form-inline">
        <div className="field grow">
          <label htmlFor={`${prefix}-name`}>Window name</label>
          <input
            id={`${prefix}-name`}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Nightly deploys"
          />
        </div>
        <div className="field grow">
          <label htmlFor={`${prefix}-matchers`}>Mutes alerts matching</label>
          <input
            id={`${prefix}-matchers`}
            required
            value={matchers}
            onChange={(e) => setMatchers(e.target.value)}
            aria-describedby={`${prefix}-matchers-hint`}
          />
          <p className="hint" id={`${prefix}-matchers-hint`}>
            Alertmanager matchers, e.g. {'{service="db", env=~"prod|stage"}'}; {'{}'} mutes
            everything.
          </p>
        </div>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
      </div>
      <fieldset className="field">
        <legend>When</legend>
        <div className="check-row">
          <label className="check">
            <input
              type="radio"
              name={`${prefix}-kind`}
              checked={kind === 'weekly'}
              onChange={() => setKind('weekly')}
            />
            Every week
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${prefix}-kind`}
              checked={kind === 'once'}
              onChange={() => setKind('once')}
            />
            Once
          </label>
        </div>
      </fieldset>
      {kind === 'weekly' ? (
        <div className="form-inline">
          <fieldset className="field">
            <legend>On</legend>
            <div className="check-row">
              {WEEKDAYS.map((d) => (
                <label key={d} className="check">
                  <input
                    type="checkbox"
                    checked={days.includes(d)}
                    onChange={(e) =>
                      setDays((ds) =>
                        e.target.checked
                          ? WEEKDAYS.filter((x) => x === d || ds.includes(x))
                          : ds.filter((x) => x !== d),
                      )
                    }
                  />
                  {d.slice(0, 3)}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${prefix}-start`}>From</label>
            <input
              id={`${prefix}-start`}
              type="time"
              required
              value={start}
              onChange={(e) => setStart(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-end`}>Until</label>
            <input
              id={`${prefix}-end`}
              type="time"
              required
              value={end}
              onChange={(e) => setEnd(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-tz`}>Time zone</label>
            <input
              id={`${prefix}-tz`}
              required
              value={timeZone}
              onChange={(e) => setTimeZone(e.target.value)}
            />
          </div>
        </div>
      ) : (
        <div className="form-inline">
          <div className="field">
            <label htmlFor={`${prefix}-from`}>Starts</label>
            <input
              id={`${prefix}-from`}
              type="datetime-local"
              required
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${prefix}-until`}>Ends</label>
            <input
              id={`${prefix}-until`}
              type="datetime-local"
              required
              value={until}
              onChange={(e) => setUntil(e.target.value)}
            />
          </div>
        </div>
      )}
      <ErrorMessage error={create.error ?? update.error} title="The window was not saved" />
      <div className="button-row">
        <button
          type="submit"
          className="button button-primary"
          disabled={create.pending || update.pending}
        >
          Save window
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Recurring or one-off periods when matching alerts notify nobody. */
export function MaintenanceWindows({ canEdit, timeZone }: { canEdit: boolean; timeZone: string }) {
  const windows = useQuery(MAINTENANCE_WINDOWS_QUERY, {});
  const remove = useMutation(DELETE_MAINTENANCE_WINDOW);
  const [editing, setEditing] = useState<string | null>(null);
  const list = windows.data?.maintenanceWindows ?? [];
  const done = async (saved: boolean) => {
    setEditing(null);
    if (saved) await windows.reload();
  };

  return (
    <section aria-labelledby="mw-heading">
      <div className="page-header-row">
        <h2 id="mw-heading">Maintenance windows</h2>
        {canEdit && editing !== 'new' ? (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            New maintenance window
          </button>
        ) : null}
      </div>
      <ErrorMessage error={windows.error ?? remove.error} />
      {editing === 'new' ? <WindowForm defaultTimeZone={timeZone} onDone={done} /> : null}
      {windows.data && list.length === 0 && editing !== 'new' ? (
        <p className="empty">
          No maintenance windows. Add one for work that repeats, like nightly deploys; for a
          one-off, a <Link href="/silences">silence</Link> is quicker.
        </p>
      ) : null}
      {list.length ? (
        <ul className="item-list" data-testid="maintenance-windows">
          {list.map((w) =>
            editing === w.id ? (
              <li key={w.id}>
                <WindowForm window={w} defaultTimeZone={timeZone} onDone={done} />
              </li>
            ) : (
              <li key={w.id} className="item">
                <div className="item-main">
                  <div className="item-title">
                    <strong>{w.name}</strong> <code>{w.matchersText}</code>{' '}
                    {w.activeNow ? <span className="badge badge-ok">active now</span> : null}
                    {!w.enabled ? <span className="badge">disabled</span> : null}
                  </div>
                  <div className="muted small">{describeSchedule(w.schedule, timeZone)}</div>
                </div>
                {canEdit ? (
                  <div className="item-actions button-row">
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() => setEditing(w.id)}
                      aria-label={`Edit maintenance window ${w.name}`}
                    >
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete window"
                      accessibleName={`Delete maintenance window ${w.name}`}
                      onConfirm={async () => {
                        if (await remove.run({ id: w.id })) await windows.reload();
                      }}
                    />
                  </div>
                ) : null}
              </li>
            ),
          )}
        </ul>
      ) : null}
    </section>
  );
}
