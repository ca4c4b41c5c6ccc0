'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../../components/confirm-button';
import { CopyField } from '../../../../components/copy-field';
import { ErrorMessage } from '../../../../components/error-message';
import { useMe } from '../../../../components/me-context';
import { useMutation, useQuery } from '../../../../graphql/hooks';
import {
  API_KEY_SCOPES,
  API_KEYS_QUERY,
  CREATE_API_KEY,
  REVOKE_API_KEY,
  type ApiKey,
  type ApiKeyScope,
  type CreatedApiKey,
} from '../../../../graphql/operations';
import { formatDate, formatDateTime } from '../../../../lib/format';
import { canManageApiKeys } from '../../../../lib/permissions';

const SCOPE_HELP: Record<ApiKeyScope, string> = {
  INGEST: 'Push metrics (remote_write, JSON, Influx line protocol)',
  READ: 'Query metrics and read configuration',
  WRITE: 'Change rules, channels and schedules',
  ADMIN: 'Manage members and API keys',
};

export function ApiKeysView() {
  const me = useMe();
  const manage = canManageApiKeys(me.role);
  // Listing keys needs the same admin permission as managing them.
  const keys = useQuery(API_KEYS_QUERY, {}, { skip: !manage });
  const [created, setCreated] = useState<CreatedApiKey>();

  if (!manage) {
    return (
      <>
        <h1>API keys</h1>
        <p className="empty">
          Only owners and admins can see and create API keys. Ask one of them for a key with the
          scopes you need.
        </p>
      </>
    );
  }

  return (
    <>
      <div className="page-header">
        <h1>API keys</h1>
        <p className="muted">
          Agents, Prometheus and scripts authenticate with these keys. Each key belongs to this
          organization.
        </p>
      </div>
      {created ? <NewSecret created={created} onDone={() => setCreated(undefined)} /> : null}
      {!created ? (
        <CreateKeyForm
          onCreated={async (result) => {
            setCreated(result);
            await keys.reload();
          }}
        />
      ) : null}
      <ErrorMessage error={keys.error} title="Could not load API keys" />
      <KeyTable
        keys={keys.data?.apiKeys}
        loading={keys.loading}
        manage={manage}
        reload={keys.reload}
      />
    </>
  );
}

/** The one moment the secret exists outside the api's hash: make that impossible to miss. */
function NewSecret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Move focus to the warning once, so keyboard and screen-reader users land on it.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      className="card callout-warning"
      aria-labelledby="secret-heading"
      data-testid="new-api-key"
    >
      <h2 id="secret-heading" tabIndex={-1} ref={heading}>
        Copy the key “{created.apiKey.name}” now
      </h2>
      <p>
        <strong>This is the only time the secret is shown.</strong> Tocsin stores only a hash of it.
        Keep it in your secret store; if you lose it, revoke this key and create a new one.
      </p>
      <CopyField label="Secret" value={created.secret} testId="api-key-secret" />
      <button type="button" className="button" onClick={onDone}>
        I have copied the key
      </button>
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (result: CreatedApiKey) => Promise<void> }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['INGEST']);
  const [expires, setExpires] = useState('');
  const [scopeError, setScopeError] = useState('');
  const create = useMutation(CREATE_API_KEY);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (scopes.length === 0) {
      setScopeError('Choose at least one scope.');
      return;
    }
    setScopeError('');
    // A date input means "valid through that day": expire at the end of it, in local time.
    const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : null;
    const result = await create.run({ input: { name: name.trim(), scopes, expiresAt } });
    if (result) {
      setName('');
      setScopes(['INGEST']);
      setExpires('');
      await onCreated(result.createApiKey);
    }
  }

  const today = new Date().toISOString().slice(0, 10);
  return (
    <section className="card" aria-labelledby="create-key-heading">
      <h2 id="create-key-heading">Create an API key</h2>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="key-name">Name</label>
          <input
            id="key-name"
            required
            maxLength={100}
            placeholder="e.g. prometheus-prod"
            aria-describedby="key-name-hint"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <p className="hint" id="key-name-hint">
            Say where it is used, so you know what breaks when you revoke it.
          </p>
        </div>
        <fieldset className="field" aria-describedby={scopeError ? 'scope-error' : undefined}>
          <legend>Scopes</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes((current) =>
                    e.target.checked ? [...current, scope] : current.filter((s) => s !== scope),
                  )
                }
              />
              <span>
                <strong>{scope.charAt(0) + scope.slice(1).toLowerCase()}</strong>{' '}
                <span className="muted">— {SCOPE_HELP[scope]}</span>
              </span>
            </label>
          ))}
          {scopeError ? (
            <p className="field-error" id="scope-error" role="alert">
              {scopeError}
            </p>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor="key-expires">Expires (optional)</label>
          <input
            id="key-expires"
            type="date"
            min={today}
            value={expires}
            onChange={(e) => setExpires(e.target.value)}
            aria-describedby="key-expires-hint"
          />
          <p className="hint" id="key-expires-hint">
            Leave empty for a key that lasts until revoked.
          </p>
        </div>
        <ErrorMessage error={create.error} title="Could not create the key" />
        <button type="submit" className="button button-primary" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create key'}
        </button>
      </form>
    </section>
  );
}

function status(key: ApiKey): { label: string; tone: string } {
  if (key.revokedAt) return { label: 'Revoked', tone: 'badge-muted' };
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now())
    return { label: 'Expired', tone: 'badge-muted' };
  return { label: 'Active', tone: 'badge-ok' };
}

function KeyTable({
  keys,
  loading,
  manage,
  reload,
}: {
  keys: ApiKey[] | undefined;
  loading: boolean;
  manage: boolean;
  reload: () => Promise<void>;
}) {
  const me = useMe();
  const revoke = useMutation(REVOKE_API_KEY);
  if (!keys) return loading ? <p className="muted">Loading API keys…</p> : null;
  if (keys.length === 0) {
    return (
      <p className="empty">
        No API keys yet.{' '}
        {manage
          ? 'Create one above with the Ingest scope to start sending metrics.'
          : 'Ask an owner or admin to create one.'}
      </p>
    );
  }
  const tz = me.user.timeZone;
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">Keys</h2>
      <ErrorMessage error={revoke.error} title="Could not revoke the key" />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              {manage ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const s = status(key);
              return (
                <tr key={key.id} data-testid={`api-key-row-${key.name}`}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.scopes.map((scope) => scope.toLowerCase()).join(', ')}</td>
                  <td>{formatDate(key.createdAt, tz)}</td>
                  <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt, tz) : 'Never'}</td>
                  <td>{key.expiresAt ? formatDate(key.expiresAt, tz) : 'Never'}</td>
                  <td>
                    <span className={`badge ${s.tone}`}>{s.label}</span>
                  </td>
                  {manage ? (
                    <td className="actions">
                      {key.revokedAt ? null : (
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel="Revoke key"
                          accessibleName={`Revoke key ${key.name}`}
                          onConfirm={async () => {
                            if (await revoke.run({ id: key.id })) await reload();
                          }}
                        />
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
