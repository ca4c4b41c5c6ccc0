import { signLink, twilioSignature } from '@tocsin/oncall';
import { codeOf, type SignedUp } from './support/api';
import { waitFor } from './support/oncall-fakes';
import { OncallHarness, TWILIO_TOKEN, signUp, type Person } from './support/oncall-harness';

// Real api, real on-call worker processors, real PostgreSQL (RLS, app role) and Redis (BullMQ),
// a real SMTP server on 127.0.0.1. Not real: the SMS/voice provider is a local HTTP server shaped
// like Twilio's API. Escalation delays are seconds instead of minutes.
describe('on-call escalation and acknowledgement', () => {
  const h = new OncallHarness();
  let a: SignedUp;
  let b: SignedUp;
  let alice: Person;
  let carol: Person;
  let bob: Person;

  beforeAll(async () => {
    await h.start();
    a = await signUp(h.api.url, 'alice');
    b = await signUp(h.api.url, 'bob');
    alice = await h.verifiedPerson(a);
    carol = await h.verifiedPerson(await h.member(a, 'RESPONDER', 'carol'));
    bob = await h.verifiedPerson(b);
  }, 120_000);

  afterAll(async () => {
    await h.stop();
  });

  it('pages level 1 by email and SMS, then level 2 after its delay when nobody acknowledges', async () => {
    const policyId = await h.policy(a, 'two levels', [
      { delaySeconds: 3, targets: [{ type: 'user', id: alice.userId }] },
      { delaySeconds: 3, targets: [{ type: 'user', id: carol.userId }] },
    ]);
    const inc = await h.incident(a, {
      title: 'disk full on db-1',
      urgency: 'high',
      escalationPolicyId: policyId,
    });
    const mail = await waitFor(
      () => h.mailsFor(alice.email, inc.number)[0],
      15_000,
      'level 1 email',
    );
    const sms = await waitFor(() => h.smsFor(alice.phone, inc.number)[0], 15_000, 'level 1 SMS');
    expect(mail.subject).toBe(`[Tocsin #${inc.number}] disk full on db-1`);
    expect(sms.params.Body).toContain(`ACK ${inc.number}`);
    expect(h.mailsFor(carol.email, inc.number)).toHaveLength(0);
    const carolMail = await waitFor(
      () => h.mailsFor(carol.email, inc.number)[0],
      15_000,
      'level 2 email',
    );
    const pages = await h.pages(inc.id);
    const first = pages.find((p) => p.user_id === alice.userId)!;
    const second = pages.find((p) => p.user_id === carol.userId)!;
    expect(second.created_at.getTime() - first.created_at.getTime()).toBeGreaterThanOrEqual(2900);
    expect(carolMail.at - mail.at).toBeGreaterThanOrEqual(2500);
    expect(
      pages.map((p) => [p.user_id === alice.userId ? 'alice' : 'carol', p.kind, p.step]).sort(),
    ).toEqual(
      [
        ['alice', 'email', 0],
        ['alice', 'sms', 0],
        ['carol', 'email', 1],
        ['carol', 'sms', 1],
      ].sort(),
    );
    const t = await h.ok(
      'query($id: ID!) { incident(id: $id) { status timeline { kind details } } }',
      { id: inc.id },
      a,
    );
    const kinds = t.incident.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'escalate')).toHaveLength(2);
    expect(kinds).toEqual(expect.arrayContaining(['opened', 'page', 'delivery']));
    await h.ok('mutation($id: ID!) { resolveIncident(id: $id) { status } }', { id: inc.id }, a);
  });

  it('acknowledges only on POST of the signed link, and nothing is paged after it', async () => {
    const policyId = await h.policy(a, 'ack link', [
      { delaySeconds: 3, targets: [{ type: 'user', id: alice.userId }] },
      { delaySeconds: 3, targets: [{ type: 'user', id: carol.userId }] },
    ]);
    const inc = await h.incident(a, {
      title: 'api 5xx',
      urgency: 'high',
      escalationPolicyId: policyId,
    });
    const mail = await waitFor(() => h.mailsFor(alice.email, inc.number)[0], 15_000, 'page');
    const token = h.linkToken(mail);
    // A mail scanner's GET shows a form and changes nothing.
    const get = await fetch(`${h.api.url}/api/v1/oncall/links/${token}`);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('method="post"');
    expect((await h.row(inc.id)).status).toBe('TRIGGERED');
    const post = await h.postLink(token, 'ack');
    expect(post.status).toBe(200);
    const row = await h.row(inc.id);
    expect(row.status).toBe('ACKNOWLEDGED');
    expect(row.acknowledged_by_id).toBe(alice.userId);
    await new Promise((r) => setTimeout(r, 5000));
    const pages = await h.pages(inc.id);
    expect(
      pages.filter((p) => p.created_at.getTime() > row.acknowledged_at.getTime()),
    ).toHaveLength(0);
    expect(pages.filter((p) => p.user_id === carol.userId)).toHaveLength(0);
    expect(h.mailsFor(carol.email, inc.number)).toHaveLength(0);
    const t = await h.ok(
      'query($id: ID!) { incident(id: $id) { timeline { kind actorUserId details } } }',
      { id: inc.id },
      a,
    );
    expect(t.incident.timeline.find((e: { kind: string }) => e.kind === 'ack')).toMatchObject({
      actorUserId: alice.userId,
      details: { via: 'link' },
    });
  });

  it('with 100 incidents acknowledged at once around the escalation boundary, no page leaves after its ack commits', async () => {
    const DELAY = 10;
    const policyId = await h.policy(a, 'hundred', [
      { delaySeconds: DELAY, targets: [{ type: 'user', id: alice.userId }] },
      { delaySeconds: DELAY, targets: [{ type: 'user', id: carol.userId }] },
    ]);
    const t0 = Date.now();
    const incidents: Array<{ id: string; number: number }> = [];
    for (let i = 0; i < 100; i += 20) {
      incidents.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, j) =>
            h.incident(a, {
              title: `burst ${i + j}`,
              urgency: 'high',
              escalationPolicyId: policyId,
            }),
          ),
        )),
      );
    }
    const t1 = Date.now();
    const tokens = await waitFor(
      () => {
        const found = incidents.map((inc) => h.mailsFor(alice.email, inc.number)[0]);
        return found.every(Boolean) ? found.map((m) => h.linkToken(m!)) : null;
      },
      60_000,
      '100 level-1 pages',
    );
    const t2 = Date.now();
    // Level 2 of each incident is due DELAY seconds after its level-1 step ran; aim every
    // acknowledgement at the middle of those boundaries so some land before and some after.
    const steps = await h.pg.query(
      "select percentile_cont(0.5) within group (order by extract(epoch from created_at)) as mid from oncall_incident_events where kind = 'escalate' and (details->>'step')::int = 0 and incident_id = any($1::uuid[])",
      [incidents.map((i) => i.id)],
    );
    const boundary = Number(steps.rows[0].mid) * 1000 + DELAY * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, boundary - Date.now())));
    const t3 = Date.now();
    const acked = await Promise.all(
      tokens.map(async (token, i) => {
        const res = await h.postLink(token, 'ack');
        return { ...incidents[i], status: res.status, doneAt: Date.now() };
      }),
    );
    const t4 = Date.now();
    expect(acked.every((x) => x.status === 200)).toBe(true);
    // Past every level-2 boundary, and time for notify to deliver what was handed to it before the acks.
    await new Promise((r) => setTimeout(r, DELAY * 1000 + 4000));
    let level2Before = 0;
    let messages = 0;
    for (const x of acked) {
      const row = await h.row(x.id);
      expect(row.status).toBe('ACKNOWLEDGED');
      const pages = await h.pages(x.id);
      // No page recorded after the acknowledgement committed…
      expect(pages.filter((p) => p.created_at.getTime() > row.acknowledged_at.getTime())).toEqual(
        [],
      );
      // …every recorded page was handed to notify once; each either left before the ack
      // committed (the send holds the incident row, so the ack waits for it) or was called off.
      expect(pages.every((p) => p.status === 'handed' && p.delivery_id)).toBe(true);
      const arrived = [alice, carol].flatMap((who) => [
        ...h.mailsFor(who.email, x.number),
        ...h.smsFor(who.phone, x.number),
      ]);
      const outcomes = await h.pg.query<{ status: string }>('select status from deliveries where id = any($1::uuid[])', [
        pages.map((p) => p.delivery_id),
      ]);
      expect(outcomes.rows.every((d) => d.status === 'delivered' || d.status === 'cancelled')).toBe(true);
      expect(arrived).toHaveLength(outcomes.rows.filter((d) => d.status === 'delivered').length);
      expect(arrived.filter((m) => m.at > row.acknowledged_at.getTime())).toEqual([]);
      messages += arrived.length;
      if (pages.some((p) => p.user_id === carol.userId)) level2Before += 1;
    }
    // eslint-disable-next-line no-console
    console.log(
      `100 incidents: created in ${t1 - t0} ms, all level-1 emails in ${t2 - t1} ms more; 100 link acks in ${t4 - t3} ms; ` +
        `level 2 paged before the ack on ${level2Before} incidents, not at all on ${100 - level2Before}; ${messages} messages arrived`,
    );
  }, 180_000);

  it('acknowledges from an SMS reply with a valid Twilio signature and refuses a bad one with 403', async () => {
    const url = `${h.api.url}/api/v1/oncall/twilio/sms`;
    const good = await h.incident(a, {
      title: 'sms ack',
      urgency: 'high',
      assignedUserIds: [alice.userId],
    });
    const params = {
      From: alice.phone,
      To: '+15550000000',
      Body: `ack ${good.number}`,
      MessageSid: 'SM123',
    };
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TWILIO_TOKEN, url, params),
      },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`#${good.number} acknowledged`);
    expect(await h.row(good.id)).toMatchObject({
      status: 'ACKNOWLEDGED',
      acknowledged_by_id: alice.userId,
    });

    const other = await h.incident(a, {
      title: 'sms forged',
      urgency: 'high',
      assignedUserIds: [alice.userId],
    });
    const forged = { ...params, Body: `ACK ${other.number}` };
    const bad = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature('not-the-token', url, forged),
      },
      body: new URLSearchParams(forged),
    });
    expect(bad.status).toBe(403);
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(forged),
    });
    expect(unsigned.status).toBe(403);
    expect((await h.row(other.id)).status).toBe('TRIGGERED');
    // A number nobody verified acts on nothing, even when signed.
    const stranger = { ...forged, From: '+15559999999' };
    const r3 = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TWILIO_TOKEN, url, stranger),
      },
      body: new URLSearchParams(stranger),
    });
    expect(await r3.text()).toContain('No open incident');
    expect((await h.row(other.id)).status).toBe('TRIGGERED');
    await h.ok('mutation($id: ID!) { resolveIncident(id: $id) { status } }', { id: other.id }, a);
  });

  it('voice: a call page fetches TwiML that gathers a key, and 4 acknowledges', async () => {
    // Verify the number for voice (the code is read out in the call), then page by voice at once.
    const added = await h.ok(
      'mutation($a: String!) { addContactMethod(kind: "voice", address: $a) { id } }',
      { a: alice.phone },
      a,
    );
    const codeCall = await waitFor(
      () =>
        h.twilio.received.find(
          (r) =>
            r.kind === 'voice' &&
            r.params.To === alice.phone &&
            /code is ([\d ]{11})/.test(r.params.Twiml ?? ''),
        ),
      15_000,
      'verification call',
    );
    const code = /code is ([\d ]{11})/.exec(codeCall.params.Twiml)![1].replace(/ /g, '');
    await h.ok(
      'mutation($id: ID!, $c: String!) { verifyContactMethod(id: $id, code: $c) { id } }',
      { id: added.addContactMethod.id, c: code },
      a,
    );
    await h.ok(
      'mutation($id: ID!) { setNotificationRules(urgency: high, rules: [{ contactMethodId: $id, delaySeconds: 0 }]) { kind } }',
      { id: added.addContactMethod.id },
      a,
    );
    const inc = await h.incident(a, {
      title: 'voice ack',
      urgency: 'high',
      assignedUserIds: [alice.userId],
    });
    const placed = await waitFor(
      () =>
        h.twilio.received.find(
          (r) =>
            r.kind === 'voice' &&
            r.params.To === alice.phone &&
            r.params.Url?.includes('/api/v1/oncall/twilio/voice/'),
        ),
      15_000,
      'page call',
    );
    // Back to the default rules for the tests after this one.
    await h.ok('mutation { setNotificationRules(urgency: high, rules: []) { kind } }', {}, a);
    const token = new URL(placed.params.Url).pathname.split('/').pop()!;
    const url = `${h.api.url}/api/v1/oncall/twilio/voice/${token}`;
    const call = { CallSid: 'CA1', From: '+15550000000', To: alice.phone };
    const twiml = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TWILIO_TOKEN, url, call),
      },
      body: new URLSearchParams(call),
    });
    const xml = await twiml.text();
    expect(xml).toContain('<Gather numDigits="1"');
    expect(xml).toContain('Press 4 to acknowledge');
    const gatherUrl = `${url}/gather`;
    const press = { ...call, Digits: '4' };
    const r = await fetch(gatherUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TWILIO_TOKEN, gatherUrl, press),
      },
      body: new URLSearchParams(press),
    });
    expect(await r.text()).toContain('acknowledged');
    expect(await h.row(inc.id)).toMatchObject({
      status: 'ACKNOWLEDGED',
      acknowledged_by_id: alice.userId,
    });
  });

  it('refuses tampered, expired and other-organization links', async () => {
    const inc = await h.incident(a, {
      title: 'links',
      urgency: 'high',
      assignedUserIds: [alice.userId],
    });
    const mail = await waitFor(() => h.mailsFor(alice.email, inc.number)[0], 15_000, 'page');
    const token = h.linkToken(mail);
    const [body, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const tampered = `${Buffer.from(JSON.stringify({ ...claims, u: carol.userId })).toString('base64url')}.${mac}`;
    expect((await h.postLink(tampered, 'ack')).status).toBe(403);
    const expired = signLink({ ...claims, x: Math.floor(Date.now() / 1000) - 5 });
    const exp = await h.postLink(expired, 'ack');
    expect(exp.status).toBe(403);
    expect(exp.body).toContain('expired');
    // Validly signed, but for org B's user: bob is no member of org A, and org B has no such incident.
    expect((await h.postLink(signLink({ ...claims, u: bob.userId }), 'ack')).status).toBe(403);
    expect(
      (await h.postLink(signLink({ ...claims, o: b.orgId, u: bob.userId }), 'ack')).status,
    ).toBe(404);
    expect((await fetch(`${h.api.url}/api/v1/oncall/links/${tampered}`)).status).toBe(403);
    expect((await h.row(inc.id)).status).toBe('TRIGGERED');
    await h.ok('mutation($id: ID!) { resolveIncident(id: $id) { status } }', { id: inc.id }, a);
  });

  it('re-triggers an acknowledged incident that is not resolved within its ack timeout', async () => {
    const inc = await h.incident(a, {
      title: 'ack timeout',
      urgency: 'high',
      assignedUserIds: [alice.userId],
      ackTimeoutSeconds: 2,
    });
    await waitFor(() => h.mailsFor(alice.email, inc.number)[0], 15_000, 'first page');
    await h.ok('mutation($id: ID!) { acknowledgeIncident(id: $id) { status } }', { id: inc.id }, a);
    const ackedAt = (await h.row(inc.id)).acknowledged_at.getTime();
    await waitFor(async () => (await h.row(inc.id)).status === 'TRIGGERED', 10_000, 're-trigger');
    await waitFor(() => h.mailsFor(alice.email, inc.number).length >= 2, 10_000, 'second page');
    const pages = await h.pages(inc.id);
    expect(
      pages.filter((p) => p.created_at.getTime() > ackedAt + 1900).length,
    ).toBeGreaterThanOrEqual(2);
    const t = await h.ok(
      'query($id: ID!) { incident(id: $id) { timeline { kind details } } }',
      { id: inc.id },
      a,
    );
    expect(t.incident.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['ack', 'retrigger']),
    );
    await h.ok('mutation($id: ID!) { resolveIncident(id: $id) { status } }', { id: inc.id }, a);
  });

  it('org B can neither read, acknowledge nor subscribe to org A incidents', async () => {
    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const wsUrl = h.api.url.replace('http', 'ws') + '/graphql';
    const seen: Record<'a' | 'b', string[]> = { a: [], b: [] };
    const clients = (['a', 'b'] as const).map((who) => {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${(who === 'a' ? a : b).token}` },
        lazy: false,
      });
      client.subscribe<{ incidentUpdated: { id: string } }>(
        { query: 'subscription { incidentUpdated { id number status } }' },
        {
          next: (v) => v.data && seen[who].push(v.data.incidentUpdated.id),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return client;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const inc = await h.incident(a, {
      title: 'private to A',
      urgency: 'low',
      assignedUserIds: [alice.userId],
    });
    await h.ok(
      'mutation($id: ID!, $t: String!) { addIncidentNote(id: $id, text: $t) { id } }',
      { id: inc.id, t: 'looking' },
      a,
    );
    await waitFor(() => seen.a.includes(inc.id), 10_000, 'org A subscriber event');
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen.b).not.toContain(inc.id);
    for (const c of clients) await c.dispose();

    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(
      codeOf(await h.gql('query($id: ID!) { incident(id: $id) { id } }', { id: inc.id }, b)),
    );
    const list = await h.ok('{ incidents(first: 500) { id } }', {}, b);
    expect(JSON.stringify(list)).not.toContain(inc.id);
    for (const m of ['acknowledgeIncident', 'resolveIncident']) {
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(
        codeOf(await h.gql(`mutation($id: ID!) { ${m}(id: $id) { id } }`, { id: inc.id }, b)),
      );
    }
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(
      codeOf(
        await h.gql(
          'mutation($id: ID!, $t: String!) { addIncidentNote(id: $id, text: $t) { id } }',
          { id: inc.id, t: 'x' },
          b,
        ),
      ),
    );
    expect((await h.row(inc.id)).status).toBe('TRIGGERED');
  });
});
