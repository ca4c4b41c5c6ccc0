'use client';

import dynamic from 'next/dynamic';
import { useId } from 'react';

export interface PromqlEditorProps {
  value: string;
  onChange: (value: string) => void;
  onRun?: () => void;
  label?: string;
  id?: string;
}

// CodeMirror and the PromQL grammar are loaded only on the pages that edit a query, and only
// in the browser (the editor needs the DOM).
const PromqlCodeMirror = dynamic(() => import('./promql-editor-cm'), {
  ssr: false,
  loading: () => <div className="promql-cm promql-cm-loading" aria-hidden="true" />,
});

/**
 * The PromQL editor (CodeMirror with the Prometheus project's PromQL language): highlighting,
 * and completion of functions, metric names, label names and values from the organization's
 * own data over GraphQL. Ctrl+Enter (⌘Enter) runs the query; arrows and Enter pick a
 * completion, Escape closes the list, Tab leaves the editor.
 */
export function PromqlEditor({
  value,
  onChange,
  onRun,
  label = 'PromQL query',
  id: givenId,
}: PromqlEditorProps) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const labelId = `${id}-label`;
  const hintId = `${id}-hint`;
  return (
    <div className="field promql-editor">
      <label id={labelId} htmlFor={id}>
        {label}
      </label>
      <PromqlCodeMirror
        id={id}
        labelId={labelId}
        hintId={hintId}
        value={value}
        onChange={onChange}
        onRun={onRun}
      />
      <p className="hint" id={hintId}>
        Functions and the names of your metrics and labels are suggested as you type.{' '}
        {onRun ? 'Ctrl+Enter runs the query.' : ''}
      </p>
    </div>
  );
}
