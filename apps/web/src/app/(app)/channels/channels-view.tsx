'use client';

import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { SchemaFields, toConfig } from '../../../components/schema-form';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  CHANNELS_QUERY,
  CREATE_CHANNEL,
  DELETE_CHANNEL,
  TEST_CHANNEL,
  type Delivery,
} from '../../../graphql/operations';
import { canEditConfig } from '../../../lib/permissions';

export function ChannelsView() {
  const me = useMe();
  const edit = canEditConfig(me.role);
  const data = useQuery(CHANNELS_QUERY, {});
  const create = useMutation(CREATE_CHANNEL);
  const remove = useMutation(DELETE_CHANNEL);
  const test = useMutation(TEST_CHANNEL);
  const [kind, setKind] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [formError, setFormError] = useState('');
  const [results, setResults] = useState<Record<string, Delivery>>({});

  const kinds = data.data?.channelKinds ?? [];
  const chosen = kinds.find((k) => k.kind === kind);
  const channels = data.data?.channels ?? [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    const config = toConfig(chosen.configSchema, values);
    if (typeof config === 'string') {
      setFormError(config);
      return;
    }
    setFormError('');
    const result = await create.run({ input: { name: name.trim(), kind, config } });
    if (result) {
      setName('');
      setValues({});
      setKind('');
      await data.reload();
    }
  }

  return (
    <>
      <div className="page-header">
        <h1>Channels</h1>
        <p className="muted">
          Where notifications go: chat, email, SMS, webhooks. Policies route alerts to them.
        </p>
      </div>
      {edit ? (
        <section className="card" aria-labelledby="new-channel">
          <h2 id="new-channel">Add a channel</h2>
          <form className="form" onSubmit={submit}>
            <div className="form-inline">
              <div className="field">
                <label htmlFor="channel-kind">Provider</label>
                <select
                  id="channel-kind"
                  value={kind}
                  onChange={(e) => {
                    setKind(e.target.value);
                    setValues({});
                  }}
                >
                  <option value="">Choose…</option>
                  {kinds.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field grow">
                <label htmlFor="channel-name">Name</label>
                <input
                  id="channel-name"
                  required
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  placeholder="#ops on Slack"
                />
              </div>
            </div>
            {chosen ? (
              <SchemaFields
                idPrefix="channel"
                schema={chosen.configSchema}
                secretFields={chosen.secretFields}
                values={values}
                onChange={(k, v) => setValues((old) => ({ ...old, [k]: v }))}
              />
            ) : null}
            {formError ? (
              <p className="field-error" role="alert">
                {formError}
              </p>
            ) : null}
            <ErrorMessage error={create.error} title="Could not add the channel" />
            <button
              type="submit"
              className="button button-primary"
              disabled={!chosen || create.pending}
            >
              Add channel
            </button>
          </form>
        </section>
      ) : null}
      <ErrorMessage
        error={data.error ?? remove.error ?? test.error}
        title="Could not load or change channels"
      />
      {data.data && channels.length === 0 ? (
        <p className="empty">
          No channels yet. Add one, send it a test, then route alerts to it under Notifications.
        </p>
      ) : null}
      {channels.length ? (
        <ul className="item-list">
          {channels.map((c) => {
            const r = results[c.id];
            return (
              <li key={c.id} className="item">
                <div className="item-main">
                  <div className="item-title">
                    {c.name}{' '}
                    <span className="badge">
                      {kinds.find((k) => k.kind === c.kind)?.label ?? c.kind}
                    </span>
                  </div>
                  {r ? (
                    <p role="status" className={r.status === 'failed' ? 'field-error' : 'small'}>
                      Test {r.status}
                      {r.lastError ? `: ${r.lastError}` : ''}
                      {r.status === 'queued' || r.status === 'sending'
                        ? ' — see the delivery log under Notifications.'
                        : ''}
                    </p>
                  ) : null}
                </div>
                {edit ? (
                  <div className="item-actions button-row">
                    <button
                      type="button"
                      className="button"
                      aria-label={`Send a test to ${c.name}`}
                      disabled={test.pending}
                      onClick={async () => {
                        const result = await test.run({ id: c.id });
                        if (result) setResults((old) => ({ ...old, [c.id]: result.testChannel }));
                      }}
                    >
                      Send test
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete channel"
                      accessibleName={`Delete channel ${c.name}`}
                      onConfirm={async () => {
                        if (await remove.run({ id: c.id })) await data.reload();
                      }}
                    />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}
