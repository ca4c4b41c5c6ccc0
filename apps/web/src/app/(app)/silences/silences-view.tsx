'use client';

import { useState } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { SilenceForm } from '../../../components/silence-form';
import { useMutation, useQuery } from '../../../graphql/hooks';
import { EXPIRE_SILENCE, SILENCES_QUERY } from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';

export function SilencesView() {
  const me = useMe();
  const tz = me.user.timeZone;
  const silences = useQuery(SILENCES_QUERY, {});
  const expire = useMutation(EXPIRE_SILENCE);
  const [creating, setCreating] = useState(false);
  const list = silences.data?.silences ?? [];

  return (
    <>
      <div className="page-header page-header-row">
        <div>
          <h1>Silences</h1>
          <p className="muted">
            Matching alerts still fire and show, but notify nobody until the silence ends.
          </p>
        </div>
        <button
          type="button"
          className="button button-primary"
          aria-expanded={creating}
          onClick={() => setCreating(!creating)}
        >
          New silence
        </button>
      </div>
      {creating ? (
        <section className="card">
          <SilenceForm
            initialMatchers='{alertname=""}'
            onCancel={() => setCreating(false)}
            onCreated={async () => {
              setCreating(false);
              await silences.reload();
            }}
          />
        </section>
      ) : null}
      <ErrorMessage
        error={silences.error ?? expire.error}
        title="Could not load or change silences"
      />
      {silences.data && list.length === 0 ? (
        <p className="empty">
          No silences. The quickest way to make one is the Silence button on an alert: its labels
          come prefilled.
        </p>
      ) : null}
      {list.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Matchers</th>
                <th scope="col">State</th>
                <th scope="col">Until</th>
                <th scope="col">Comment</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>
                    <code>{s.matchersText}</code>
                  </td>
                  <td>
                    <span className={`badge ${s.state === 'active' ? 'badge-ok' : ''}`}>
                      {s.state}
                    </span>
                  </td>
                  <td>{formatDateTime(s.endsAt, tz)}</td>
                  <td>{s.comment}</td>
                  <td className="actions">
                    {s.state !== 'expired' ? (
                      <ConfirmButton
                        label="Expire"
                        confirmLabel="Expire now"
                        accessibleName={`Expire silence ${s.matchersText}`}
                        onConfirm={async () => {
                          if (await expire.run({ id: s.id })) await silences.reload();
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
