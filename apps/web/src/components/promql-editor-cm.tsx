'use client';

import { autocompletion, completionKeymap, closeBrackets } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting, bracketMatching } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import {
  newCompleteStrategy,
  PromQLExtension,
  type CompleteStrategy,
  type PrometheusClient,
} from '@prometheus-io/codemirror-promql';
import { useEffect, useRef } from 'react';
import { request } from '../graphql/client';
import { LABEL_NAMES, LABEL_VALUES, METRIC_NAMES } from '../graphql/operations';
import { selectorFor, type Matcher } from '../lib/promql-selector';
import type { PromqlEditorProps } from './promql-editor';

/**
 * codemirror-promql's data source, answered by Tocsin's GraphQL (the web never calls the
 * Prometheus HTTP API). Answers are kept for the editor's lifetime: a few hundred names, and
 * completion asks again on nearly every keystroke.
 */
export class GraphqlPrometheusClient implements PrometheusClient {
  private readonly cache = new Map<string, Promise<string[]>>();

  private cached(key: string, load: () => Promise<string[]>): Promise<string[]> {
    let hit = this.cache.get(key);
    if (!hit) {
      // A failed look-up is not remembered, so the next keystroke can try again.
      hit = load().catch(() => {
        this.cache.delete(key);
        return [];
      });
      this.cache.set(key, hit);
    }
    return hit;
  }

  metricNames(): Promise<string[]> {
    return this.cached('metrics', () => request(METRIC_NAMES, {}).then((r) => r.metricNames));
  }

  labelNames(metricName?: string): Promise<string[]> {
    return this.cached(`names:${metricName ?? ''}`, () =>
      request(LABEL_NAMES, { match: metricName ? [metricName] : undefined }).then((r) =>
        r.labelNames.filter((n) => n !== '__name__'),
      ),
    );
  }

  labelValues(labelName: string, metricName?: string, matchers?: Matcher[]): Promise<string[]> {
    const selector = selectorFor(metricName, matchers, labelName);
    return this.cached(`values:${labelName}:${selector}`, () =>
      request(LABEL_VALUES, { name: labelName, match: selector ? [selector] : undefined }).then(
        (r) => r.labelValues,
      ),
    );
  }

  // Tocsin keeps no metric metadata (type/help); completion works from names alone.
  metricMetadata() {
    return Promise.resolve({});
  }

  series() {
    return Promise.resolve([]);
  }

  flags() {
    return Promise.resolve({});
  }
}

/**
 * codemirror-promql's completion, dropped when its names arrive after the person has left the
 * editor: a list opening over the next field would be in the way, and Escape would not reach it.
 */
function focusedOnly(client: PrometheusClient): CompleteStrategy {
  const inner = newCompleteStrategy({ remote: client });
  return {
    promQL: async (context) => {
      const result = await inner.promQL(context);
      return context.view && !context.view.hasFocus ? null : result;
    },
    destroy: () => inner.destroy?.(),
  };
}

// Colours are CSS variables, so the editor follows the app's light/dark palette.
const highlight = HighlightStyle.define([
  { tag: tags.function(tags.variableName), color: 'var(--tok-fn)' },
  { tag: [tags.number, tags.unit], color: 'var(--tok-num)' },
  { tag: tags.string, color: 'var(--tok-str)' },
  {
    tag: [tags.keyword, tags.operatorKeyword, tags.modifier],
    color: 'var(--tok-kw)',
    fontWeight: '600',
  },
  { tag: tags.labelName, color: 'var(--tok-label)' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

const theme = EditorView.theme({
  '&': {
    border: '1px solid var(--border)',
    borderRadius: '6px',
    background: 'var(--surface)',
    color: 'var(--text)',
    fontSize: '0.9rem',
  },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '1px' },
  '.cm-content': { fontFamily: 'var(--mono)', padding: '0.45rem 0', minHeight: '3.5rem' },
  '.cm-line': { padding: '0 0.6rem' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    background: 'var(--surface-2)',
  },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-tooltip': {
    background: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
    borderRadius: '6px',
  },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    background: 'var(--surface-2)',
    color: 'var(--text)',
    outline: '2px solid var(--focus)',
  },
  '.cm-completionDetail': { color: 'var(--muted)' },
});

/**
 * The CodeMirror 6 editor behind PromqlEditor, loaded only where a query is edited. The
 * content element is labelled by the visible label, so screen readers and getByLabel find it.
 */
export default function PromqlCodeMirror({
  value,
  onChange,
  onRun,
  labelId,
  hintId,
  id,
}: PromqlEditorProps & { labelId: string; hintId: string; id: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, read by the editor's handlers that were built once.
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    if (!host.current) return;
    const promql = new PromQLExtension()
      .activateLinter(false)
      .setComplete({ completeStrategy: focusedOnly(new GraphqlPrometheusClient()) });
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion({ icons: false }),
          EditorView.lineWrapping,
          placeholder('e.g. rate(http_requests_total[5m])'),
          promql.asExtension(),
          syntaxHighlighting(highlight),
          theme,
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: () => {
                  callbacks.current.onRun?.();
                  return Boolean(callbacks.current.onRun);
                },
              },
            ]),
          ),
          // No Tab binding: Tab keeps moving focus out of the editor, as in any form field.
          keymap.of([...completionKeymap, ...historyKeymap, ...defaultKeymap]),
          EditorView.contentAttributes.of({
            id,
            'aria-labelledby': labelId,
            'aria-describedby': hintId,
            'aria-multiline': 'true',
            spellcheck: 'false',
            autocapitalize: 'off',
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      promql.destroy();
      view.current = null;
    };
    // The editor is built once; later values arrive through the effect below.
  }, []);

  // A value set from outside (a reset, a loaded rule) replaces the text.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className="promql-cm" />;
}
