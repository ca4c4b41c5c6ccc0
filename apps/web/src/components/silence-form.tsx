'use client';

import { useId, useState, type FormEvent } from 'react';
import { useMutation } from '../graphql/hooks';
import { CREATE_SILENCE, type Silence } from '../graphql/operations';
import { ErrorMessage } from './error-message';

const DURATIONS = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '1 week', ms: 7 * 86_400_000 },
];

/** Creates a silence; the matchers arrive prefilled (from an alert) and stay editable. */
export function SilenceForm({
  initialMatchers,
  onCreated,
  onCancel,
}: {
  initialMatchers: string;
  onCreated: (silence: Silence) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const [matchers, setMatchers] = useState(initialMatchers);
  const [duration, setDuration] = useState(DURATIONS[0].ms);
  const [comment, setComment] = useState('');
  const create = useMutation(CREATE_SILENCE);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const endsAt = new Date(Date.now() + duration).toISOString();
    const result = await create.run({
      input: { matchers: matchers.trim(), endsAt, comment: comment.trim() },
    });
    if (result) onCreated(result.createSilence);
  }

  return (
    <form className="form silence-form" onSubmit={submit} aria-label="New silence">
      <div className="field">
        <label htmlFor={`${id}-m`}>Matchers</label>
        <input
          id={`${id}-m`}
          className="mono"
          required
          value={matchers}
          onChange={(e) => setMatchers(e.target.value)}
          aria-describedby={`${id}-mh`}
        />
        <p className="hint" id={`${id}-mh`}>
          Alertmanager syntax, e.g. <code>{'{alertname="HighCPU", env=~"prod|stage"}'}</code>.
          Remove labels to mute more alerts.
        </p>
      </div>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${id}-d`}>For</label>
          <select
            id={`${id}-d`}
            value={duration}
            onChange={(e) => setDuration(Number(e.target.value))}
          >
            {DURATIONS.map((d) => (
              <option key={d.ms} value={d.ms}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-c`}>Comment</label>
          <input
            id={`${id}-c`}
            placeholder="Why, and who is on it"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </div>
      </div>
      <ErrorMessage error={create.error} title="Could not create the silence" />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={create.pending}>
          {create.pending ? 'Silencing…' : 'Create silence'}
        </button>
        {onCancel ? (
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
