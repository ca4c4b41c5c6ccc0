'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import {
  CREATE_SCRAPE_TARGET,
  DELETE_SCRAPE_TARGET,
  UPDATE_SCRAPE_TARGET,
  type ScrapeTarget,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import {
  formatAgo,
  formatDuration,
  formatInterval,
  formatLabels,
  parseLabels,
} from '../../../lib/probes';
import { StatusBadge } from './status-badge';

// 'keep' exists only when editing: the api never returns secrets, and keeps them unless told.
type AuthChoice = 'keep' | 'none' | 'basic' | 'bearer';

function TargetForm({
  target,
  onDone,
}: {
  target?: ScrapeTarget;
  onDone: (saved: boolean) => void;
}) {
  const create = useMutation(CREATE_SCRAPE_TARGET);
  const update = useMutation(UPDATE_SCRAPE_TARGET);
  const [job, setJob] = useState(target?.job ?? '');
  const [address, setAddress] = useState(target?.address ?? '');
  const [scheme, setScheme] = useState(target?.scheme ?? 'http');
  const [path, setPath] = useState(target?.metricsPath ?? '/metrics');
  const [interval, setIntervalText] = useState(String(target?.intervalSeconds ?? 60));
  const [timeout, setTimeoutText] = useState(String(target?.timeoutSeconds ?? 10));
  const [enabled, setEnabled] = useState(target?.enabled ?? true);
  const [labels, setLabels] = useState(formatLabels(target?.labels));
  const [relabel, setRelabel] = useState(
    target?.metricRelabelConfigs.length ? JSON.stringify(target.metricRelabelConfigs, null, 2) : '',
  );
  const [auth, setAuth] = useState<AuthChoice>(target?.authKind ? 'keep' : 'none');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [formError, setFormError] = useState('');
  const p = target ? `st-${target.id}` : 'st-new';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsedLabels = parseLabels(labels);
    if (typeof parsedLabels === 'string') {
      setFormError(parsedLabels);
      return;
    }
    let metricRelabelConfigs: unknown = [];
    if (relabel.trim()) {
      try {
        metricRelabelConfigs = JSON.parse(relabel);
      } catch {
        setFormError('Metric relabeling must be a JSON list, e.g. [{"action": "drop", …}].');
        return;
      }
      if (!Array.isArray(metricRelabelConfigs)) {
        setFormError('Metric relabeling must be a JSON list of rules.');
        return;
      }
    }
    setFormError('');
    const input = {
      job: job.trim(),
      address: address.trim(),
      scheme,
      metricsPath: path.trim(),
      intervalSeconds: Number(interval),
      timeoutSeconds: Number(timeout),
      enabled,
      labels: parsedLabels,
      metricRelabelConfigs,
      ...(auth === 'basic' ? { basicAuth: { username, password } } : {}),
      ...(auth === 'bearer' ? { bearerToken: token } : {}),
      ...(auth === 'none' && target?.authKind ? { clearAuth: true } : {}),
    };
    const saved = target ? await update.run({ id: target.id, input }) : await create.run({ input });
    if (saved) onDone(true);
  }

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-label={
        target ? `Edit scrape target ${target.job} ${target.address}` : 'New scrape target'
      }
    >
      <div className="form-inline">
        <div className="field grow">
          <label htmlFor={`${p}-job`}>Job</label>
          <input
            id={`${p}-job`}
            required
            value={job}
            onChange={(e) => setJob(e.target.value)}
            placeholder="node"
          />
        </div>
        <div className="field">
          <label htmlFor={`${p}-scheme`}>Scheme</label>
          <select id={`${p}-scheme`} value={scheme} onChange={(e) => setScheme(e.target.value)}>
            <option>http</option>
            <option>https</option>
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${p}-address`}>Address</label>
          <input
            id={`${p}-address`}
            className="mono"
            required
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="host:9100"
          />
        </div>
        <div className="field">
          <label htmlFor={`${p}-path`}>Metrics path</label>
          <input
            id={`${p}-path`}
            className="mono"
            required
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
        </div>
      </div>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${p}-interval`}>Scrape every (seconds)</label>
          <input
            id={`${p}-interval`}
            type="number"
            min={1}
            max={3600}
            required
            value={interval}
            onChange={(e) => setIntervalText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${p}-timeout`}>Timeout (seconds)</label>
          <input
            id={`${p}-timeout`}
            type="number"
            min={0.1}
            step="any"
            required
            value={timeout}
            onChange={(e) => setTimeoutText(e.target.value)}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
      </div>
      <div className="field">
        <label htmlFor={`${p}-labels`}>Extra labels</label>
        <textarea
          id={`${p}-labels`}
          className="mono"
          rows={2}
          value={labels}
          onChange={(e) => setLabels(e.target.value)}
          placeholder="env=prod"
          aria-describedby={`${p}-labels-hint`}
        />
        <p className="hint" id={`${p}-labels-hint`}>
          One name=value per line, added to every series from this target.
        </p>
      </div>
      <fieldset className="field">
        <legend>Authentication</legend>
        <div className="check-row">
          {target?.authKind ? (
            <label className="check">
              <input
                type="radio"
                name={`${p}-auth`}
                checked={auth === 'keep'}
                onChange={() => setAuth('keep')}
              />
              Keep stored {target.authKind} credentials
            </label>
          ) : null}
          <label className="check">
            <input
              type="radio"
              name={`${p}-auth`}
              checked={auth === 'none'}
              onChange={() => setAuth('none')}
            />
            None
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${p}-auth`}
              checked={auth === 'basic'}
              onChange={() => setAuth('basic')}
            />
            Basic
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${p}-auth`}
              checked={auth === 'bearer'}
              onChange={() => setAuth('bearer')}
            />
            Bearer token
          </label>
        </div>
        {auth === 'basic' ? (
          <div className="form-inline">
            <div className="field grow">
              <label htmlFor={`${p}-user`}>Username</label>
              <input
                id={`${p}-user`}
                required
                autoComplete="off"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
              />
            </div>
            <div className="field grow">
              <label htmlFor={`${p}-password`}>Password</label>
              <input
                id={`${p}-password`}
                type="password"
                required
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
          </div>
        ) : null}
        {auth === 'bearer' ? (
          <div className="field">
            <label htmlFor={`${p}-token`}>Token</label>
            <input
              id={`${p}-token`}
              type="password"
              required
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          </div>
        ) : null}
        <p className="hint">Stored encrypted; never shown again.</p>
      </fieldset>
      <div className="field">
        <label htmlFor={`${p}-relabel`}>Metric relabeling (JSON)</label>
        <textarea
          id={`${p}-relabel`}
          className="mono"
          rows={3}
          value={relabel}
          onChange={(e) => setRelabel(e.target.value)}
          placeholder='[{"source_labels": ["__name__"], "regex": "go_.*", "action": "drop"}]'
          aria-describedby={`${p}-relabel-hint`}
        />
        <p className="hint" id={`${p}-relabel-hint`}>
          Prometheus metric_relabel_configs: keep, drop, replace, labelmap, labeldrop, labelkeep.
        </p>
      </div>
      {formError ? (
        <p className="field-error" role="alert">
          {formError}
        </p>
      ) : null}
      <ErrorMessage error={create.error ?? update.error} title="The scrape target was not saved" />
      <div className="button-row">
        <button
          type="submit"
          className="button button-primary"
          disabled={create.pending || update.pending}
        >
          {target ? 'Save target' : 'Add target'}
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ScrapeTargetsSection({
  targets,
  canEdit,
  timeZone,
  reload,
}: {
  targets: ScrapeTarget[];
  canEdit: boolean;
  timeZone: string;
  reload: () => Promise<void>;
}) {
  const remove = useMutation(DELETE_SCRAPE_TARGET);
  const [editing, setEditing] = useState<string | null>(null);
  const done = async (saved: boolean) => {
    setEditing(null);
    if (saved) await reload();
  };

  return (
    <section aria-labelledby="targets-heading">
      <div className="page-header-row">
        <h2 id="targets-heading">Scrape targets</h2>
        {canEdit && editing !== 'new' ? (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            New scrape target
          </button>
        ) : null}
      </div>
      <p className="muted small">
        Prometheus endpoints Tocsin scrapes for you; query them in{' '}
        <Link href="/explore?q=up">Explore</Link> like any pushed series.
      </p>
      <ErrorMessage error={remove.error} title="Could not delete the scrape target" />
      {editing === 'new' ? <TargetForm onDone={done} /> : null}
      {targets.length === 0 && editing !== 'new' ? (
        <p className="empty">No scrape targets yet.</p>
      ) : null}
      {targets.length ? (
        <ul className="item-list" data-testid="scrape-targets">
          {targets.map((t) =>
            editing === t.id ? (
              <li key={t.id}>
                <TargetForm target={t} onDone={done} />
              </li>
            ) : (
              <li key={t.id} className="item" data-testid={`target-${t.job}`}>
                <div className="item-main">
                  <div className="item-title">
                    {t.job}
                    <StatusBadge status={t.health} />
                    {!t.enabled ? <span className="badge">paused</span> : null}
                    {t.authKind ? <span className="badge">{t.authKind} auth</span> : null}
                  </div>
                  <p className="mono small wrap-anywhere">
                    {t.scheme}://{t.address}
                    {t.metricsPath}
                  </p>
                  {Object.keys(t.labels).length ? (
                    <p className="labels small">
                      {Object.entries(t.labels).map(([k, v]) => (
                        <span key={k} className="label-pill mono">
                          {k}={v}
                        </span>
                      ))}
                    </p>
                  ) : null}
                  <p className="small muted">
                    Every {formatInterval(t.intervalSeconds)}
                    {t.metricRelabelConfigs.length
                      ? ` · ${t.metricRelabelConfigs.length} relabel rule${t.metricRelabelConfigs.length > 1 ? 's' : ''}`
                      : ''}
                  </p>
                  <p className="small" data-testid="last-scrape">
                    {t.lastScrapeAt ? (
                      <>
                        Last scrape{' '}
                        <time
                          dateTime={t.lastScrapeAt}
                          title={formatDateTime(t.lastScrapeAt, timeZone)}
                        >
                          {formatAgo(t.lastScrapeAt)}
                        </time>{' '}
                        · {formatDuration(t.lastDurationSeconds)}
                        {t.lastSamples !== null ? ` · ${t.lastSamples} samples` : ''}
                      </>
                    ) : (
                      <span className="muted">Not scraped yet</span>
                    )}
                    {t.lastError ? <span className="field-error"> — {t.lastError}</span> : null}
                  </p>
                </div>
                {canEdit ? (
                  <div className="item-actions button-row">
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() => setEditing(t.id)}
                      aria-label={`Edit scrape target ${t.job} ${t.address}`}
                    >
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete target"
                      accessibleName={`Delete scrape target ${t.job} ${t.address}`}
                      onConfirm={async () => {
                        if (await remove.run({ id: t.id })) await reload();
                      }}
                    />
                  </div>
                ) : null}
              </li>
            ),
          )}
        </ul>
      ) : null}
    </section>
  );
}
