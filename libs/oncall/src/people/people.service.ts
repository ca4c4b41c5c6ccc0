import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { TenantDb, currentUserId } from '@tocsin/tenancy';
import { PAGE_SENDER, type PageSender } from '../paging/page-sender';
import { requireUuid } from '../oncall.util';

export type ContactKind = 'email' | 'sms' | 'voice';
export type Urgency = 'high' | 'low';

const CODE_TTL_MS = 15 * 60_000;
const MAX_CODE_ATTEMPTS = 5;
const PHONE = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One way of reaching one person for one urgency: a rule stored by them, or a default. */
export interface PagePlanItem {
  ruleId: string;
  contactMethodId: string;
  kind: ContactKind;
  address: string;
  delaySeconds: number;
}

function codeHash(id: string, code: string): string {
  return createHash('sha256').update(`${id}:${code}`).digest('hex');
}

export function normalizeAddress(kind: ContactKind, address: string): string {
  const a = address.trim();
  if (kind === 'email') {
    if (!EMAIL.test(a) || a.length > 254) throw AppError.badInput('Not an email address');
    return a.toLowerCase();
  }
  const phone = a.replace(/[\s().-]/g, '');
  if (!PHONE.test(phone)) throw AppError.badInput('Phone numbers are E.164, like +15551234567');
  return phone;
}

/** Milliseconds until quiet hours end, or 0 when `at` is outside them (in the person's zone). */
export function quietDelayMs(
  start: string | null,
  end: string | null,
  zone: string,
  at: Date,
): number {
  if (!start || !end || start === end) return 0;
  const local = DateTime.fromJSDate(at, { zone });
  const [sh, sm] = start.split(':').map(Number);
  const [eh, em] = end.split(':').map(Number);
  const minutes = local.hour * 60 + local.minute;
  const s = sh * 60 + sm;
  const e = eh * 60 + em;
  const inside = s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
  if (!inside) return 0;
  let endAt = local.set({ hour: eh, minute: em, second: 0, millisecond: 0 });
  if (endAt <= local) endAt = endAt.plus({ days: 1 });
  return endAt.toMillis() - at.getTime();
}

