'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
import { useMe } from '../../../../components/me-context';
import { PanelBody } from '../../../../components/panels';
import { PromqlEditor } from '../../../../components/promql-editor';
import { RANGES } from '../../../../components/time-range';
import { useMutation, useQuery } from '../../../../graphql/hooks';
import {
  DASHBOARD_QUERY,
  LABEL_VALUES,
  PANEL_TYPES,
  QUERY_RANGE,
  UPDATE_DASHBOARD,
  type DashboardDefinition,
  type DashboardPanel,
  type DashboardVariable,
  type PanelType,
} from '../../../../graphql/operations';
import { canEditConfig } from '../../../../lib/permissions';
import { applyVariables } from '../../../../lib/variables';

const REFRESH = [
  { label: 'Off', seconds: 0 },
  { label: '10 s', seconds: 10 },
  { label: '30 s', seconds: 30 },
  { label: '1 min', seconds: 60 },
  { label: '5 min', seconds: 300 },
];

function Panel({
  panel,
  values,
  end,
  rangeMs,
}: {
  panel: DashboardPanel;
  values: Record<string, string>;
  end: number;
  rangeMs: number;
}) {
  const query = applyVariables(panel.query, values);
  const range = { start: end - rangeMs, end };
  const result = useQuery(QUERY_RANGE, { query, range }, { skip: !query.trim() });
  return (
    <section
      className="card panel"
      style={{ gridColumn: `span ${panel.width}` }}
      aria-label={panel.title || 'Panel'}
      data-testid="panel"
    >
      <h2 className="panel-title">{panel.title || <span className="muted">Untitled</span>}</h2>
      {!query.trim() ? (
        <p className="empty small">Edit the dashboard to give this panel a query.</p>
      ) : null}
      <ErrorMessage
        error={result.error}
        hints={{ BAD_USER_INPUT: 'Fix the panel’s query in edit mode.' }}
      />
      {result.data ? (
        <PanelBody
          panel={panel}
          series={result.data.queryRange.series}
          start={range.start}
          end={range.end}
        />
      ) : result.loading ? (
        <p className="muted small">Loading…</p>
      ) : null}
    </section>
  );
}

