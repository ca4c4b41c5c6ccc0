'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
import { useMe } from '../../../../components/me-context';
import { useMutation, useQuery } from '../../../../graphql/hooks';
import {
  ORGANIZATION_LIMITS_QUERY,
  UPDATE_ORGANIZATION_LIMITS,
  USAGE_QUERY,
  type OrganizationLimits,
} from '../../../../graphql/operations';
import { canManageMembers } from '../../../../lib/permissions';

type LimitKey = keyof Omit<OrganizationLimits, '__typename'>;

/** Every per-organization limit, what it means, and what 0 (where allowed) does. */
const FIELDS: Array<{ key: LimitKey; label: string; help: string; clearable?: boolean }> = [
  {
    key: 'ingestionRate',
    label: 'Ingestion rate (samples/s)',
    help: 'Average samples per second accepted; above it ingest answers 429.',
  },
  { key: 'ingestionBurst', label: 'Ingestion burst (samples)', help: 'Samples accepted at once.' },
  {
    key: 'maxActiveSeries',
    label: 'Max active series',
    help: 'Series that received samples recently; new series above it are refused (400).',
  },
  {
    key: 'maxSeriesPerMetric',
    label: 'Max series per metric',
    help: '0 removes the limit.',
    clearable: true,
  },
  {
    key: 'ingestMaxBodyBytes',
    label: 'Max request body (bytes)',
    help: "0 uses the server's limit, which this can only lower.",
    clearable: true,
  },
  {
    key: 'ingestMaxDecompressedBytes',
    label: 'Max decompressed body (bytes)',
    help: "0 uses the server's limit, which this can only lower.",
    clearable: true,
  },
  { key: 'retentionRawDays', label: 'Raw samples kept (days)', help: 'Full resolution.' },
  { key: 'retention1mDays', label: '1-minute rollups kept (days)', help: '' },
  { key: 'retention1hDays', label: '1-hour rollups kept (days)', help: '' },
  {
    key: 'alertLogRetentionDays',
    label: 'Alert log kept (days)',
    help: 'Routing decisions and delivery records.',
  },
  {
    key: 'queryTimeoutSeconds',
    label: 'Query timeout (seconds)',
    help: 'How long one PromQL query (Grafana, charts) may run; above it the query fails (503).',
  },
  {
    key: 'queryMaxSamples',
    label: 'Max samples per query',
    help: 'Samples one query may hold in memory; above it the query fails (422).',
  },
];

const number = new Intl.NumberFormat('en');

export function LimitsView() {
  const me = useMe();
  const manage = canManageMembers(me.role);
  const limits = useQuery(ORGANIZATION_LIMITS_QUERY, {});
  const usage = useQuery(USAGE_QUERY, {});
  // Kept here: the form remounts with the saved values, and the confirmation must outlive it.
  const [saved, setSaved] = useState(false);
  const u = usage.data?.usage;
  return (
    <>
      <div className="page-header">
        <h1>Limits and usage</h1>
        <p className="muted">
          Limits apply to this organization only. Owners and admins can change them.
        </p>
      </div>
      <ErrorMessage error={usage.error} title="Could not load usage" />
      {u ? (
        <section className="card" aria-label="Usage">
          <h2>Usage</h2>
          <dl className="stat-grid">
            <div>
              <dt>Active series</dt>
              <dd>
                {number.format(u.activeSeries)} of {number.format(u.maxActiveSeries)}
              </dd>
            </div>
            <div>
              <dt>Ingestion rate</dt>
              <dd>
                {number.format(Math.round(u.ingestionRate))} of{' '}
                {number.format(u.ingestionRateLimit)} samples/s
              </dd>
            </div>
          </dl>
          {u.topMetrics.length ? (
            <table>
              <caption className="muted small">Metrics with the most series</caption>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col">Series</th>
                </tr>
              </thead>
              <tbody>
                {u.topMetrics.map((m) => (
                  <tr key={m.metric}>
                    <td>{m.metric}</td>
                    <td>{number.format(m.series)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="empty">
              No series yet: push metrics with an ingest key to see them here.
            </p>
          )}
        </section>
      ) : null}
      <ErrorMessage error={limits.error} title="Could not load limits" />
      {limits.data ? (
        <LimitsForm
          key={JSON.stringify(limits.data.organizationLimits)}
          current={limits.data.organizationLimits}
          manage={manage}
          saved={saved}
          setSaved={setSaved}
          onSaved={limits.reload}
        />
      ) : null}
    </>
  );
}

function LimitsForm({
  current,
  manage,
  saved,
  setSaved,
  onSaved,
}: {
  current: OrganizationLimits;
  manage: boolean;
  saved: boolean;
  setSaved: (saved: boolean) => void;
  onSaved: () => Promise<unknown>;
}) {
  const update = useMutation(UPDATE_ORGANIZATION_LIMITS);
  const [values, setValues] = useState<Record<LimitKey, string>>(
    () =>
      Object.fromEntries(FIELDS.map((f) => [f.key, String(current[f.key] ?? 0)])) as Record<
        LimitKey,
        string
      >,
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    // Only what changed is sent, so two admins editing different limits do not undo each other.
    const input: Partial<Record<LimitKey, number>> = {};
    for (const f of FIELDS) {
      const value = Number(values[f.key]);
      if (value !== (current[f.key] ?? 0)) input[f.key] = value;
    }
    if (Object.keys(input).length === 0) return setSaved(true);
    if (await update.run({ input })) {
      setSaved(true);
      await onSaved();
    }
  }

  return (
    <form className="card form" aria-label="Limits" onSubmit={submit}>
      <h2>Limits</h2>
      <div className="form-grid">
        {FIELDS.map((f) => (
          <label key={f.key} className="field">
            <span>{f.label}</span>
            <input
              type="number"
              min={f.clearable ? 0 : 1}
              step={1}
              required
              disabled={!manage}
              value={values[f.key]}
              onChange={(e) => {
                setSaved(false);
                setValues({ ...values, [f.key]: e.target.value });
              }}
            />
            {f.help ? <span className="muted small">{f.help}</span> : null}
          </label>
        ))}
      </div>
      <ErrorMessage error={update.error} title="Limits not saved" />
      {manage ? (
        <div className="button-row">
          <button type="submit" className="button" disabled={update.pending}>
            Save limits
          </button>
          {saved ? (
            <span role="status" className="muted">
              Limits saved
            </span>
          ) : null}
        </div>
      ) : (
        <p className="muted small">Ask an owner or admin to change these.</p>
      )}
    </form>
  );
}
