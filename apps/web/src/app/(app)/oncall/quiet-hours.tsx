'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation, useQuery } from '../../../graphql/hooks';
import { MY_QUIET_HOURS_QUERY, SET_QUIET_HOURS } from '../../../graphql/operations';

/** HH:mm now on the zone's clock, so the person can see which clock the times are read on. */
function clockIn(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date());
  } catch {
    return '';
  }
}

/**
 * The signed-in person's quiet hours: low-urgency pages wait until they end. The times are read
 * in the person's profile time zone as the api stores it (shown), never the browser's.
 */
export function QuietHours() {
  const current = useQuery(MY_QUIET_HOURS_QUERY, {});
  const save = useMutation(SET_QUIET_HOURS);
  const stored = current.data?.myQuietHours;
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [saved, setSaved] = useState('');

  useEffect(() => {
    if (!stored) return;
    setStart(stored.quietHoursStart ?? '');
    setEnd(stored.quietHoursEnd ?? '');
  }, [stored]);

  async function set(next: { start: string | null; end: string | null }) {
    setSaved('');
    const result = await save.run(next);
    if (!result) return;
    await current.reload();
    const q = result.setQuietHours;
    setSaved(
      q.quietHoursStart
        ? `Saved: quiet from ${q.quietHoursStart} to ${q.quietHoursEnd} (${q.timeZone}).`
        : 'Quiet hours cleared.',
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void set({ start: start || null, end: end || null });
  }

  const timeZone = stored?.timeZone;
  return (
    <div role="group" aria-labelledby="quiet-hours-heading">
      <h3 id="quiet-hours-heading">Quiet hours</h3>
      <ErrorMessage error={current.error ?? save.error} />
      {timeZone ? (
        <p className="muted small" data-testid="quiet-hours-zone">
          Times are in your profile time zone, <strong>{timeZone}</strong> (now {clockIn(timeZone)}{' '}
          there), not this browser&rsquo;s.
        </p>
      ) : null}
      <form className="form-inline" onSubmit={submit} aria-label="Quiet hours">
        <div className="field">
          <label htmlFor="quiet-start">From{timeZone ? ` (${timeZone})` : ''}</label>
          <input
            id="quiet-start"
            type="time"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="quiet-end">Until{timeZone ? ` (${timeZone})` : ''}</label>
          <input id="quiet-end" type="time" value={end} onChange={(e) => setEnd(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={save.pending || !current.data}>
          Save quiet hours
        </button>
        {stored?.quietHoursStart ? (
          <button
            type="button"
            className="button button-quiet"
            disabled={save.pending}
            onClick={() => set({ start: null, end: null })}
          >
            Clear
          </button>
        ) : null}
      </form>
      <p className="hint">
        Low-urgency pages that arrive in these hours wait until they end; high urgency still pages
        at once. A range past midnight (22:00 to 07:00) is allowed.
      </p>
      {saved ? (
        <p role="status" className="small">
          {saved}
        </p>
      ) : null}
    </div>
  );
}
