'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  MY_NOTIFICATION_RULES_QUERY,
  SET_NOTIFICATION_RULES,
  type ContactMethod,
} from '../../../graphql/operations';
import { QuietHours } from './quiet-hours';

type Urgency = 'high' | 'low';

const URGENCY_TEXT: Record<Urgency, string> = {
  high: 'High urgency (wakes you up)',
  low: 'Low urgency (waits for quiet hours to end)',
};

/**
 * How the signed-in person is paged for each urgency: which verified contact method, after how
 * many minutes. Until they set their own, the api's defaults apply (shown as such).
 */
export function NotificationRules({ methods }: { methods: ContactMethod[] }) {
  const rules = useQuery(MY_NOTIFICATION_RULES_QUERY, {});
  const save = useMutation(SET_NOTIFICATION_RULES);
  const verified = methods.filter((m) => m.verifiedAt);
  const [choice, setChoice] = useState<Record<Urgency, { method: string; minutes: string }>>({
    high: { method: '', minutes: '0' },
    low: { method: '', minutes: '0' },
  });

  async function replace(
    urgency: Urgency,
    next: Array<{ contactMethodId: string; delaySeconds: number }>,
  ) {
    if (await save.run({ urgency, rules: next })) await rules.reload();
  }

  return (
    <section className="card" aria-labelledby="rules-heading">
      <h2 id="rules-heading">When you are paged</h2>
      {verified.length === 0 ? (
        <p className="empty">
          Verify a contact method above first: pages go only to verified methods.
        </p>
      ) : null}
      <ErrorMessage error={rules.error ?? save.error} />
      {(['high', 'low'] as const).map((urgency) => {
        const list = rules.data?.[urgency] ?? [];
        const own = list.filter((r) => !r.ruleId.startsWith('default-'));
        const current = own.map((r) => ({
          contactMethodId: r.contactMethodId,
          delaySeconds: r.delaySeconds,
        }));
        const id = `rule-${urgency}`;
        const add = async (event: FormEvent) => {
          event.preventDefault();
          const method = choice[urgency].method || verified[0]?.id;
          if (!method) return;
          const delaySeconds = Math.max(0, Math.round(Number(choice[urgency].minutes) * 60) || 0);
          await replace(urgency, [...current, { contactMethodId: method, delaySeconds }]);
        };
        return (
          <div key={urgency} role="group" aria-labelledby={`${id}-heading`}>
            <h3 id={`${id}-heading`}>{URGENCY_TEXT[urgency]}</h3>
            {list.length === 0 ? (
              <p className="muted small">Nothing pages you for this urgency.</p>
            ) : (
              <ol className="item-list" data-testid={`notification-rules-${urgency}`}>
                {list.map((r, i) => (
                  <li key={`${r.ruleId}-${i}`} className="item">
                    <div className="item-main">
                      {r.delaySeconds === 0
                        ? 'At once'
                        : `After ${Math.round(r.delaySeconds / 60)} min`}
                      : <span className="badge">{r.kind}</span> {r.address}
                      {r.ruleId.startsWith('default-') ? (
                        <span className="muted small"> (default)</span>
                      ) : null}
                    </div>
                    {!r.ruleId.startsWith('default-') ? (
                      <div className="item-actions">
                        <button
                          type="button"
                          className="button button-quiet"
                          aria-label={`Stop paging ${r.address} for ${urgency} urgency`}
                          onClick={() =>
                            replace(
                              urgency,
                              current.filter((_, k) => own[k].ruleId !== r.ruleId),
                            )
                          }
                        >
                          Remove
                        </button>
                      </div>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
            {verified.length ? (
              <form className="form-inline" onSubmit={add}>
                <div className="field">
                  <label htmlFor={`${id}-method`}>Page ({urgency})</label>
                  <select
                    id={`${id}-method`}
                    value={choice[urgency].method || verified[0].id}
                    onChange={(e) =>
                      setChoice((c) => ({
                        ...c,
                        [urgency]: { ...c[urgency], method: e.target.value },
                      }))
                    }
                  >
                    {verified.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.kind}: {m.address}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${id}-minutes`}>After minutes ({urgency})</label>
                  <input
                    id={`${id}-minutes`}
                    type="number"
                    min={0}
                    value={choice[urgency].minutes}
                    onChange={(e) =>
                      setChoice((c) => ({
                        ...c,
                        [urgency]: { ...c[urgency], minutes: e.target.value },
                      }))
                    }
                  />
                </div>
                <button type="submit" className="button" disabled={save.pending}>
                  Add rule
                </button>
              </form>
            ) : null}
          </div>
        );
      })}
      <p className="hint">
        Your own rules replace the defaults (high: email and SMS at once, a call after 5 min; low:
        email).
      </p>
      <QuietHours />
    </section>
  );
}
