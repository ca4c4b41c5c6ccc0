'use client';

import { useState } from 'react';
import { useMutation } from '../../graphql/hooks';
import { CREATE_API_KEY } from '../../graphql/operations';
import { CopyField } from '../copy-field';
import { ErrorMessage } from '../error-message';
import { usePublicApiUrl } from '../live-provider';

/** The three ways to send metrics, each filled in with the new key and this api's address. */
export function snippets(apiUrl: string, key: string) {
  return {
    prometheus: `remote_write:
  - url: ${apiUrl}/api/v1/write
    basic_auth:
      username: tocsin
      password: ${key}`,
    curl: `curl -X POST ${apiUrl}/api/v1/push \\
  -H 'Authorization: Bearer ${key}' \\
  -H 'Content-Type: application/json' \\
  -d '{"series":[{"labels":{"__name__":"hello_tocsin","job":"curl"},"samples":[['"$(date +%s000)"',1]]}]}'`,
    agent: `TOCSIN_AGENT_URL=${apiUrl} \\
TOCSIN_AGENT_TOKEN=${key} \\
tocsin-agent`,
  };
}

/**
 * For an organization that has sent nothing yet: one click creates an ingest-only key and shows
 * it inside snippets that work when pasted. The key is shown once, like on the API keys page.
 */
export function IngestQuickstart() {
  const apiUrl = usePublicApiUrl();
  const create = useMutation(CREATE_API_KEY);
  const [secret, setSecret] = useState('');

  return (
    <section className="card" aria-labelledby="send-metrics">
      <h2 id="send-metrics">Send your first metrics</h2>
      {!secret ? (
        <>
          <p>
            Create a key that can only push metrics, and get copy-paste setups for Prometheus, curl
            and the Tocsin agent.
          </p>
          <ErrorMessage error={create.error} title="Could not create the key" />
          <button
            type="button"
            className="button button-primary"
            disabled={create.pending}
            onClick={async () => {
              const result = await create.run({
                input: {
                  name: `ingest-${new Date().toISOString().slice(0, 10)}`,
                  scopes: ['INGEST'],
                },
              });
              if (result) setSecret(result.createApiKey.secret);
            }}
          >
            {create.pending ? 'Creating…' : 'Create an ingest key'}
          </button>
        </>
      ) : (
        <div data-testid="quickstart">
          <p className="callout callout-warning">
            <strong>This key is shown only now.</strong> Copy it into your configuration; if you
            lose it, revoke it under Settings → API keys and create another.
          </p>
          <CopyField label="Ingest key" value={secret} testId="ingest-key" />
          {Object.entries(snippets(apiUrl, secret)).map(([kind, text]) => (
            <div key={kind} className="field">
              <h3>
                {kind === 'prometheus'
                  ? 'Prometheus (prometheus.yml)'
                  : kind === 'curl'
                    ? 'curl (JSON push)'
                    : 'Tocsin agent (host metrics)'}
              </h3>
              <pre className="snippet" tabIndex={0} aria-label={`${kind} snippet`}>
                {text}
              </pre>
            </div>
          ))}
          <p className="muted">Data shows up in Explore within seconds of the first push.</p>
        </div>
      )}
    </section>
  );
}
