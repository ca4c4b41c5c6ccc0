import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { gql, signUp, startApi, uniqueEmail, type RunningApi, type SignedUp } from './api';
import {
  startFakeTwilio,
  startSmtp,
  waitFor,
  type ReceivedMail,
  type ReceivedTwilio,
} from './oncall-fakes';

export const TWILIO_SID = 'ACtest00000000000000000000000000';
export const TWILIO_TOKEN = 'test-twilio-auth-token';

export interface Person {
  token: string;
  userId: string;
  email: string;
  phone: string;
}

let phoneCounter = 0;
export function uniquePhone(): string {
  phoneCounter += 1;
  return `+1555${String(Date.now() % 1_000_000).padStart(6, '0')}${String(phoneCounter % 10)}`;
}

/**
 * The api (HTTP + GraphQL) and the on-call and notify processors of the worker, a local SMTP
 * server and a local Twilio-shaped HTTP server. The worker here runs only OncallWorkerModule and
 * NotifyWorkerModule (not tsdb upkeep or alerting) to keep a shared 2-core machine free.
 */
export class OncallHarness {
  api!: RunningApi;
  worker!: INestApplicationContext;
  smtp!: Awaited<ReturnType<typeof startSmtp>>;
  twilio!: Awaited<ReturnType<typeof startFakeTwilio>>;
  pg!: Client;

  async start(): Promise<void> {
    this.smtp = await startSmtp();
    this.twilio = await startFakeTwilio(TWILIO_SID, TWILIO_TOKEN);
    Object.assign(process.env, {
      SMTP_URL: this.smtp.url,
      TWILIO_API_BASE: this.twilio.url,
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_FROM: '+15550000000',
    });
    this.api = await startApi();
    const { NestFactory } = await import('@nestjs/core');
    const { Module } = await import('@nestjs/common');
    const { DbModule } = await import('@tocsin/db');
    const { RedisModule } = await import('@tocsin/queue');
    const { TenancyModule } = await import('@tocsin/tenancy');
    const { OncallWorkerModule } =
      await import('../../../apps/worker/src/oncall/oncall-worker.module');
    const { NotifyWorkerModule } =
      await import('../../../apps/worker/src/notify/notify-worker.module');
    @Module({
      imports: [DbModule, RedisModule, TenancyModule, OncallWorkerModule, NotifyWorkerModule],
    })
    class OncallOnlyWorker {}
    this.worker = await NestFactory.createApplicationContext(OncallOnlyWorker, {
      logger: ['error', 'warn'],
    });
    await this.worker.init();
    this.pg = new Client({ connectionString: process.env.DATABASE_URL });
    await this.pg.connect();
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.api?.close();
    await this.pg?.end();
    await this.smtp?.close();
    await this.twilio?.close();
  }