function VariablePicker({
  variable,
  value,
  onChange,
}: {
  variable: DashboardVariable;
  value: string;
  onChange: (value: string) => void;
}) {
  const values = useQuery(LABEL_VALUES, {
    name: variable.label,
    match: variable.match ? [variable.match] : null,
  });
  const options = values.data?.labelValues ?? [];
  // Pick the first value once they arrive, so panels have something to show.
  useEffect(() => {
    if (!value && options.length) onChange(options[0]);
  }, [value, options, onChange]);
  const id = `var-${variable.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{variable.name}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.length === 0 ? <option value="">No values</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

function PanelEditor({
  panel,
  onChange,
  onRemove,
}: {
  panel: DashboardPanel;
  onChange: (panel: DashboardPanel) => void;
  onRemove: () => void;
}) {
  const p = `panel-${panel.id}`;
  return (
    <fieldset className="card form panel-editor" style={{ gridColumn: `span ${panel.width}` }}>
      <legend>Panel {panel.title || panel.id}</legend>
      <div className="field">
        <label htmlFor={`${p}-title`}>Title</label>
        <input
          id={`${p}-title`}
          value={panel.title}
          onChange={(e) => onChange({ ...panel, title: e.target.value })}
        />
      </div>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${p}-type`}>Type</label>
          <select
            id={`${p}-type`}
            value={panel.type}
            onChange={(e) => onChange({ ...panel, type: e.target.value as PanelType })}
          >
            {PANEL_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${p}-width`}>Width (of 12)</label>
          <input
            id={`${p}-width`}
            type="number"
            min={1}
            max={12}
            value={panel.width}
            onChange={(e) =>
              onChange({ ...panel, width: Math.min(12, Math.max(1, Number(e.target.value) || 6)) })
            }
          />
        </div>
        <div className="field">
          <label htmlFor={`${p}-unit`}>Unit</label>
          <input
            id={`${p}-unit`}
            value={panel.unit ?? ''}
            placeholder="percent, ms, …"
            onChange={(e) => onChange({ ...panel, unit: e.target.value || undefined })}
          />
        </div>
      </div>
      <PromqlEditor
        id={`${p}-query`}
        label="Query"
        value={panel.query}
        onChange={(query) => onChange({ ...panel, query })}
      />
      <button type="button" className="button button-danger-quiet" onClick={onRemove}>
        Remove panel
      </button>
    </fieldset>
  );
}

export function DashboardView({ id }: { id: string }) {
  const me = useMe();
  const params = useSearchParams();
  const loaded = useQuery(DASHBOARD_QUERY, { id });
  const save = useMutation(UPDATE_DASHBOARD);
  const [draft, setDraft] = useState<{ title: string; definition: DashboardDefinition }>();
  const [editing, setEditing] = useState(params.get('edit') === '1');
  const [values, setValues] = useState<Record<string, string>>({});
  const [rangeMs, setRangeMs] = useState<number>();
  const [refresh, setRefresh] = useState<number>();
  const [end, setEnd] = useState(() => Date.now());
  const dashboard = loaded.data?.dashboard;

  useEffect(() => {
    if (dashboard && !draft) setDraft({ title: dashboard.title, definition: dashboard.definition });
  }, [dashboard, draft]);

  const definition = draft?.definition ?? dashboard?.definition;
  const effectiveRange = rangeMs ?? definition?.time.rangeMs ?? 3_600_000;
  const effectiveRefresh = refresh ?? definition?.time.refreshSeconds ?? 0;

  // Auto-refresh moves the window's end; every panel re-queries because its variables change.
  useEffect(() => {
    if (!effectiveRefresh || editing) return;
    const timer = setInterval(() => setEnd(Date.now()), effectiveRefresh * 1000);
    return () => clearInterval(timer);
  }, [effectiveRefresh, editing]);

  const setValue = useMemo(
    () => (name: string) => (value: string) =>
      setValues((v) => (v[name] === value ? v : { ...v, [name]: value })),
    [],
  );

  if (loaded.error)
    return (
      <>
        <h1>Dashboard</h1>
        <ErrorMessage error={loaded.error} title="Could not load this dashboard" />
        <Link href="/dashboards">Back to dashboards</Link>
      </>
    );
  if (!dashboard || !definition || !draft) return <p className="muted">Loading the dashboard…</p>;
  const canEdit = canEditConfig(me.role);

  const update = (next: Partial<DashboardDefinition>) =>
    setDraft((d) => (d ? { ...d, definition: { ...d.definition, ...next } } : d));

  async function saveDraft() {
    if (!draft) return;
    const result = await save.run({
      id,
      title: draft.title,
      definition: {
        ...draft.definition,
        time: { rangeMs: effectiveRange, refreshSeconds: effectiveRefresh },
      },
    });
    if (result) {
      setDraft({
        title: result.updateDashboard.title,
        definition: result.updateDashboard.definition,
      });
      setEditing(false);
      await loaded.reload();
    }
  }

  const skipped = params.get('skipped');
  return (
    <>
      <p>
        <Link href="/dashboards">← Dashboards</Link>
      </p>
      {params.get('imported') ? (
        <div className="callout callout-success" role="status">
          <p>
            Imported from Grafana.{skipped ? ` Left out (no Prometheus query): ${skipped}.` : ''}
          </p>
        </div>
      ) : null}
      <div className="page-header page-header-row">
        {editing ? (
          <div className="field grow">
            <label htmlFor="dashboard-edit-title">Title</label>
            <input
              id="dashboard-edit-title"
              value={draft.title}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
            />
          </div>
        ) : (
          <h1>{draft.title}</h1>
        )}
        <div className="button-row">
          <label htmlFor="dash-range" className="visually-hidden">
            Time range
          </label>
          <select
            id="dash-range"
            value={effectiveRange}
            onChange={(e) => setRangeMs(Number(e.target.value))}
          >
            {RANGES.map((r) => (
              <option key={r.ms} value={r.ms}>
                {r.label}
              </option>
            ))}
          </select>
          <label htmlFor="dash-refresh" className="visually-hidden">
            Auto-refresh
          </label>
          <select
            id="dash-refresh"
            value={effectiveRefresh}
            onChange={(e) => setRefresh(Number(e.target.value))}
          >
            {REFRESH.map((r) => (
              <option key={r.seconds} value={r.seconds}>
                Refresh: {r.label}
              </option>
            ))}
          </select>
          <button type="button" className="button" onClick={() => setEnd(Date.now())}>
            Refresh now
          </button>
          {canEdit && !editing ? (
            <button type="button" className="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          ) : null}
          {editing ? (
            <>
              <button
                type="button"
                className="button button-primary"
                disabled={save.pending}
                onClick={saveDraft}
              >
                {save.pending ? 'Saving…' : 'Save dashboard'}
              </button>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => {
                  setDraft({ title: dashboard.title, definition: dashboard.definition });
                  setEditing(false);
                }}
              >
                Cancel
              </button>
            </>
          ) : null}
        </div>
      </div>
      <ErrorMessage error={save.error} title="Could not save the dashboard" />

      {definition.variables.length ? (
        <div className="filters" role="group" aria-label="Variables">
          {definition.variables.map((v) => (
            <VariablePicker
              key={v.name}
              variable={v}
              value={values[v.name] ?? ''}
              onChange={setValue(v.name)}
            />
          ))}
        </div>
      ) : null}

      {editing ? (
        <section className="card form" aria-labelledby="vars-heading">
          <h2 id="vars-heading">Variables</h2>
          <p className="hint">Use them in queries as $name; each offers the values of a label.</p>
          {definition.variables.map((v, i) => (
            <div className="form-inline" key={i}>
              <div className="field">
                <label htmlFor={`v-${i}-name`}>Name</label>
                <input
                  id={`v-${i}-name`}
                  value={v.name}
                  onChange={(e) =>
                    update({
                      variables: definition.variables.map((x, j) =>
                        j === i ? { ...x, name: e.target.value } : x,
                      ),
                    })
                  }
                />
              </div>
              <div className="field">
                <label htmlFor={`v-${i}-label`}>Label</label>
                <input
                  id={`v-${i}-label`}
                  value={v.label}
                  onChange={(e) =>
                    update({
                      variables: definition.variables.map((x, j) =>
                        j === i ? { ...x, label: e.target.value } : x,
                      ),
                    })
                  }
                />
              </div>
              <div className="field grow">
                <label htmlFor={`v-${i}-match`}>Only series matching (optional)</label>
                <input
                  id={`v-${i}-match`}
                  className="mono"
                  value={v.match ?? ''}
                  onChange={(e) =>
                    update({
                      variables: definition.variables.map((x, j) =>
                        j === i ? { ...x, match: e.target.value || undefined } : x,
                      ),
                    })
                  }
                />
              </div>
              <button
                type="button"
                className="button button-danger-quiet"
                onClick={() =>
                  update({ variables: definition.variables.filter((_, j) => j !== i) })
                }
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button"
            onClick={() =>
              update({
                variables: [
                  ...definition.variables,
                  { name: `var${definition.variables.length + 1}`, label: 'job' },
                ],
              })
            }
          >
            Add variable
          </button>
        </section>
      ) : null}

      {definition.panels.length === 0 && !editing ? (
        <p className="empty">
          This dashboard has no panels yet. {canEdit ? 'Choose Edit, then Add panel.' : ''}
        </p>
      ) : null}
      <div className="panel-grid">
        {definition.panels.map((panel) =>
          editing ? (
            <PanelEditor
              key={panel.id}
              panel={panel}
              onChange={(next) =>
                update({ panels: definition.panels.map((x) => (x.id === panel.id ? next : x)) })
              }
              onRemove={() =>
                update({ panels: definition.panels.filter((x) => x.id !== panel.id) })
              }
            />
          ) : (
            <Panel
              key={panel.id}
              panel={panel}
              values={values}
              end={end}
              rangeMs={effectiveRange}
            />
          ),
        )}
      </div>
      {editing ? (
        <button
          type="button"
          className="button"
          onClick={() => {
            const ids = new Set(definition.panels.map((p) => p.id));
            let n = definition.panels.length + 1;
            while (ids.has(String(n))) n += 1;
            update({
              panels: [
                ...definition.panels,
                { id: String(n), title: '', type: 'timeseries', query: '', width: 6 },
              ],
            });
          }}
        >
          Add panel
        </button>
      ) : null}
    </>
  );
}
