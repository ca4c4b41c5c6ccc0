'use client';

import { useMemo, useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  ADD_CONTACT_METHOD,
  FINAL_SCHEDULE,
  ONCALL_OVERVIEW_QUERY,
  REMOVE_CONTACT_METHOD,
  VERIFY_CONTACT_METHOD,
  type ScheduleSummary,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';

const DAY = 86_400_000;
const COLORS = ['#2563eb', '#c2410c', '#15803d', '#9333ea', '#0891b2', '#be123c'];

/** The next seven days of a schedule as coloured bars, one colour per person. */
function ScheduleTimeline({
  schedule,
  names,
}: {
  schedule: ScheduleSummary;
  names: Map<string, string>;
}) {
  const me = useMe();
  const [from] = useState(() => Date.now());
  const range = useMemo(
    () => ({ from: new Date(from).toISOString(), to: new Date(from + 7 * DAY).toISOString() }),
    [from],
  );
  const slots = useQuery(FINAL_SCHEDULE, { scheduleId: schedule.id, ...range });
  const people = [...new Set((slots.data?.finalSchedule ?? []).map((s) => s.userId))];
  const x = (iso: string) =>
    Math.min(100, Math.max(0, ((Date.parse(iso) - from) / (7 * DAY)) * 100));
  return (
    <section className="card" aria-label={`Schedule ${schedule.name}`}>
      <h3>
        {schedule.name} <span className="muted small">{schedule.timeZone}</span>
      </h3>
      <ErrorMessage error={slots.error} />
      {slots.data && slots.data.finalSchedule.length === 0 ? (
        <p className="muted">Nobody is on call in the next 7 days.</p>
      ) : null}
      {slots.data?.finalSchedule.length ? (
        <>
          <div className="shift-bar" role="img" aria-label="Shifts over the next seven days">
            {slots.data.finalSchedule.map((s, i) => (
              <span
                key={i}
                className="shift"
                title={`${names.get(s.userId) ?? 'someone'}: ${formatDateTime(s.start, me.user.timeZone)} – ${formatDateTime(s.end, me.user.timeZone)}`}
                style={{
                  left: `${x(s.start)}%`,
                  width: `${Math.max(0.5, x(s.end) - x(s.start))}%`,
                  background: COLORS[people.indexOf(s.userId) % COLORS.length],
                }}
              />
            ))}
          </div>
          <ul className="chart-legend">
            {people.map((p, i) => (
              <li key={p}>
                <span
                  className="swatch"
                  style={{ background: COLORS[i % COLORS.length] }}
                  aria-hidden="true"
                />
                {names.get(p) ?? 'someone'}
              </li>
            ))}
          </ul>
          <ol className="timeline small">
            {slots.data.finalSchedule.slice(0, 6).map((s, i) => (
              <li key={i}>
                {names.get(s.userId) ?? 'someone'}: {formatDateTime(s.start, me.user.timeZone)} –{' '}
                {formatDateTime(s.end, me.user.timeZone)}
                {s.source === 'override' ? ' (override)' : ''}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function ContactMethods() {
  const data = useQuery(ONCALL_OVERVIEW_QUERY, {});
  const add = useMutation(ADD_CONTACT_METHOD);
  const verify = useMutation(VERIFY_CONTACT_METHOD);
  const remove = useMutation(REMOVE_CONTACT_METHOD);
  const [kind, setKind] = useState('email');
  const [address, setAddress] = useState('');
  const [codes, setCodes] = useState<Record<string, string>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await add.run({ kind, address: address.trim() })) {
      setAddress('');
      await data.reload();
    }
  }
  const methods = data.data?.myContactMethods ?? [];
  return (
    <section className="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading">How you are paged</h2>
      <p className="muted">
        Pages go only to verified methods. Each new one gets a six-digit code.
      </p>
      <form className="form-inline" onSubmit={submit}>
        <div className="field">
          <label htmlFor="cm-kind">Kind</label>
          <select id="cm-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="email">Email</option>
            <option value="sms">SMS</option>
            <option value="voice">Voice call</option>
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="cm-address">
            {kind === 'email' ? 'Email address' : 'Phone number (+country code)'}
          </label>
          <input
            id="cm-address"
            required
            type={kind === 'email' ? 'email' : 'tel'}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={add.pending}>
          Add
        </button>
      </form>
      <ErrorMessage error={add.error ?? verify.error ?? remove.error} />
      {methods.length === 0 && data.data ? (
        <p className="empty">No contact methods: you cannot be paged yet. Add one above.</p>
      ) : null}
      <ul className="item-list">
        {methods.map((m) => (
          <li key={m.id} className="item">
            <div className="item-main">
              <div className="item-title">
                <span className="badge">{m.kind}</span> {m.address}{' '}
                {m.verifiedAt ? (
                  <span className="badge badge-ok">verified</span>
                ) : (
                  <span className="badge">not verified</span>
                )}
              </div>
            </div>
            <div className="item-actions button-row">
              {!m.verifiedAt ? (
                <form
                  className="button-row"
                  onSubmit={async (e) => {
                    e.preventDefault();
                    if (await verify.run({ id: m.id, code: (codes[m.id] ?? '').trim() }))
                      await data.reload();
                  }}
                >
                  <label htmlFor={`code-${m.id}`} className="visually-hidden">
                    Code for {m.address}
                  </label>
                  <input
                    id={`code-${m.id}`}
                    inputMode="numeric"
                    placeholder="123456"
                    size={8}
                    value={codes[m.id] ?? ''}
                    onChange={(e) => setCodes((c) => ({ ...c, [m.id]: e.target.value }))}
                  />
                  <button type="submit" className="button">
                    Verify
                  </button>
                </form>
              ) : null}
              <ConfirmButton
                label="Remove"
                confirmLabel="Remove method"
                accessibleName={`Remove ${m.address}`}
                onConfirm={async () => {
                  if (await remove.run({ id: m.id })) await data.reload();
                }}
              />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OncallView() {
  const data = useQuery(ONCALL_OVERVIEW_QUERY, {});
  const names = new Map((data.data?.members ?? []).map((m) => [m.user.id, m.user.name]));
  const schedules = data.data?.schedules ?? [];
  const policies = data.data?.escalationPolicies ?? [];
  return (
    <>
      <div className="page-header">
        <h1>On-call</h1>
        <p className="muted">Who is paged, when, and in what order.</p>
      </div>
      <ErrorMessage error={data.error} title="Could not load on-call settings" />
      <h2>Schedules</h2>
      {data.data && schedules.length === 0 ? (
        <p className="empty">
          No schedules yet. Import one as YAML with <code>importScheduleYaml</code> or create it
          through the API (<code>createSchedule</code>); the editor here comes later.
        </p>
      ) : null}
      {schedules.map((s) => (
        <ScheduleTimeline key={s.id} schedule={s} names={names} />
      ))}
      <h2>Escalation policies</h2>
      {data.data && policies.length === 0 ? (
        <p className="empty">
          No escalation policies. Without one, incidents page only the people assigned to them.
        </p>
      ) : null}
      {policies.map((p) => (
        <section key={p.id} className="card" aria-label={`Escalation policy ${p.name}`}>
          <h3>{p.name}</h3>
          <ol className="timeline">
            {p.levels.map((l, i) => (
              <li key={i}>
                After {Math.round(l.delaySeconds / 60)} min:{' '}
                {l.targets
                  .map((t) => (t.type === 'user' ? (names.get(t.id) ?? 'a person') : t.type))
                  .join(', ')}
              </li>
            ))}
          </ol>
          {p.repeatCount ? (
            <p className="muted small">
              Repeats {p.repeatCount} more time(s) if nobody acknowledges.
            </p>
          ) : null}
        </section>
      ))}
      <ContactMethods />
    </>
  );
}
