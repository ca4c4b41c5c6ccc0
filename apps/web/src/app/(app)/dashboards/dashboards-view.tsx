'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  CREATE_DASHBOARD,
  DASHBOARDS_QUERY,
  DELETE_DASHBOARD,
  DUPLICATE_DASHBOARD,
  IMPORT_GRAFANA_DASHBOARD,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { canEditConfig } from '../../../lib/permissions';

export function DashboardsView() {
  const me = useMe();
  const router = useRouter();
  const edit = canEditConfig(me.role);
  const list = useQuery(DASHBOARDS_QUERY, {});
  const create = useMutation(CREATE_DASHBOARD);
  const duplicate = useMutation(DUPLICATE_DASHBOARD);
  const remove = useMutation(DELETE_DASHBOARD);
  const importGrafana = useMutation(IMPORT_GRAFANA_DASHBOARD);
  const [title, setTitle] = useState('');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState('');
  const [showImport, setShowImport] = useState(false);

  async function submitCreate(event: FormEvent) {
    event.preventDefault();
    const result = await create.run({
      title: title.trim(),
      definition: { panels: [], variables: [], time: { rangeMs: 3_600_000, refreshSeconds: 0 } },
    });
    if (result) router.push(`/dashboards/${result.createDashboard.id}?edit=1`);
  }

  async function submitImport(event: FormEvent) {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      setJsonError(`That is not valid JSON: ${(e as Error).message}`);
      return;
    }
    setJsonError('');
    const result = await importGrafana.run({ json: parsed });
    if (result) {
      const { dashboard, skipped } = result.importGrafanaDashboard;
      const note = skipped.length ? `&skipped=${encodeURIComponent(skipped.join(', '))}` : '';
      router.push(`/dashboards/${dashboard.id}?imported=1${note}`);
    }
  }

  const dashboards = list.data?.dashboards ?? [];
  return (
    <>
      <div className="page-header">
        <h1>Dashboards</h1>
        <p className="muted">Panels of PromQL queries over your metrics.</p>
      </div>
      {edit ? (
        <section className="card">
          <form className="form-inline" onSubmit={submitCreate}>
            <div className="field grow">
              <label htmlFor="dashboard-title">New dashboard</label>
              <input
                id="dashboard-title"
                required
                maxLength={200}
                placeholder="e.g. API latency"
                value={title}
                onChange={(e) => setTitle(e.target.value)}
              />
            </div>
            <button type="submit" className="button button-primary" disabled={create.pending}>
              Create
            </button>
            <button
              type="button"
              className="button"
              aria-expanded={showImport}
              onClick={() => setShowImport(!showImport)}
            >
              Import from Grafana
            </button>
          </form>
          <ErrorMessage error={create.error} title="Could not create the dashboard" />
          {showImport ? (
            <form className="form" onSubmit={submitImport}>
              <div className="field">
                <label htmlFor="grafana-json">Grafana dashboard JSON</label>
                <textarea
                  id="grafana-json"
                  className="mono"
                  rows={8}
                  required
                  value={json}
                  onChange={(e) => setJson(e.target.value)}
                  aria-describedby="grafana-json-hint"
                />
                <p
                  className={jsonError ? 'field-error' : 'hint'}
                  id="grafana-json-hint"
                  role={jsonError ? 'alert' : undefined}
                >
                  {jsonError ||
                    'In Grafana: Dashboard → Share → Export → Save to file, then paste the file here. Panels with Prometheus queries are kept; label_values() variables too.'}
                </p>
              </div>
              <ErrorMessage error={importGrafana.error} title="Could not import" />
              <button
                type="submit"
                className="button button-primary"
                disabled={importGrafana.pending}
              >
                Import
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
      <ErrorMessage
        error={list.error ?? duplicate.error ?? remove.error}
        title="Could not load or change dashboards"
      />
      {list.data && dashboards.length === 0 ? (
        <p className="empty">
          No dashboards yet.{' '}
          {edit ? 'Create one above, or import one from Grafana.' : 'Editors can create them.'}
        </p>
      ) : null}
      {dashboards.length ? (
        <ul className="item-list">
          {dashboards.map((d) => (
            <li key={d.id} className="item">
              <div className="item-main">
                <div className="item-title">
                  <Link href={`/dashboards/${d.id}`}>{d.title}</Link>
                </div>
                <p className="muted small">
                  {d.definition.panels.length} panel{d.definition.panels.length === 1 ? '' : 's'} ·
                  updated {formatDateTime(d.updatedAt, me.user.timeZone)}
                </p>
              </div>
              {edit ? (
                <div className="item-actions button-row">
                  <button
                    type="button"
                    className="button"
                    aria-label={`Duplicate ${d.title}`}
                    onClick={async () => {
                      if (await duplicate.run({ id: d.id })) await list.reload();
                    }}
                  >
                    Duplicate
                  </button>
                  <ConfirmButton
                    label="Delete"
                    confirmLabel="Delete dashboard"
                    accessibleName={`Delete dashboard ${d.title}`}
                    onConfirm={async () => {
                      if (await remove.run({ id: d.id })) await list.reload();
                    }}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
