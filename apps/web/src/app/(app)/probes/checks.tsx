'use client';

import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import {
  CREATE_CHECK,
  DELETE_CHECK,
  RUN_CHECK,
  UPDATE_CHECK,
  type Check,
  type CheckConfig,
  type CheckKind,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import {
  formatAgo,
  formatDuration,
  formatHeaders,
  formatInterval,
  parseHeaders,
  parseList,
  parseStatusList,
} from '../../../lib/probes';
import { StatusBadge } from './status-badge';

const KINDS: Array<{ kind: CheckKind; label: string; target: string; placeholder: string }> = [
  { kind: 'HTTP', label: 'HTTP(S)', target: 'URL', placeholder: 'https://example.com/health' },
  {
    kind: 'TCP',
    label: 'TCP connect',
    target: 'Host and port',
    placeholder: 'db.example.com:5432',
  },
  { kind: 'DNS', label: 'DNS', target: 'Name to resolve', placeholder: 'example.com' },
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'];

const kindLabel = (kind: CheckKind) => KINDS.find((k) => k.kind === kind)?.label ?? kind;

function CheckForm({ check, onDone }: { check?: Check; onDone: (saved: boolean) => void }) {
  const create = useMutation(CREATE_CHECK);
  const update = useMutation(UPDATE_CHECK);
  const c = check?.config ?? {};
  const [name, setName] = useState(check?.name ?? '');
  const [kind, setKind] = useState<CheckKind>(check?.kind ?? 'HTTP');
  const [target, setTarget] = useState(check?.target ?? '');
  const [interval, setIntervalText] = useState(String(check?.intervalSeconds ?? 60));
  const [timeout, setTimeoutText] = useState(String(check?.timeoutSeconds ?? 10));
  const [threshold, setThreshold] = useState(String(check?.failureThreshold ?? 1));
  const [enabled, setEnabled] = useState(check?.enabled ?? true);
  const [onStatusPage, setOnStatusPage] = useState(check?.showOnStatusPage ?? false);
  const [alertWhenDown, setAlertWhenDown] = useState(true);
  // HTTP
  const [method, setMethod] = useState(c.method ?? 'GET');
  const [headers, setHeaders] = useState(formatHeaders(c.headers));
  const [body, setBody] = useState(c.body ?? '');
  const [statuses, setStatuses] = useState((c.expectedStatus ?? []).join(', '));
  const [keyword, setKeyword] = useState(c.keyword ?? '');
  const [keywordInvert, setKeywordInvert] = useState(c.keywordInvert ?? false);
  const [jsonPath, setJsonPath] = useState(c.jsonPath ?? '');
  const [jsonPathEquals, setJsonPathEquals] = useState(c.jsonPathEquals ?? '');
  const [followRedirects, setFollowRedirects] = useState(c.followRedirects ?? true);
  const [skipVerify, setSkipVerify] = useState(c.tlsInsecureSkipVerify ?? false);
  // DNS
  const [recordType, setRecordType] = useState(c.recordType ?? 'A');
  const [server, setServer] = useState(c.server ?? '');
  const [expect, setExpect] = useState((c.expect ?? []).join('\n'));
  const [formError, setFormError] = useState('');
  const p = check ? `check-${check.id}` : 'check-new';
  const chosen = KINDS.find((k) => k.kind === kind)!;

  function config(): CheckConfig | string {
    if (kind === 'TCP') return {};
    if (kind === 'DNS') {
      return {
        recordType,
        ...(server.trim() ? { server: server.trim() } : {}),
        expect: parseList(expect),
      };
    }
    const parsedHeaders = parseHeaders(headers);
    if (typeof parsedHeaders === 'string') return parsedHeaders;
    const expectedStatus = parseStatusList(statuses);
    if (typeof expectedStatus === 'string') return expectedStatus;
    return {
      method,
      headers: parsedHeaders,
      ...(body && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
      ...(expectedStatus ? { expectedStatus } : {}),
      ...(keyword ? { keyword, keywordInvert } : {}),
      ...(jsonPath.trim() ? { jsonPath: jsonPath.trim() } : {}),
      ...(jsonPath.trim() && jsonPathEquals ? { jsonPathEquals } : {}),
      followRedirects,
      tlsInsecureSkipVerify: skipVerify,
    };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const cfg = config();
    if (typeof cfg === 'string') {
      setFormError(cfg);
      return;
    }
    setFormError('');
    const input = {
      name: name.trim(),
      kind,
      target: target.trim(),
      intervalSeconds: Number(interval),
      timeoutSeconds: Number(timeout),
      failureThreshold: Number(threshold),
      enabled,
      showOnStatusPage: onStatusPage,
      config: cfg,
    };
    const saved = check
      ? await update.run({ id: check.id, input })
      : await create.run({ input, alertWhenDown });
    if (saved) onDone(true);
  }

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-label={check ? `Edit check ${check.name}` : 'New check'}
    >
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${p}-kind`}>Kind</label>
          <select
            id={`${p}-kind`}
            value={kind}
            onChange={(e) => setKind(e.target.value as CheckKind)}
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${p}-name`}>Check name</label>
          <input
            id={`${p}-name`}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Homepage"
          />
        </div>
        <div className="field grow">
          <label htmlFor={`${p}-target`}>{chosen.target}</label>
          <input
            id={`${p}-target`}
            required
            className="mono"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder={chosen.placeholder}
          />
        </div>
      </div>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${p}-interval`}>Every (seconds)</label>
          <input
            id={`${p}-interval`}
            type="number"
            min={1}
            max={86400}
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
            max={60}
            step="any"
            required
            value={timeout}
            onChange={(e) => setTimeoutText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${p}-threshold`}>Down after failures</label>
          <input
            id={`${p}-threshold`}
            type="number"
            min={1}
            required
            value={threshold}
            onChange={(e) => setThreshold(e.target.value)}
          />
        </div>
      </div>
      {kind === 'HTTP' ? (
        <fieldset className="field">
          <legend>Request and assertions</legend>
          <div className="form-inline">
            <div className="field">
              <label htmlFor={`${p}-method`}>Method</label>
              <select id={`${p}-method`} value={method} onChange={(e) => setMethod(e.target.value)}>
                {METHODS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <label htmlFor={`${p}-statuses`}>Expected status codes</label>
              <input
                id={`${p}-statuses`}
                value={statuses}
                onChange={(e) => setStatuses(e.target.value)}
                placeholder="any 2xx"
                aria-describedby={`${p}-statuses-hint`}
              />
              <p className="hint" id={`${p}-statuses-hint`}>
                Comma-separated, e.g. 200, 301. Empty: any 2xx.
              </p>
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${p}-headers`}>Headers</label>
            <textarea
              id={`${p}-headers`}
              className="mono"
              rows={2}
              value={headers}
              onChange={(e) => setHeaders(e.target.value)}
              placeholder="Authorization: Bearer …"
              aria-describedby={`${p}-headers-hint`}
            />
            <p className="hint" id={`${p}-headers-hint`}>
              One &quot;Name: value&quot; per line. Values are stored encrypted and shown masked;
              leave a masked value as it is to keep it.
            </p>
          </div>
          {method !== 'GET' && method !== 'HEAD' ? (
            <div className="field">
              <label htmlFor={`${p}-body`}>Request body</label>
              <textarea
                id={`${p}-body`}
                className="mono"
                rows={2}
                value={body}
                onChange={(e) => setBody(e.target.value)}
              />
            </div>
          ) : null}
          <div className="form-inline">
            <div className="field grow">
              <label htmlFor={`${p}-keyword`}>Body contains</label>
              <input
                id={`${p}-keyword`}
                value={keyword}
                onChange={(e) => setKeyword(e.target.value)}
                placeholder="optional keyword"
              />
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={keywordInvert}
                onChange={(e) => setKeywordInvert(e.target.checked)}
              />
              Must NOT contain it
            </label>
          </div>
          <div className="form-inline">
            <div className="field grow">
              <label htmlFor={`${p}-jsonpath`}>JSON path</label>
              <input
                id={`${p}-jsonpath`}
                className="mono"
                value={jsonPath}
                onChange={(e) => setJsonPath(e.target.value)}
                placeholder="$.status"
              />
            </div>
            <div className="field grow">
              <label htmlFor={`${p}-jsonequals`}>Equals</label>
              <input
                id={`${p}-jsonequals`}
                value={jsonPathEquals}
                onChange={(e) => setJsonPathEquals(e.target.value)}
                placeholder="ok (empty: must be truthy)"
              />
            </div>
          </div>
          <div className="check-row">
            <label className="check">
              <input
                type="checkbox"
                checked={followRedirects}
                onChange={(e) => setFollowRedirects(e.target.checked)}
              />
              Follow redirects
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={skipVerify}
                onChange={(e) => setSkipVerify(e.target.checked)}
              />
              Accept invalid TLS certificates
            </label>
          </div>
        </fieldset>
      ) : null}
      {kind === 'DNS' ? (
        <fieldset className="field">
          <legend>Query and expected answers</legend>
          <div className="form-inline">
            <div className="field">
              <label htmlFor={`${p}-rtype`}>Record type</label>
              <select
                id={`${p}-rtype`}
                value={recordType}
                onChange={(e) => setRecordType(e.target.value)}
              >
                {RECORD_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <label htmlFor={`${p}-server`}>DNS server</label>
              <input
                id={`${p}-server`}
                className="mono"
                value={server}
                onChange={(e) => setServer(e.target.value)}
                placeholder="system resolver (or 1.1.1.1:53)"
              />
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${p}-expect`}>Answers must include</label>
            <textarea
              id={`${p}-expect`}
              className="mono"
              rows={2}
              value={expect}
              onChange={(e) => setExpect(e.target.value)}
              aria-describedby={`${p}-expect-hint`}
            />
            <p className="hint" id={`${p}-expect-hint`}>
              One per line; MX as &quot;10 mail.example.com&quot;. Empty: any answer.
            </p>
          </div>
        </fieldset>
      ) : null}
      <div className="check-row">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={onStatusPage}
            onChange={(e) => setOnStatusPage(e.target.checked)}
          />
          Show on the status page
        </label>
        {check ? null : (
          <label className="check">
            <input
              type="checkbox"
              checked={alertWhenDown}
              onChange={(e) => setAlertWhenDown(e.target.checked)}
            />
            Alert when down
          </label>
        )}
      </div>
      {check ? (
        <p className="hint">
          {check.ruleId ? (
            <>
              Its <Link href={`/rules/${check.ruleId}`}>alert rule</Link> follows the new threshold
              and interval.
            </>
          ) : (
            'This check has no alert rule; write one on probe_success under Rules.'
          )}
        </p>
      ) : null}
      {formError ? (
        <p className="field-error" role="alert">
          {formError}
        </p>
      ) : null}
      <ErrorMessage error={create.error ?? update.error} title="The check was not saved" />
      <div className="button-row">
        <button
          type="submit"
          className="button button-primary"
          disabled={create.pending || update.pending}
        >
          {check ? 'Save check' : 'Create check'}
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function LastResult({ check, timeZone }: { check: Check; timeZone: string }) {
  if (!check.lastCheckedAt) return <span className="muted">Not run yet</span>;
  const parts = [
    check.lastStatusCode ? `HTTP ${check.lastStatusCode}` : null,
    formatDuration(check.lastDurationSeconds),
  ].filter(Boolean);
  return (
    <>
      {parts.join(' · ')} ·{' '}
      <time dateTime={check.lastCheckedAt} title={formatDateTime(check.lastCheckedAt, timeZone)}>
        {formatAgo(check.lastCheckedAt)}
      </time>
      {check.lastError ? <span className="field-error"> — {check.lastError}</span> : null}
    </>
  );
}

function CertExpiry({ days }: { days: number | null }) {
  if (days === null) return null;
  const whole = Math.floor(days);
  const text = whole < 0 ? 'TLS certificate expired' : `TLS certificate expires in ${whole} d`;
  return <span className={`badge ${whole < 14 ? 'state-pending' : 'badge-muted'}`}>{text}</span>;
}

export function ChecksSection({
  checks,
  canEdit,
  timeZone,
  reload,
}: {
  checks: Check[];
  canEdit: boolean;
  timeZone: string;
  reload: () => Promise<void>;
}) {
  const remove = useMutation(DELETE_CHECK);
  const run = useMutation(RUN_CHECK);
  const [editing, setEditing] = useState<string | null>(null);
  // The check being run now, then what its run said (until the next run or reload).
  const [running, setRunning] = useState<string | null>(null);
  const [ran, setRan] = useState<{ id: string; text: string; ok: boolean } | null>(null);
  const runNow = async (c: Check) => {
    setRunning(c.id);
    setRan(null);
    const result = await run.run({ id: c.id });
    setRunning(null);
    if (!result) return;
    const r = result.runCheck;
    const how = [r.statusCode ? `HTTP ${r.statusCode}` : null, formatDuration(r.durationSeconds)]
      .filter(Boolean)
      .join(', ');
    setRan({
      id: c.id,
      ok: r.success,
      text: r.success
        ? `Up (${how})`
        : `Failed${how ? ` (${how})` : ''}: ${r.error ?? 'unknown error'}`,
    });
    await reload();
  };
  const done = async (saved: boolean) => {
    setEditing(null);
    if (saved) await reload();
  };

  return (
    <section aria-labelledby="checks-heading">
      <div className="page-header-row">
        <h2 id="checks-heading">Synthetic checks</h2>
        {canEdit && editing !== 'new' ? (
          <button type="button" className="button" onClick={() => setEditing('new')}>
            New check
          </button>
        ) : null}
      </div>
      <p className="muted small">
        HTTP(S), TCP and DNS checks from Tocsin, with blackbox series (probe_success,
        probe_duration_seconds, …) you can query and alert on.
      </p>
      <ErrorMessage error={remove.error} title="Could not delete the check" />
      <ErrorMessage error={run.error} title="Could not run the check" />
      {editing === 'new' ? <CheckForm onDone={done} /> : null}
      {checks.length === 0 && editing !== 'new' ? (
        <p className="empty">
          No checks yet.{canEdit ? ' Add one to watch a URL, port or DNS name.' : ''}
        </p>
      ) : null}
      {checks.length ? (
        <ul className="item-list" data-testid="checks">
          {checks.map((c) =>
            editing === c.id ? (
              <li key={c.id}>
                <CheckForm check={c} onDone={done} />
              </li>
            ) : (
              <li key={c.id} className="item" data-testid={`check-${c.name}`}>
                <div className="item-main">
                  <div className="item-title">
                    {c.name}
                    <StatusBadge status={c.status} />
                    <span className="badge">{kindLabel(c.kind)}</span>
                    {!c.enabled ? <span className="badge">paused</span> : null}
                    {c.ruleId ? (
                      <Link className="badge" href={`/rules/${c.ruleId}`}>
                        alerts when down
                      </Link>
                    ) : null}
                    {c.showOnStatusPage ? <span className="badge">on status page</span> : null}
                    <CertExpiry days={c.certDaysLeft} />
                  </div>
                  <p className="mono small wrap-anywhere">{c.target}</p>
                  <p className="small muted">
                    Every {formatInterval(c.intervalSeconds)}
                    {c.failureThreshold > 1 ? `, down after ${c.failureThreshold} failures` : ''}
                    {c.consecutiveFailures > 0
                      ? ` · ${c.consecutiveFailures} failing in a row`
                      : ''}
                  </p>
                  <p className="small" data-testid="last-result">
                    <LastResult check={c} timeZone={timeZone} />
                  </p>
                  {ran?.id === c.id ? (
                    <p
                      role="status"
                      className={`small ${ran.ok ? '' : 'field-error'}`}
                      data-testid="run-now-result"
                    >
                      Run now: {ran.text}
                    </p>
                  ) : null}
                </div>
                {canEdit ? (
                  <div className="item-actions button-row">
                    {c.enabled ? (
                      <button
                        type="button"
                        className="button button-quiet"
                        onClick={() => runNow(c)}
                        disabled={running !== null}
                        aria-label={`Run check ${c.name} now`}
                      >
                        {running === c.id ? 'Running…' : 'Run now'}
                      </button>
                    ) : null}
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() => setEditing(c.id)}
                      aria-label={`Edit check ${c.name}`}
                    >
                      Edit
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete check"
                      accessibleName={`Delete check ${c.name}`}
                      onConfirm={async () => {
                        if (await remove.run({ id: c.id })) await reload();
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
