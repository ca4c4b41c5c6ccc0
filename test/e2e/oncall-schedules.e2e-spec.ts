import { Queue } from 'bullmq';
import yaml from 'js-yaml';
import { QueueName, bullConnection, bullPrefix, type AlertGroupIncidentJob } from '@tocsin/queue';
import { codeOf, type SignedUp } from './support/api';
import { waitFor } from './support/oncall-fakes';
import { OncallHarness, signUp, type Person } from './support/oncall-harness';

// Real api + on-call and notify worker processors, PostgreSQL, Redis and a local SMTP server; the SMS
// provider is a local Twilio-shaped HTTP server (not Twilio). Alerting is not built yet, so the
// alert-group jobs are enqueued here exactly as alerting will enqueue them.
describe('on-call schedules, alert-group incidents and analytics', () => {
  const h = new OncallHarness();
  let a: SignedUp;
  let alice: Person;
  let dave: { token: string; userId: string; email: string };
  let erin: Person;
  let escalateQueue: Queue;

  beforeAll(async () => {
    await h.start();
    a = await signUp(h.api.url, 'alice');
    alice = await h.verifiedPerson(a);
    dave = await h.member(a, 'EDITOR', 'dave');
    erin = await h.verifiedPerson(await h.member(a, 'RESPONDER', 'erin'));
    escalateQueue = new Queue(QueueName.OncallEscalate, {
      connection: bullConnection(),
      prefix: bullPrefix(),
    });
  }, 120_000);

  afterAll(async () => {
    await escalateQueue?.close();
    await h.stop();
  });

  it('refuses a wrong verification code and pages only verified methods', async () => {
    const r = await h.ok(
      'mutation { addContactMethod(kind: "sms", address: "+1 (555) 010-2030") { id address verifiedAt } }',
      {},
      dave,
    );
    expect(r.addContactMethod).toMatchObject({ address: '+15550102030', verifiedAt: null });
    const sent = await waitFor(
      () => h.twilio.received.find((x) => x.params.To === '+15550102030'),
      10_000,
      'code SMS',
    );
    const real = /code is (\d{6})/.exec(sent.params.Body)![1];
    const wrongCode = real === '000000' ? '111111' : '000000';
    const wrong = await h.gql(
      'mutation($id: ID!, $c: String!) { verifyContactMethod(id: $id, code: $c) { id } }',
      { id: r.addContactMethod.id, c: wrongCode },
      dave,
    );
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    const methods = await h.ok('{ myContactMethods { id verifiedAt } }', {}, dave);
    expect(methods.myContactMethods).toEqual([{ id: r.addContactMethod.id, verifiedAt: null }]);
    const rules = await h.ok(
      '{ myNotificationRules(urgency: high) { kind delaySeconds } }',
      {},
      dave,
    );
    expect(rules.myNotificationRules).toEqual([]);
    expect(
      codeOf(
        await h.gql(
          'mutation { addContactMethod(kind: "sms", address: "not a number") { id } }',
          {},
          dave,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('builds a schedule with an override, answers on call now, round-trips YAML and serves a signed iCal feed', async () => {
    const layers = [
      {
        name: 'primary',
        users: [alice.userId, dave.userId],
        rotation: 'daily',
        every: 1,
        start: '2026-01-05T09:00',
        restrictions: [],
      },
    ];
    const s = await h.ok(
      'mutation($i: ScheduleInput!) { createSchedule(input: $i) { id timeZone } }',
      { i: { name: 'primary', timeZone: 'Europe/Berlin', layers } },
      a,
    );
    const id = s.createSchedule.id;
    const bad = await h.gql(
      'mutation($i: ScheduleInput!) { createSchedule(input: $i) { id } }',
      { i: { name: 'x', timeZone: 'Mars/Olympus', layers } },
      a,
    );
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const from = new Date('2026-03-28T00:00:00Z');
    const to = new Date('2026-03-31T00:00:00Z');
    await h.ok(
      'mutation($s: ID!, $u: ID!, $f: DateTime!, $t: DateTime!) { addScheduleOverride(scheduleId: $s, userId: $u, start: $f, end: $t) { id } }',
      { s: id, u: dave.userId, f: '2026-03-29T10:00:00Z', t: '2026-03-29T12:00:00Z' },
      a,
    );
    const fs = await h.ok(
      'query($s: ID!, $f: DateTime!, $t: DateTime!) { finalSchedule(scheduleId: $s, from: $f, to: $t) { userId start end source } }',
      { s: id, f: from, t: to },
      a,
    );
    // Handoffs stay at 09:00 Berlin: 08:00Z before the 3/29 spring-forward, 07:00Z after.
    expect(fs.finalSchedule.map((x: { start: string }) => x.start)).toEqual(
      expect.arrayContaining([
        '2026-03-28T08:00:00.000Z',
        '2026-03-29T07:00:00.000Z',
        '2026-03-29T10:00:00.000Z',
        '2026-03-29T12:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
      ]),
    );
    expect(
      fs.finalSchedule.find((x: { start: string }) => x.start === '2026-03-29T10:00:00.000Z'),
    ).toMatchObject({ userId: dave.userId, source: 'override' });

    // The layer's own row: its daily turns only, the override not applied.
    const ls = await h.ok(
      'query($s: ID!, $f: DateTime!, $t: DateTime!) { scheduleLayerShifts(scheduleId: $s, from: $f, to: $t) { userId start end source layer } }',
      { s: id, f: from, t: to },
      a,
    );
    expect(
      ls.scheduleLayerShifts.map((x: { start: string; end: string }) => [x.start, x.end]),
    ).toEqual([
      ['2026-03-28T00:00:00.000Z', '2026-03-28T08:00:00.000Z'],
      ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z'],
      ['2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z'],
      ['2026-03-30T07:00:00.000Z', '2026-03-31T00:00:00.000Z'],
    ]);
    expect(
      ls.scheduleLayerShifts.every(
        (x: { source: string; layer: number }) => x.source === 'layer' && x.layer === 0,
      ),
    ).toBe(true);
    const users = ls.scheduleLayerShifts.map((x: { userId: string }) => x.userId);
    expect(new Set(users)).toEqual(new Set([alice.userId, dave.userId]));
    expect(users[0]).not.toBe(users[1]);
    // Another organization cannot read the layers of this schedule.
    const stranger = await signUp(h.api.url, 'layer-stranger');
    const hidden = await h.gql(
      'query($s: ID!, $f: DateTime!, $t: DateTime!) { scheduleLayerShifts(scheduleId: $s, from: $f, to: $t) { userId } }',
      { s: id, f: from, t: to },
      stranger,
    );
    expect(hidden.data?.scheduleLayerShifts ?? null).toBeNull();
    expect(hidden.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const now = await h.ok(
      'query($s: ID!) { onCall(scheduleId: $s) { now { userId end } next { userId start } } }',
      { s: id },
      a,
    );
    expect([alice.userId, dave.userId]).toContain(now.onCall.now.userId);
    expect(now.onCall.next.userId).not.toBe(now.onCall.now.userId);

    const exported = (await h.ok('query($s: ID!) { exportScheduleYaml(id: $s) }', { s: id }, a))
      .exportScheduleYaml as string;
    const doc = yaml.load(exported) as {
      layers: Array<{ users: string[] }>;
      overrides: Array<{ user: string }>;
    };
    expect(doc.layers[0].users).toEqual([alice.email.toLowerCase(), dave.email.toLowerCase()]);
    expect(doc.overrides).toEqual([
      {
        user: dave.email.toLowerCase(),
        start: '2026-03-29T10:00:00.000Z',
        end: '2026-03-29T12:00:00.000Z',
      },
    ]);
    const copy = exported.replace(/^name: primary$/m, 'name: primary-copy');
    const imported = await h.ok(
      'mutation($y: String!) { importScheduleYaml(yaml: $y) { id name timeZone } }',
      { y: copy },
      a,
    );
    expect(imported.importScheduleYaml).toMatchObject({
      name: 'primary-copy',
      timeZone: 'Europe/Berlin',
    });
    const fs2 = await h.ok(
      'query($s: ID!, $f: DateTime!, $t: DateTime!) { finalSchedule(scheduleId: $s, from: $f, to: $t) { userId start end source } }',
      { s: imported.importScheduleYaml.id, f: from, t: to },
      a,
    );
    expect(fs2.finalSchedule).toEqual(fs.finalSchedule);
    expect(
      codeOf(
        await h.gql(
          'mutation($y: String!) { importScheduleYaml(yaml: $y) { id } }',
          { y: copy.replace(alice.email.toLowerCase(), 'stranger@example.com') },
          a,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await h.gql(
          'mutation($y: String!) { importScheduleYaml(yaml: $y) { id } }',
          { y: 'name: [unclosed' },
          a,
        ),
      ),
    ).toBe('BAD_USER_INPUT');

    const feedUrl = (await h.ok('{ myOnCallCalendarUrl }', {}, a)).myOnCallCalendarUrl as string;
    const path = new URL(feedUrl).pathname;
    const ics = await fetch(`${h.api.url}${path}`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const body = await ics.text();
    expect(body).toContain('BEGIN:VEVENT');
    expect(body).toContain('SUMMARY:On call: primary');
    // Another last signature character (a fixed 'x' left the path unchanged 1 time in 64).
    const tampered = path.replace(/(.)\.ics$/, (_, c: string) => `${c === 'x' ? 'y' : 'x'}.ics`);
    expect(tampered).not.toBe(path);
    expect((await fetch(`${h.api.url}${tampered}`)).status).toBe(403);
  });

  it('pages whoever a schedule has on call, and sends channel targets through notify', async () => {
    const sched = await h.ok(
      'mutation($i: ScheduleInput!) { createSchedule(input: $i) { id } }',
      {
        i: {
          name: 'alice only',
          timeZone: 'UTC',
          layers: [{ users: [alice.userId], rotation: 'weekly', start: '2026-01-01T00:00' }],
        },
      },
      a,
    );
    const ops = `ops-${Date.now()}@example.com`;
    const channel = await h.ok(
      'mutation($i: CreateChannelInput!) { createChannel(input: $i) { id } }',
      { i: { name: 'ops mail', kind: 'email', config: { to: [ops] } } },
      a,
    );
    const missing = await h.gql(
      'mutation($i: EscalationPolicyInput!) { createEscalationPolicy(input: $i) { id } }',
      {
        i: {
          name: 'bad channel',
          levels: [
            {
              delaySeconds: 60,
              targets: [{ type: 'channel', id: '11111111-2222-4333-8444-555555555555' }],
            },
          ],
        },
      },
      a,
    );
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    const policyId = await h.policy(a, 'via schedule', [
      {
        delaySeconds: 60,
        targets: [
          { type: 'schedule', id: sched.createSchedule.id },
          { type: 'channel', id: channel.createChannel.id },
        ],
      },
    ]);
    const inc = await h.incident(a, {
      title: 'schedule page',
      urgency: 'high',
      escalationPolicyId: policyId,
    });
    await waitFor(() => h.mailsFor(alice.email, inc.number)[0], 15_000, 'page via schedule');
    const { rows } = await h.pg.query(
      'select schedule_id from oncall_pages where incident_id = $1',
      [inc.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.schedule_id === sched.createSchedule.id)).toBe(true);
    await waitFor(() => h.smtp.mails.find((m) => m.to.includes(ops)), 15_000, 'channel email');
    const ev = await h.pg.query(
      "select details from oncall_incident_events where incident_id = $1 and kind = 'channel'",
      [inc.id],
    );
    expect(ev.rows[0].details).toMatchObject({
      channelId: channel.createChannel.id,
      status: 'queued',
    });
    await h.ok('mutation($id: ID!) { resolveIncident(id: $id) { status } }', { id: inc.id }, a);
  });

  it('opens an incident from an alert group, updates it on repeats, resolves it when the alert resolves', async () => {
    const policyId = await h.policy(a, 'alerts', [
      { delaySeconds: 60, targets: [{ type: 'user', id: alice.userId }] },
    ]);
    const job = (status: 'firing' | 'resolved', n: number): AlertGroupIncidentJob => ({
      kind: 'alert-group-incident',
      orgId: a.orgId,
      escalationPolicyId: policyId,
      groupKey: '{}/{alertname="HighLatency"}',
      status,
      title: 'HighLatency',
      urgency: 'high',
      alerts: [
        {
          fingerprint: 'f1',
          status,
          labels: { alertname: 'HighLatency' },
          annotations: {},
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
        },
      ],
      idempotencyKey: `grp-HighLatency-${status}-${n}`,
    });
    await escalateQueue.add('alert-group-incident', job('firing', 1), { jobId: 'agi-1' });
    const opened = await waitFor(
      async () => {
        const { rows } = await h.pg.query(
          'select id, number, status from oncall_incidents where org_id = $1 and group_key = $2',
          [a.orgId, job('firing', 1).groupKey],
        );
        return rows.length ? rows : null;
      },
      10_000,
      'incident from alert',
    );
    expect(opened).toHaveLength(1);
    await waitFor(() => h.mailsFor(alice.email, opened[0].number)[0], 15_000, 'alert page');
    await escalateQueue.add('alert-group-incident', job('firing', 2), { jobId: 'agi-2' });
    await waitFor(
      async () =>
        (
          await h.pg.query(
            "select 1 from oncall_incident_events where incident_id = $1 and kind = 'alert'",
            [opened[0].id],
          )
        ).rowCount,
      10_000,
      'update event',
    );
    expect(
      (
        await h.pg.query(
          'select count(*)::int as n from oncall_incidents where org_id = $1 and group_key = $2',
          [a.orgId, job('firing', 1).groupKey],
        )
      ).rows[0].n,
    ).toBe(1);
    await escalateQueue.add('alert-group-incident', job('resolved', 3), { jobId: 'agi-3' });
    await waitFor(
      async () => (await h.row(opened[0].id)).status === 'RESOLVED',
      10_000,
      'auto-resolve',
    );
    const ev = await h.pg.query(
      "select details from oncall_incident_events where incident_id = $1 and kind = 'resolve'",
      [opened[0].id],
    );
    expect(ev.rows[0].details).toMatchObject({ via: 'alert' });
    // The next firing of the same group is a new incident with the next number.
    await escalateQueue.add('alert-group-incident', job('firing', 4), { jobId: 'agi-4' });
    const again = await waitFor(
      async () =>
        (
          await h.pg.query(
            "select number from oncall_incidents where org_id = $1 and group_key = $2 and status <> 'RESOLVED'",
            [a.orgId, job('firing', 1).groupKey],
          )
        ).rows[0],
      10_000,
      'second incident',
    );
    expect(again.number).toBeGreaterThan(opened[0].number);
    await escalateQueue.add('alert-group-incident', job('resolved', 5), { jobId: 'agi-5' });
  });

  it('still opens a visible incident for an alert routed to a policy that no longer exists', async () => {
    const missing = '99999999-8888-4777-8666-555555555555';
    const groupKey = '{}/{alertname="Orphan"}';
    await escalateQueue.add(
      'alert-group-incident',
      {
        kind: 'alert-group-incident',
        orgId: a.orgId,
        escalationPolicyId: missing,
        groupKey,
        status: 'firing',
        title: 'Orphan',
        urgency: 'low',
        alerts: [],
        idempotencyKey: 'orphan-1',
      } satisfies AlertGroupIncidentJob,
      { jobId: 'orphan-1' },
    );
    const inc = await waitFor(
      async () => {
        const { rows } = await h.pg.query(
          'select id, status from oncall_incidents where org_id = $1 and group_key = $2',
          [a.orgId, groupKey],
        );
        return rows[0];
      },
      10_000,
      'orphan incident',
    );
    expect(inc.status).toBe('TRIGGERED');
    await waitFor(
      async () =>
        (
          await h.pg.query(
            "select 1 from oncall_incident_events where incident_id = $1 and kind = 'escalation-exhausted'",
            [inc.id],
          )
        ).rowCount,
      10_000,
      'exhausted event',
    );
    expect(await h.pages(inc.id)).toEqual([]);
  });

  it('escalates from the snapshot taken at open; reassign, responders and notes page and record who', async () => {
    const policyId = await h.policy(a, 'snapshot', [
      { delaySeconds: 2, targets: [{ type: 'user', id: alice.userId }] },
      { delaySeconds: 2, targets: [{ type: 'user', id: alice.userId }] },
    ]);
    const inc = await h.incident(a, {
      title: 'snapshot',
      urgency: 'high',
      escalationPolicyId: policyId,
    });
    await h.ok(
      'mutation($id: ID!, $i: EscalationPolicyInput!) { updateEscalationPolicy(id: $id, input: $i) { id } }',
      {
        id: policyId,
        i: {
          name: 'snapshot',
          levels: [
            { delaySeconds: 2, targets: [{ type: 'user', id: erin.userId }] },
            { delaySeconds: 2, targets: [{ type: 'user', id: erin.userId }] },
          ],
          repeatCount: 0,
        },
      },
      a,
    );
    await waitFor(
      async () => (await h.pages(inc.id)).some((p) => p.step === 1),
      15_000,
      'level 2 from the snapshot',
    );
    expect((await h.pages(inc.id)).every((p) => p.user_id === alice.userId)).toBe(true);

    await h.ok(
      'mutation($id: ID!, $u: [ID!]!) { reassignIncident(id: $id, userIds: $u) { status assignedUserIds } }',
      { id: inc.id, u: [erin.userId] },
      a,
    );
    await waitFor(() => h.mailsFor(erin.email, inc.number)[0], 15_000, 'page to the new assignee');
    await h.ok(
      'mutation($id: ID!) { acknowledgeIncident(id: $id) { status } }',
      { id: inc.id },
      erin,
    );
    const before = h.mailsFor(alice.email, inc.number).length;
    await h.ok(
      'mutation($id: ID!, $u: [ID!]!) { addIncidentResponders(id: $id, userIds: $u) { id } }',
      { id: inc.id, u: [alice.userId] },
      erin,
    );
    // Responders are paged even though the incident is acknowledged: they are asked to join.
    await waitFor(
      () => h.mailsFor(alice.email, inc.number).length > before,
      15_000,
      'responder page',
    );
    await h.ok(
      'mutation($id: ID!, $t: String!) { addIncidentNote(id: $id, text: $t) { id } }',
      { id: inc.id, t: 'rolled back' },
      erin,
    );
    const t = await h.ok(
      'query($id: ID!) { incident(id: $id) { status acknowledgedById timeline { kind actorUserId details } } }',
      { id: inc.id },
      a,
    );
    expect(t.incident).toMatchObject({ status: 'ACKNOWLEDGED', acknowledgedById: erin.userId });
    const by = (kind: string) => t.incident.timeline.find((e: { kind: string }) => e.kind === kind);
    expect(by('reassign')).toMatchObject({
      actorUserId: a.userId,
      details: { userIds: [erin.userId] },
    });
    expect(by('ack')).toMatchObject({ actorUserId: erin.userId, details: { via: 'graphql' } });
    expect(by('responders')).toMatchObject({ actorUserId: erin.userId });
    expect(by('note')).toMatchObject({
      actorUserId: erin.userId,
      details: { text: 'rolled back' },
    });
    expect(
      codeOf(
        await h.gql(
          'mutation($id: ID!, $u: [ID!]!) { reassignIncident(id: $id, userIds: $u) { id } }',
          { id: inc.id, u: ['99999999-8888-4777-8666-555555555555'] },
          a,
        ),
      ),
    ).toBe('BAD_USER_INPUT');

    await h.ok(
      'mutation($i: ScheduleInput!) { createSchedule(input: $i) { id } }',
      {
        i: {
          name: 'erin',
          timeZone: 'America/New_York',
          layers: [{ users: [erin.userId], rotation: 'daily', start: '2026-01-01T00:00' }],
        },
      },
      a,
    );
    const oc = await h.ok('{ userOnCall { now { scheduleName end } next { start } } }', {}, erin);
    expect(oc.userOnCall.now.map((x: { scheduleName: string }) => x.scheduleName)).toEqual([
      'erin',
    ]);
  });

  it('reports pages, night pages, time to acknowledge and the noisiest sources', async () => {
    const inc = await h.incident(a, {
      title: 'analytics',
      urgency: 'high',
      assignedUserIds: [alice.userId],
    });
    await waitFor(() => h.mailsFor(alice.email, inc.number)[0], 15_000, 'page');
    await h.ok('mutation($id: ID!) { acknowledgeIncident(id: $id) { status } }', { id: inc.id }, a);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const r = await h.ok(
      'query($f: DateTime!, $t: DateTime!) { oncallStatsByUser(from: $f, to: $t) { key pages nightPages acknowledged meanSecondsToAck } oncallStatsBySchedule(from: $f, to: $t) { key pages } noisiestIncidentSources(from: $f, to: $t) { source incidents ackedQuickly ignored } }',
      { f: from, t: to },
      a,
    );
    const { rows } = await h.pg.query(
      "select count(*)::int as pages, count(*) filter (where extract(hour from p.created_at at time zone 'UTC') >= 22 or extract(hour from p.created_at at time zone 'UTC') < 7)::int as night from oncall_pages p where p.org_id = $1 and p.user_id = $2",
      [a.orgId, alice.userId],
    );
    const mine = r.oncallStatsByUser.find((x: { key: string }) => x.key === alice.userId);
    expect(mine).toMatchObject({ pages: rows[0].pages, nightPages: rows[0].night });
    expect(mine.acknowledged).toBeGreaterThanOrEqual(1);
    expect(mine.meanSecondsToAck).toBeGreaterThan(0);
    expect(
      r.noisiestIncidentSources.find(
        (x: { source: string }) => x.source === '{}/{alertname="HighLatency"}',
      ),
    ).toMatchObject({ incidents: 2, ackedQuickly: 0, ignored: 2 });
    expect(r.oncallStatsBySchedule.length).toBeGreaterThanOrEqual(1);
  });

  it('summarises time to acknowledge as percentiles and incidents per hour on a given clock', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const q = (tz: string | null) =>
      h.ok(
        'query($f: DateTime!, $t: DateTime!, $z: String) { oncallResponseSummary(from: $f, to: $t, timeZone: $z) { incidents acknowledged secondsToAckP50 secondsToAckP90 incidentsByHour outOfHoursIncidents } }',
        { f: from, t: to, z: tz },
        a,
      );
    const { rows } = await h.pg.query(
      'select created_at, acknowledged_at from oncall_incidents where org_id = $1 and created_at >= $2 and created_at < $3',
      [a.orgId, from, to],
    );
    expect(rows.length).toBeGreaterThan(0);
    const acks = rows
      .filter((r: { acknowledged_at: Date | null }) => r.acknowledged_at)
      .map(
        (r: { created_at: Date; acknowledged_at: Date }) =>
          (r.acknowledged_at.getTime() - r.created_at.getTime()) / 1000,
      )
      .sort((x: number, y: number) => x - y);
    // percentile_cont: linear interpolation between the closest ranks.
    const pct = (p: number) => {
      const at = p * (acks.length - 1);
      const lo = Math.floor(at);
      return acks[lo] + (acks[Math.ceil(at)] - acks[lo]) * (at - lo);
    };
    const utc = (await q(null)).oncallResponseSummary;
    expect(utc.incidents).toBe(rows.length);
    expect(utc.acknowledged).toBe(acks.length);
    expect(utc.secondsToAckP50).toBeCloseTo(pct(0.5), 3);
    expect(utc.secondsToAckP90).toBeCloseTo(pct(0.9), 3);
    const hours = Array.from({ length: 24 }, () => 0);
    for (const r of rows) hours[(r.created_at as Date).getUTCHours()] += 1;
    expect(utc.incidentsByHour).toEqual(hours);
    // Kathmandu is UTC+5:45: the same incidents land in other hours of its day.
    const ktm = (await q('Asia/Kathmandu')).oncallResponseSummary;
    const shifted = Array.from({ length: 24 }, () => 0);
    for (const r of rows)
      shifted[new Date((r.created_at as Date).getTime() + (5 * 60 + 45) * 60_000).getUTCHours()] +=
        1;
    expect(ktm.incidentsByHour).toEqual(shifted);
    expect(
      codeOf(
        await h.gql(
          'query($f: DateTime!, $t: DateTime!) { oncallResponseSummary(from: $f, to: $t, timeZone: "Mars/Olympus") { incidents } }',
          { f: from, t: to },
          a,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});
