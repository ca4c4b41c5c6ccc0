'use client';

import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { request } from '../graphql/client';
import { LABEL_NAMES, METRIC_NAMES } from '../graphql/operations';
import { caretContext, tokenize, type CaretContext } from '../lib/promql-tokens';

/**
 * A textarea with a highlighted read-back and autocomplete of metric and label names from the
 * organization's own data. Ctrl+Enter (⌘Enter) runs the query; arrows and Enter/Tab pick a
 * suggestion, Escape closes the list — all keyboard-operable, announced as a listbox.
 */
export function PromqlEditor({
  value,
  onChange,
  onRun,
  label = 'PromQL query',
  id: givenId,
}: {
  value: string;
  onChange: (value: string) => void;
  onRun?: () => void;
  label?: string;
  id?: string;
}) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const area = useRef<HTMLTextAreaElement>(null);
  const [ctx, setCtx] = useState<CaretContext>({ kind: 'none', prefix: '', start: 0 });
  const [metrics, setMetrics] = useState<string[]>([]);
  const [labels, setLabels] = useState<string[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);

  // Names are loaded once per editor: a few hundred strings, cheaper than asking per keystroke.
  useEffect(() => {
    const controller = new AbortController();
    request(METRIC_NAMES, {}, { signal: controller.signal })
      .then((r) => setMetrics(r.metricNames))
      .catch(() => undefined);
    request(LABEL_NAMES, {}, { signal: controller.signal })
      .then((r) => setLabels(r.labelNames.filter((n) => n !== '__name__')))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  const suggestions = useMemo(() => {
    if (!open || ctx.kind === 'none') return [];
    const pool = ctx.kind === 'metric' ? metrics : labels;
    const p = ctx.prefix.toLowerCase();
    return pool.filter((n) => n.toLowerCase().startsWith(p) && n !== ctx.prefix).slice(0, 20);
  }, [open, ctx, metrics, labels]);

  function refresh() {
    const el = area.current;
    if (!el) return;
    setCtx(caretContext(el.value, el.selectionStart));
    setActive(0);
  }

  function accept(name: string) {
    const el = area.current;
    if (!el) return;
    const caret = el.selectionStart;
    const next = value.slice(0, ctx.start) + name + value.slice(caret);
    onChange(next);
    setOpen(false);
    requestAnimationFrame(() => {
      el.focus();
      const at = ctx.start + name.length;
      el.setSelectionRange(at, at);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      setOpen(false);
      onRun?.();
      return;
    }
    if (!suggestions.length) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => (a - 1 + suggestions.length) % suggestions.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      accept(suggestions[active]);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  }

  const listId = `${id}-suggestions`;
  return (
    <div className="field promql-editor">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={area}
        rows={3}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        value={value}
        role="combobox"
        aria-expanded={suggestions.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={suggestions.length ? `${listId}-${active}` : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          refresh();
        }}
        onKeyDown={onKeyDown}
        onClick={refresh}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <ul
        id={listId}
        role="listbox"
        className="suggestions"
        hidden={!suggestions.length}
        aria-label="Suggestions"
      >
        {suggestions.map((name, i) => (
          <li
            key={name}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => {
              e.preventDefault();
              accept(name);
            }}
          >
            {name}
          </li>
        ))}
      </ul>
      {value ? (
        <p className="promql-preview" aria-hidden="true">
          {tokenize(value).map((t, i) => (
            <span
              key={i}
              className={t.kind === 'other' || t.kind === 'ident' ? undefined : `tok-${t.kind}`}
            >
              {t.text}
            </span>
          ))}
        </p>
      ) : null}
      <p className="hint" id={`${id}-hint`}>
        Names of your metrics and labels are suggested as you type.{' '}
        {onRun ? 'Ctrl+Enter runs the query.' : ''}
      </p>
    </div>
  );
}