/**
 * Contact methods, their verification, personal notification rules and quiet hours. A person
 * manages their own; pages go only to verified methods.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly db: TenantDb,
    @Inject(PAGE_SENDER) private readonly sender: PageSender,
  ) {}

  listContactMethods(userId?: string) {
    const uid = userId ?? currentUserId();
    return this.db.run((tx, orgId) =>
      tx.oncallContactMethod.findMany({
        where: { orgId, userId: uid },
        orderBy: { createdAt: 'asc' },
      }),
    );
  }

  /** Adds a method and sends it a verification code through the page sender. */
  async addContactMethod(kind: ContactKind, address: string) {
    if (!['email', 'sms', 'voice'].includes(kind))
      throw AppError.badInput('kind must be email, sms or voice');
    const userId = currentUserId();
    const normalized = normalizeAddress(kind, address);
    const { method, code, orgId } = await this.db.run(async (tx, orgId) => {
      const existing = await tx.oncallContactMethod.findFirst({
        where: { orgId, userId, kind, address: normalized },
      });
      if (existing?.verifiedAt)
        throw new AppError('CONFLICT', 'This contact method is already verified');
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const method =
        existing ??
        (await tx.oncallContactMethod.create({
          data: { orgId, userId, kind, address: normalized },
        }));
      await tx.oncallContactMethod.update({
        where: { id: method.id },
        data: {
          codeHash: codeHash(method.id, code),
          codeExpiresAt: new Date(Date.now() + CODE_TTL_MS),
          codeAttempts: 0,
        },
      });
      return { method, code, orgId };
    });
    const text = `Your Tocsin verification code is ${code}. It expires in 15 minutes.`;
    await this.sender.enqueue({
      orgId,
      idempotencyKey: `verify-${method.id}-${code}`,
      target: { kind, address: normalized },
      message: {
        subject: 'Verify your Tocsin contact method',
        text,
        voiceText: `Your Tocsin verification code is ${code.split('').join(' ')}.`,
      },
      source: { contactMethodId: method.id, purpose: 'verify' },
    });
    return method;
  }

  async verifyContactMethod(id: string, code: string) {
    requireUuid(id, 'Contact method');
    const userId = currentUserId();
    const result = await this.db.run(async (tx, orgId) => {
      const m = await tx.oncallContactMethod.findFirst({ where: { id, orgId, userId } });
      if (!m) throw AppError.notFound('Contact method');
      if (m.verifiedAt) return { method: m };
      if (!m.codeHash || !m.codeExpiresAt || m.codeExpiresAt.getTime() < Date.now())
        return {
          error: AppError.badInput('The code has expired; add the method again for a new one'),
        };
      if (m.codeAttempts >= MAX_CODE_ATTEMPTS)
        return {
          error: AppError.badInput('Too many wrong codes; add the method again for a new one'),
        };
      if (codeHash(m.id, String(code).trim()) !== m.codeHash) {
        await tx.oncallContactMethod.update({
          where: { id },
          data: { codeAttempts: { increment: 1 } },
        });
        return { error: AppError.badInput('Wrong code') };
      }
      return {
        method: await tx.oncallContactMethod.update({
          where: { id },
          data: { verifiedAt: new Date(), codeHash: null, codeExpiresAt: null },
        }),
      };
    });
    // The failed attempt is counted (committed) before the error is raised.
    if ('error' in result && result.error) throw result.error;
    return result.method!;
  }

  async removeContactMethod(id: string): Promise<boolean> {
    requireUuid(id, 'Contact method');
    const userId = currentUserId();
    return this.db.run(async (tx, orgId) => {
      const { count } = await tx.oncallContactMethod.deleteMany({ where: { id, orgId, userId } });
      if (!count) throw AppError.notFound('Contact method');
      return true;
    });
  }

  /** Replaces the caller's rules for one urgency. */
  async setNotificationRules(
    urgency: Urgency,
    rules: Array<{ contactMethodId: string; delaySeconds: number }>,
  ) {
    if (urgency !== 'high' && urgency !== 'low')
      throw AppError.badInput('urgency must be high or low');
    if (rules.length > 20) throw AppError.badInput('At most 20 rules');
    const userId = currentUserId();
    return this.db.run(async (tx, orgId) => {
      for (const r of rules) {
        requireUuid(r.contactMethodId, 'Contact method');
        if (!Number.isInteger(r.delaySeconds) || r.delaySeconds < 0 || r.delaySeconds > 24 * 3600)
          throw AppError.badInput('delaySeconds must be 0…86400');
        const m = await tx.oncallContactMethod.findFirst({
          where: { id: r.contactMethodId, orgId, userId },
        });
        if (!m) throw AppError.notFound('Contact method');
        if (!m.verifiedAt) throw AppError.badInput(`Verify ${m.address} before paging it`);
      }
      await tx.oncallNotificationRule.deleteMany({ where: { orgId, userId, urgency } });
      await tx.oncallNotificationRule.createMany({
        data: rules.map((r) => ({
          orgId,
          userId,
          urgency,
          contactMethodId: r.contactMethodId,
          delaySeconds: r.delaySeconds,
        })),
      });
      return this.planFor(tx, orgId, userId, urgency);
    });
  }

  async setQuietHours(start: string | null, end: string | null) {
    const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (
      (start === null) !== (end === null) ||
      (start && (!clock.test(start) || !clock.test(end!)))
    ) {
      throw AppError.badInput('Quiet hours are both HH:mm, or both null to clear them');
    }
    const userId = currentUserId();
    return this.db.run(async (tx, orgId) => {
      await tx.oncallUserSettings.upsert({
        where: { orgId_userId: { orgId, userId } },
        create: { orgId, userId, quietHoursStart: start, quietHoursEnd: end },
        update: { quietHoursStart: start, quietHoursEnd: end },
      });
      return this.quietHoursObject(tx, orgId, userId);
    });
  }

  /** The caller's quiet hours with the zone their clock times are read in. */
  myQuietHours() {
    const userId = currentUserId();
    return this.db.run((tx, orgId) => this.quietHoursObject(tx, orgId, userId));
  }

  private async quietHoursObject(tx: Tx, orgId: string, userId: string) {
    const q = await this.quietHours(tx, orgId, userId);
    return { quietHoursStart: q.start, quietHoursEnd: q.end, timeZone: q.timeZone };
  }

  myRules(urgency: Urgency) {
    const userId = currentUserId();
    return this.db.run((tx, orgId) => this.planFor(tx, orgId, userId, urgency));
  }

  /**
   * How to reach a person for an urgency, verified methods only. Without rules of their own:
   * high pages email and SMS at once and calls after five minutes; low sends email.
   */
  async planFor(tx: Tx, orgId: string, userId: string, urgency: Urgency): Promise<PagePlanItem[]> {
    const rules = await tx.oncallNotificationRule.findMany({
      where: { orgId, userId, urgency },
      include: { contactMethod: true },
      orderBy: [{ delaySeconds: 'asc' }, { createdAt: 'asc' }],
    });
    if (rules.length) {
      return rules
        .filter((r) => r.contactMethod.verifiedAt && r.contactMethod.orgId === orgId)
        .map((r) => ({
          ruleId: r.id,
          contactMethodId: r.contactMethodId,
          kind: r.contactMethod.kind as ContactKind,
          address: r.contactMethod.address,
          delaySeconds: r.delaySeconds,
        }));
    }
    const methods = await tx.oncallContactMethod.findMany({
      where: { orgId, userId, verifiedAt: { not: null } },
      orderBy: { createdAt: 'asc' },
    });
    const defaults: Record<Urgency, Partial<Record<string, number>>> = {
      high: { email: 0, sms: 0, voice: 300 },
      low: { email: 0 },
    };
    return methods
      .filter((m) => defaults[urgency][m.kind] !== undefined)
      .map((m) => ({
        ruleId: `default-${m.id}`,
        contactMethodId: m.id,
        kind: m.kind as ContactKind,
        address: m.address,
        delaySeconds: defaults[urgency][m.kind]!,
      }));
  }

  async quietHours(
    tx: Tx,
    orgId: string,
    userId: string,
  ): Promise<{ start: string | null; end: string | null; timeZone: string }> {
    const [settings, user] = await Promise.all([
      tx.oncallUserSettings.findFirst({ where: { orgId, userId } }),
      tx.user.findFirst({ where: { id: userId }, select: { timeZone: true } }),
    ]);
    return {
      start: settings?.quietHoursStart ?? null,
      end: settings?.quietHoursEnd ?? null,
      timeZone: user?.timeZone ?? 'UTC',
    };
  }
}
