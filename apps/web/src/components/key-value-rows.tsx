'use client';

import { useId } from 'react';
import type { KeyValueRow } from '../lib/key-values';

/**
 * Editable name/value rows (rule labels, annotations): one row a pair, Add and Remove, every
 * input labelled by its row so screen readers and tests can tell the rows apart.
 */
export function KeyValueRows({
  legend,
  what,
  rows,
  onChange,
  keyPlaceholder,
  valuePlaceholder,
  hint,
  error,
}: {
  legend: string;
  /** Singular noun for labels and buttons, e.g. "label". */
  what: string;
  rows: KeyValueRow[];
  onChange: (rows: KeyValueRow[]) => void;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  hint?: React.ReactNode;
  /** The api's (or the form's) message about these rows, shown with them. */
  error?: string;
}) {
  const id = useId();
  const set = (i: number, patch: Partial<KeyValueRow>) =>
    onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="field" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend>{legend}</legend>
      {rows.map((r, i) => (
        <div className="form-inline kv-row" key={i} data-testid={`${what}-row`}>
          <div className="field">
            <label htmlFor={`${id}-k${i}`} className="visually-hidden">
              {`${what} ${i + 1} key`}
            </label>
            <input
              id={`${id}-k${i}`}
              className="mono"
              value={r.key}
              placeholder={keyPlaceholder}
              onChange={(e) => set(i, { key: e.target.value })}
            />
          </div>
          <div className="field grow">
            <label htmlFor={`${id}-v${i}`} className="visually-hidden">
              {`${what} ${i + 1} value`}
            </label>
            <input
              id={`${id}-v${i}`}
              value={r.value}
              placeholder={valuePlaceholder}
              onChange={(e) => set(i, { value: e.target.value })}
            />
          </div>
          <button
            type="button"
            className="button button-quiet"
            aria-label={`Remove ${what} ${r.key || i + 1}`}
            onClick={() => onChange(rows.filter((_, k) => k !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => onChange([...rows, { key: '', value: '' }])}
        >
          Add {what}
        </button>
      </div>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