  gql<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown>,
    as: { token: string },
  ) {
    return gql<T>(this.api.url, query, variables, as);
  }

  /** gql that throws on errors. */
  async ok<T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown>,
    as: { token: string },
  ): Promise<T> {
    const r = await gql<T>(this.api.url, query, variables, as);
    if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
    return r.data as T;
  }

  /** A new member of `owner`'s organization, through the invitation flow. */
  async member(
    owner: SignedUp,
    role = 'RESPONDER',
    tag = 'member',
  ): Promise<{ token: string; userId: string; email: string }> {
    const email = uniqueEmail(tag);
    const inv = await this.ok(
      `mutation($e: String!, $r: Role!) { inviteMember(input: { email: $e, role: $r }) { url } }`,
      { e: email, r: role },
      owner,
    );
    const token = (inv.inviteMember.url as string).split('/invite/')[1];
    const acc = await gql(
      this.api.url,
      'mutation($t: String!) { acceptInvitation(input: { token: $t, name: "M", password: "member password 1" }) { token me { user { id } } } }',
      { t: token },
    );
    if (acc.errors) throw new Error(JSON.stringify(acc.errors));
    return {
      token: acc.data!.acceptInvitation.token,
      userId: acc.data!.acceptInvitation.me.user.id,
      email,
    };
  }

  /** Adds and verifies an email and an SMS number, with codes read from the local servers. */
  async verifiedPerson(who: { token: string; userId: string; email: string }): Promise<Person> {
    const phone = uniquePhone();
    const add =
      'mutation($k: String!, $a: String!) { addContactMethod(kind: $k, address: $a) { id verifiedAt } }';
    const verify =
      'mutation($id: ID!, $c: String!) { verifyContactMethod(id: $id, code: $c) { id verifiedAt } }';
    const email = await this.ok(add, { k: 'email', a: who.email }, who);
    const mail = await waitFor(
      () =>
        this.smtp.mails.find(
          (m) =>
            m.to.includes(who.email.toLowerCase()) && /verification code is (\d{6})/.test(m.text),
        ),
      15_000,
      'verification email',
    );
    await this.ok(
      verify,
      { id: email.addContactMethod.id, c: /verification code is (\d{6})/.exec(mail.text)![1] },
      who,
    );
    const sms = await this.ok(add, { k: 'sms', a: phone }, who);
    const text = await waitFor(
      () =>
        this.twilio.received.find(
          (r) => r.params.To === phone && /code is (\d{6})/.test(r.params.Body ?? ''),
        ),
      15_000,
      'verification SMS',
    );
    await this.ok(
      verify,
      { id: sms.addContactMethod.id, c: /code is (\d{6})/.exec(text.params.Body)![1] },
      who,
    );
    return { ...who, phone };
  }

  mailsFor(email: string, number?: number): ReceivedMail[] {
    return this.smtp.mails.filter(
      (m) =>
        m.to.includes(email.toLowerCase()) &&
        (number === undefined || m.subject.startsWith(`[Tocsin #${number}]`)),
    );
  }

  smsFor(phone: string, number?: number): ReceivedTwilio[] {
    return this.twilio.received.filter(
      (r) =>
        r.kind === 'sms' &&
        r.params.To === phone &&
        (number === undefined || (r.params.Body ?? '').startsWith(`Tocsin #${number} `)),
    );
  }

  linkToken(mail: ReceivedMail): string {
    const m = /\/api\/v1\/oncall\/links\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text);
    if (!m) throw new Error('no link in the page');
    return m[1];
  }

  async postLink(
    token: string,
    action: 'ack' | 'resolve',
  ): Promise<{ status: number; body: string }> {
    const res = await fetch(`${this.api.url}/api/v1/oncall/links/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action }),
    });
    return { status: res.status, body: await res.text() };
  }

  async policy(
    owner: { token: string },
    name: string,
    levels: Array<{ delaySeconds: number; targets: Array<{ type: string; id: string }> }>,
    repeatCount = 0,
  ): Promise<string> {
    const r = await this.ok(
      'mutation($i: EscalationPolicyInput!) { createEscalationPolicy(input: $i) { id } }',
      { i: { name, levels, repeatCount } },
      owner,
    );
    return r.createEscalationPolicy.id;
  }

  async incident(
    as: { token: string },
    input: Record<string, unknown>,
  ): Promise<{ id: string; number: number }> {
    const r = await this.ok(
      'mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id number } }',
      { i: input },
      as,
    );
    return r.createIncident;
  }

  async row(incidentId: string) {
    const { rows } = await this.pg.query(
      'select status, acknowledged_by_id, acknowledged_at, escalation_step from oncall_incidents where id = $1',
      [incidentId],
    );
    return rows[0];
  }

  async pages(
    incidentId: string,
  ): Promise<
    Array<{
      id: string;
      user_id: string;
      kind: string;
      step: number;
      status: string;
      created_at: Date;
      delivery_id: string | null;
    }>
  > {
    const { rows } = await this.pg.query(
      'select id, user_id, kind, step, status, created_at, delivery_id from oncall_pages where incident_id = $1 order by created_at',
      [incidentId],
    );
    return rows;
  }
}

export { signUp };
