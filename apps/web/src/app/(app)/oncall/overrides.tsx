'use client';

import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import {
  ADD_SCHEDULE_OVERRIDE,
  REMOVE_SCHEDULE_OVERRIDE,
  type Member,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { fromLocalInput, toLocalInput } from './local-time';

export interface OverrideRow {
  id: string;
  userId: string;
  startsAt: string;
  endsAt: string;
}

/** Someone covers a stretch of time; overrides win over every layer. */
export function Overrides({
  scheduleId,
  scheduleName,
  overrides,
  members,
  timeZone,
  canEdit,
  onChange,
}: {
  scheduleId: string;
  scheduleName: string;
  overrides: OverrideRow[];
  members: Member[];
  timeZone: string;
  canEdit: boolean;
  onChange: () => Promise<void>;
}) {
  const add = useMutation(ADD_SCHEDULE_OVERRIDE);
  const remove = useMutation(REMOVE_SCHEDULE_OVERRIDE);
  const [userId, setUserId] = useState(members[0]?.user.id ?? '');
  const [start, setStart] = useState(() => toLocalInput(Date.now()));
  const [end, setEnd] = useState(() => toLocalInput(Date.now() + 8 * 3_600_000));
  const names = new Map(members.map((m) => [m.user.id, m.user.name]));
  const id = `override-${scheduleId}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const who = userId || members[0]?.user.id;
    if (!who) return;
    if (
      await add.run({
        scheduleId,
        userId: who,
        start: fromLocalInput(start),
        end: fromLocalInput(end),
      })
    )
      await onChange();
  }

  return (
    <div aria-label={`Overrides of ${scheduleName}`} role="group">
      <h4>Overrides</h4>
      {overrides.length === 0 ? (
        <p className="muted small">No overrides. Add one when someone covers a shift.</p>
      ) : (
        <ul className="item-list" data-testid="overrides">
          {overrides.map((o) => (
            <li key={o.id} className="item">
              <div className="item-main">
                {names.get(o.userId) ?? 'someone'}: {formatDateTime(o.startsAt, timeZone)} –{' '}
                {formatDateTime(o.endsAt, timeZone)}
              </div>
              {canEdit ? (
                <div className="item-actions">
                  <ConfirmButton
                    label="Remove"
                    confirmLabel="Remove override"
                    accessibleName={`Remove override for ${names.get(o.userId) ?? 'someone'}`}
                    onConfirm={async () => {
                      if (await remove.run({ id: o.id })) await onChange();
                    }}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <form
          className="form-inline"
          onSubmit={submit}
          aria-label={`Add an override to ${scheduleName}`}
        >
          <div className="field">
            <label htmlFor={`${id}-user`}>Who covers</label>
            <select id={`${id}-user`} value={userId} onChange={(e) => setUserId(e.target.value)}>
              {members.map((m) => (
                <option key={m.user.id} value={m.user.id}>
                  {m.user.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-start`}>From</label>
            <input
              id={`${id}-start`}
              type="datetime-local"
              required
              value={start}
              onChange={(e) => setStart(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-end`}>Until</label>
            <input
              id={`${id}-end`}
              type="datetime-local"
              required
              value={end}
              onChange={(e) => setEnd(e.target.value)}
            />
          </div>
          <button type="submit" className="button" disabled={add.pending}>
            Add override
          </button>
        </form>
      ) : null}
      <ErrorMessage error={add.error ?? remove.error} />
    </div>
  );
}
