'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import {
  CREATE_SCHEDULE,
  UPDATE_SCHEDULE,
  type Member,
  type Schedule,
  type ScheduleLayer,
} from '../../../graphql/operations';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface LayerDraft {
  name: string;
  users: string[];
  rotation: ScheduleLayer['rotation'];
  every: string;
  start: string;
  restrictions: Array<{ days: number[]; start: string; end: string }>;
}

function draftOf(layer: ScheduleLayer): LayerDraft {
  return {
    name: layer.name ?? '',
    users: layer.users,
    rotation: layer.rotation,
    every: String(layer.every ?? 1),
    start: layer.start.slice(0, 16),
    restrictions: (layer.restrictions ?? []).map((r) => ({
      days: r.days ?? [],
      start: r.start,
      end: r.end,
    })),
  };
}

function newLayer(): LayerDraft {
  const today = new Date().toISOString().slice(0, 10);
  return {
    name: '',
    users: [],
    rotation: 'weekly',
    every: '1',
    start: `${today}T09:00`,
    restrictions: [],
  };
}

/**
 * Creates or edits a schedule: its zone and its layers of rotations, each with optional
 * time-of-day restrictions. Later layers win where they have someone on call.
 */
export function ScheduleEditor({
  schedule,
  members,
  defaultTimeZone,
  onDone,
}: {
  schedule?: Schedule;
  members: Member[];
  defaultTimeZone: string;
  onDone: (saved: boolean) => void;
}) {
  const create = useMutation(CREATE_SCHEDULE);
  const update = useMutation(UPDATE_SCHEDULE);
  const [name, setName] = useState(schedule?.name ?? '');
  const [timeZone, setTimeZone] = useState(schedule?.timeZone ?? defaultTimeZone);
  const [layers, setLayers] = useState<LayerDraft[]>(
    schedule?.layers.length ? schedule.layers.map(draftOf) : [newLayer()],
  );
  const [localError, setLocalError] = useState('');
  const prefix = schedule ? `schedule-${schedule.id}` : 'schedule-new';

  const setLayer = (i: number, patch: Partial<LayerDraft>) =>
    setLayers((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const empty = layers.findIndex((l) => l.users.length === 0);
    if (empty >= 0) {
      setLocalError(`Layer ${empty + 1} has nobody in it: tick at least one person.`);
      return;
    }
    setLocalError('');
    const input = {
      name: name.trim(),
      timeZone: timeZone.trim(),
      layers: layers.map((l) => ({
        name: l.name.trim(),
        users: l.users,
        rotation: l.rotation,
        every: Math.max(1, Number(l.every) || 1),
        start: l.start,
        restrictions: l.restrictions.map((r) => ({
          ...(r.days.length ? { days: r.days } : {}),
          start: r.start,
          end: r.end,
        })),
      })),
    };
    const saved = schedule
      ? await update.run({ id: schedule.id, input })
      : await create.run({ input });
    if (saved) onDone(true);
  }

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-label={schedule ? `Edit schedule ${schedule.name}` : 'New schedule'}
    >
      <h3>{schedule ? `Edit ${schedule.name}` : 'New schedule'}</h3>
      <div className="form-inline">
        <div className="field grow">
          <label htmlFor={`${prefix}-name`}>Schedule name</label>
          <input
            id={`${prefix}-name`}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Primary"
          />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-tz`}>Time zone</label>
          <input
            id={`${prefix}-tz`}
            required
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            aria-describedby={`${prefix}-tz-hint`}
          />
          <p className="hint" id={`${prefix}-tz-hint`}>
            IANA name, e.g. Europe/Berlin: handoffs follow its clock, DST included.
          </p>
        </div>
      </div>
      {layers.map((layer, i) => {
        const id = `${prefix}-layer-${i}`;
        return (
          <fieldset key={i} className="card" data-testid={`layer-${i}`}>
            <legend>
              Layer {i + 1}
              {layers.length > 1 ? (i === layers.length - 1 ? ' (wins)' : '') : ''}
            </legend>
            <fieldset className="field">
              <legend>People, in rotation order</legend>
              <div className="check-row">
                {members.map((m) => (
                  <label key={m.user.id} className="check">
                    <input
                      type="checkbox"
                      checked={layer.users.includes(m.user.id)}
                      onChange={(e) =>
                        setLayer(i, {
                          users: e.target.checked
                            ? [...layer.users, m.user.id]
                            : layer.users.filter((u) => u !== m.user.id),
                        })
                      }
                    />
                    {m.user.name}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="form-inline">
              <div className="field">
                <label htmlFor={`${id}-rotation`}>Hand off</label>
                <select
                  id={`${id}-rotation`}
                  value={layer.rotation}
                  onChange={(e) =>
                    setLayer(i, { rotation: e.target.value as LayerDraft['rotation'] })
                  }
                >
                  <option value="daily">daily</option>
                  <option value="weekly">weekly</option>
                  <option value="hours">every few hours</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-every`}>
                  Every (
                  {layer.rotation === 'hours'
                    ? 'hours'
                    : layer.rotation === 'daily'
                      ? 'days'
                      : 'weeks'}
                  )
                </label>
                <input
                  id={`${id}-every`}
                  type="number"
                  min={1}
                  value={layer.every}
                  onChange={(e) => setLayer(i, { every: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-start`}>First handoff</label>
                <input
                  id={`${id}-start`}
                  type="datetime-local"
                  required
                  value={layer.start}
                  onChange={(e) => setLayer(i, { start: e.target.value })}
                />
              </div>
            </div>
            {layer.restrictions.map((r, k) => (
              <div key={k} className="form-inline" data-testid={`restriction-${i}-${k}`}>
                <fieldset className="field">
                  <legend>Only on (none = every day)</legend>
                  <div className="check-row">
                    {DAYS.map((d, di) => (
                      <label key={d} className="check">
                        <input
                          type="checkbox"
                          checked={r.days.includes(di + 1)}
                          onChange={(e) =>
                            setLayer(i, {
                              restrictions: layer.restrictions.map((x, xk) =>
                                xk === k
                                  ? {
                                      ...x,
                                      days: e.target.checked
                                        ? [...x.days, di + 1].sort()
                                        : x.days.filter((n) => n !== di + 1),
                                    }
                                  : x,
                              ),
                            })
                          }
                        />
                        {d}
                      </label>
                    ))}
                  </div>
                </fieldset>
                {(['start', 'end'] as const).map((edge) => (
                  <div className="field" key={edge}>
                    <label htmlFor={`${id}-r${k}-${edge}`}>
                      {edge === 'start' ? 'From' : 'Until'}
                    </label>
                    <input
                      id={`${id}-r${k}-${edge}`}
                      type="time"
                      required
                      value={r[edge]}
                      onChange={(e) =>
                        setLayer(i, {
                          restrictions: layer.restrictions.map((x, xk) =>
                            xk === k ? { ...x, [edge]: e.target.value } : x,
                          ),
                        })
                      }
                    />
                  </div>
                ))}
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() =>
                    setLayer(i, { restrictions: layer.restrictions.filter((_, xk) => xk !== k) })
                  }
                >
                  Remove restriction
                </button>
              </div>
            ))}
            <div className="button-row">
              <button
                type="button"
                className="button button-quiet"
                onClick={() =>
                  setLayer(i, {
                    restrictions: [
                      ...layer.restrictions,
                      { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
                    ],
                  })
                }
              >
                Restrict to certain hours
              </button>
              {layers.length > 1 ? (
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => setLayers((ls) => ls.filter((_, j) => j !== i))}
                >
                  Remove layer {i + 1}
                </button>
              ) : null}
            </div>
          </fieldset>
        );
      })}
      <p className="hint">
        Later layers win where they have someone on call; overrides win over every layer.
      </p>
      {localError ? (
        <p className="field-error" role="alert">
          {localError}
        </p>
      ) : null}
      <ErrorMessage error={create.error ?? update.error} title="The schedule was not saved" />
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => setLayers((ls) => [...ls, newLayer()])}
        >
          Add layer
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={create.pending || update.pending}
        >
          Save schedule
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
