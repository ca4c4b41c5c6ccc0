'use client';

import Link from 'next/link';
import { useMemo, useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/confirm-button';
import { ErrorMessage } from '../../../components/error-message';
import { useMe } from '../../../components/me-context';
import { useMutation, useQuery } from '../../../graphql/hooks';
import {
  ADD_CONTACT_METHOD,
  FINAL_SCHEDULE,
  ONCALL_OVERVIEW_QUERY,
  DELETE_ESCALATION_POLICY,
  DELETE_SCHEDULE,
  REMOVE_CONTACT_METHOD,
  VERIFY_CONTACT_METHOD,
  type Member,
  type Schedule,
} from '../../../graphql/operations';
import { formatDateTime } from '../../../lib/format';
import { canEditConfig } from '../../../lib/permissions';
import { EscalationEditor, type TargetChoices } from './escalation-editor';
import { NotificationRules } from './notification-rules';
import { Overrides } from './overrides';
import { ScheduleEditor } from './schedule-editor';

const DAY = 86_400_000;
const COLORS = ['#2563eb', '#c2410c', '#15803d', '#9333ea', '#0891b2', '#be123c'];

/** One row of a schedule timeline: the shifts of a layer, or the final schedule, over seven days. */
function ShiftRow({
  label,
  slots,
  from,
  people,
  names,
  timeZone,
}: {
  label: string;
  slots: Array<{ userId: string; start: string; end: string }>;
  from: number;
  people: string[];
  names: Map<string, string>;
  timeZone: string;
}) {
  const x = (iso: string) =>
    Math.min(100, Math.max(0, ((Date.parse(iso) - from) / (7 * DAY)) * 100));
  return (
    <div className="shift-row">
      <span className="shift-row-label small muted">{label}</span>
      <div
        className="shift-bar"
        role="img"
        aria-label={`${label}: shifts over the next seven days`}
        data-testid={`shift-row-${label}`}
        data-shifts={slots.length}
      >
        {slots.map((s, i) => (
          <span
            key={i}
            className="shift"
            title={`${names.get(s.userId) ?? 'someone'}: ${formatDateTime(s.start, timeZone)} – ${formatDateTime(s.end, timeZone)}`}
            style={{
              left: `${x(s.start)}%`,
              width: `${Math.max(0.5, x(s.end) - x(s.start))}%`,
              background: COLORS[people.indexOf(s.userId) % COLORS.length],
            }}
          />
        ))}
      </div>
    </div>
  );
}

/** The next seven days of a schedule: a row per layer and the final row, one colour per person, and its overrides. */
function ScheduleTimeline({
  schedule,
  names,
  members,
  canEdit,
  onEdit,
  onDeleted,
}: {
  schedule: Schedule;
  names: Map<string, string>;
  members: Member[];
  canEdit: boolean;
  onEdit: () => void;
  onDeleted: () => Promise<void>;
}) {
  const me = useMe();
  const remove = useMutation(DELETE_SCHEDULE);
  const [from] = useState(() => Date.now());
  const range = useMemo(
    () => ({ from: new Date(from).toISOString(), to: new Date(from + 7 * DAY).toISOString() }),
    [from],
  );
  const slots = useQuery(FINAL_SCHEDULE, { scheduleId: schedule.id, ...range });
  // Layer rows and the final row share one colour per person.
  const people = [
    ...new Set(
      [...(slots.data?.finalSchedule ?? []), ...(slots.data?.scheduleLayerShifts ?? [])].map(
        (s) => s.userId,
      ),
    ),
  ];
  return (
    <section className="card" aria-label={`Schedule ${schedule.name}`}>
      <div className="page-header-row">
        <h3>
          {schedule.name} <span className="muted small">{schedule.timeZone}</span>
        </h3>
        {canEdit ? (
          <div className="button-row">
            <button
              type="button"
              className="button button-quiet"
              onClick={onEdit}
              aria-label={`Edit schedule ${schedule.name}`}
            >
              Edit
            </button>
            <ConfirmButton
              label="Delete"
              confirmLabel="Delete schedule"
              accessibleName={`Delete schedule ${schedule.name}`}
              onConfirm={async () => {
                if (await remove.run({ id: schedule.id })) await onDeleted();
              }}
            />
          </div>
        ) : null}
      </div>
      <p className="muted small">
        {schedule.layers
          .map(
            (l, i) =>
              `Layer ${i + 1}: ${l.users.map((u) => names.get(u) ?? 'someone').join(', ')}, ${l.rotation === 'hours' ? `every ${l.every ?? 1} h` : `${l.every && l.every > 1 ? `every ${l.every} ` : ''}${l.rotation}`}${l.restrictions?.length ? `, ${l.restrictions.map((r) => `${r.start}–${r.end}`).join(' and ')}` : ''}`,
          )
          .join(' · ')}
      </p>
      <ErrorMessage error={slots.error ?? remove.error} />
      {slots.data && slots.data.finalSchedule.length === 0 ? (
        <p className="muted">Nobody is on call in the next 7 days.</p>
      ) : null}
      {slots.data?.finalSchedule.length ? (
        <>
          {schedule.layers.map((layer, li) => (
            <ShiftRow
              key={li}
              label={`Layer ${li + 1}${layer.name ? ` (${layer.name})` : ''}`}
              slots={(slots.data?.scheduleLayerShifts ?? []).filter((s) => s.layer === li)}
              from={from}
              people={people}
              names={names}
              timeZone={me.user.timeZone}
            />
          ))}
          <ShiftRow
            label="Final"
            slots={slots.data.finalSchedule}
            from={from}
            people={people}
            names={names}
            timeZone={me.user.timeZone}
          />
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
          <ol className="timeline small" data-testid={`final-${schedule.name}`}>
            {slots.data.finalSchedule.slice(0, 6).map((s, i) => (
              <li key={i}>
                {names.get(s.userId) ?? 'someone'}: {formatDateTime(s.start, me.user.timeZone)} –{' '}
                {formatDateTime(s.end, me.user.timeZone)}
                {s.source === 'override'
                  ? ' (override)'
                  : s.layer != null && schedule.layers.length > 1
                    ? ` (layer ${s.layer + 1})`
                    : ''}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {slots.data ? (
        <Overrides
          scheduleId={schedule.id}
          scheduleName={schedule.name}
          overrides={slots.data.scheduleOverrides}
          members={members}
          timeZone={me.user.timeZone}
          canEdit={canEdit}
          onChange={slots.reload}
        />
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
  const me = useMe();
  const data = useQuery(ONCALL_OVERVIEW_QUERY, {});
  const removePolicy = useMutation(DELETE_ESCALATION_POLICY);
  const [editing, setEditing] = useState<string | null>(null);
  const canEdit = canEditConfig(me.role);
  const members = data.data?.members ?? [];
  const names = new Map(members.map((m) => [m.user.id, m.user.name]));
  const schedules = data.data?.schedules ?? [];
  const policies = data.data?.escalationPolicies ?? [];
  const choices: TargetChoices = {
    user: members.map((m) => ({ id: m.user.id, name: m.user.name })),
    schedule: schedules.map((s) => ({ id: s.id, name: s.name })),
    channel: data.data?.channels ?? [],
  };
  const scheduleNames = new Map(schedules.map((s) => [s.id, s.name]));
  const channelNames = new Map(choices.channel.map((c) => [c.id, c.name]));
  const targetName = (t: { type: string; id: string }) =>
    t.type === 'user'
      ? (names.get(t.id) ?? 'a person')
      : t.type === 'schedule'
        ? `on call in ${scheduleNames.get(t.id) ?? 'a schedule'}`
        : `channel ${channelNames.get(t.id) ?? ''}`.trim();
  const done = async (saved: boolean) => {
    setEditing(null);
    if (saved) await data.reload();
  };

  return (
    <>
      <div className="page-header page-header-row">
        <div>
          <h1>On-call</h1>
          <p className="muted">Who is paged, when, and in what order.</p>
        </div>
        <Link className="button" href="/oncall/analytics">
          Analytics
        </Link>
      </div>
      <ErrorMessage error={data.error} title="Could not load on-call settings" />
      <div className="page-header-row">
        <h2>Schedules</h2>
        {canEdit && editing !== 'schedule:new' ? (
          <button type="button" className="button" onClick={() => setEditing('schedule:new')}>
            New schedule
          </button>
        ) : null}
      </div>
      {editing === 'schedule:new' ? (
        <ScheduleEditor members={members} defaultTimeZone={me.user.timeZone} onDone={done} />
      ) : null}
      {data.data && schedules.length === 0 && editing !== 'schedule:new' ? (
        <p className="empty">
          No schedules yet.{' '}
          {canEdit ? 'Create one with “New schedule”: ' : 'An editor can create one: '}
          pick the people who take turns and when they hand off. Overrides and escalation policies
          build on it.
        </p>
      ) : null}
      {schedules.map((s) =>
        editing === `schedule:${s.id}` ? (
          <ScheduleEditor
            key={s.id}
            schedule={s}
            members={members}
            defaultTimeZone={me.user.timeZone}
            onDone={done}
          />
        ) : (
          <ScheduleTimeline
            key={s.id}
            schedule={s}
            names={names}
            members={members}
            canEdit={canEdit}
            onEdit={() => setEditing(`schedule:${s.id}`)}
            onDeleted={data.reload}
          />
        ),
      )}
      <div className="page-header-row">
        <h2>Escalation policies</h2>
        {canEdit && editing !== 'policy:new' ? (
          <button type="button" className="button" onClick={() => setEditing('policy:new')}>
            New escalation policy
          </button>
        ) : null}
      </div>
      {editing === 'policy:new' ? <EscalationEditor choices={choices} onDone={done} /> : null}
      <ErrorMessage error={removePolicy.error} />
      {data.data && policies.length === 0 && editing !== 'policy:new' ? (
        <p className="empty">
          No escalation policies. Without one, incidents page only the people assigned to them. Make
          one, then point a route at it in <Link href="/notifications">Notifications</Link>.
        </p>
      ) : null}
      {policies.map((p) =>
        editing === `policy:${p.id}` ? (
          <EscalationEditor key={p.id} policy={p} choices={choices} onDone={done} />
        ) : (
          <section key={p.id} className="card" aria-label={`Escalation policy ${p.name}`}>
            <div className="page-header-row">
              <h3>{p.name}</h3>
              {canEdit ? (
                <div className="button-row">
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() => setEditing(`policy:${p.id}`)}
                    aria-label={`Edit escalation policy ${p.name}`}
                  >
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    confirmLabel="Delete policy"
                    accessibleName={`Delete escalation policy ${p.name}`}
                    onConfirm={async () => {
                      if (await removePolicy.run({ id: p.id })) await data.reload();
                    }}
                  />
                </div>
              ) : null}
            </div>
            <ol className="timeline">
              {p.levels.map((l, i) => (
                <li key={i}>
                  Page {l.targets.map(targetName).join(', ')}, then wait{' '}
                  {Math.round(l.delaySeconds / 60)} min
                </li>
              ))}
            </ol>
            <p className="muted small">
              {p.repeatCount
                ? `Then starts over, ${p.repeatCount} more time(s), until someone acknowledges.`
                : 'Then stops, whether or not anyone acknowledged.'}
            </p>
          </section>
        ),
      )}
      <ContactMethods />
      {data.data ? <NotificationRules methods={data.data.myContactMethods} /> : null}
    </>
  );
}
