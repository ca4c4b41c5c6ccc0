import { Injectable } from '@nestjs/common';
import yaml from 'js-yaml';
import { z } from 'zod';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb } from '@tocsin/tenancy';
import { assertMembers, json, requireUuid, zodInput } from '../oncall.util';
import { computeFinalSchedule, layerSlots } from './schedule-math';
import { layersSchema, timeZoneSchema, type Layer, type ScheduleSlot } from './schedule.types';

const MAX_RANGE_MS = 400 * 24 * 3_600_000;

const scheduleInput = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: timeZoneSchema,
  layers: layersSchema,
});

/** The YAML document: people by email so a file moves between organizations. */
const yamlDoc = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: timeZoneSchema,
  layers: z
    .array(
      z.object({
        name: z.string().optional(),
        users: z.array(z.string()).min(1),
        rotation: z.enum(['daily', 'weekly', 'hours']),
        every: z.number().int().positive().optional(),
        start: z.string(),
        restrictions: z
          .array(
            z.object({
              days: z.array(z.number().int()).optional(),
              start: z.string(),
              end: z.string(),
            }),
          )
          .optional(),
      }),
    )
    .default([]),
  overrides: z
    .array(z.object({ user: z.string(), start: z.coerce.date(), end: z.coerce.date() }))
    .default([]),
});

export interface ScheduleView {
  id: string;
  name: string;
  timeZone: string;
  layers: Layer[];
  createdAt: Date;
  updatedAt: Date;
}

export interface OnCallShift {
  scheduleId: string;
  scheduleName: string;
  userId: string;
  start: Date;
  end: Date;
}

/** Schedules, their overrides, the final schedule, who is on call, YAML in and out. */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<ScheduleView[]> {
    return this.db.run(async (tx, orgId) =>
      (await tx.oncallSchedule.findMany({ where: { orgId }, orderBy: { name: 'asc' } })).map(view),
    );
  }

  get(id: string): Promise<ScheduleView> {
    return this.db.run(async (tx, orgId) => view(await this.load(tx, orgId, id)));
  }

  create(input: { name: string; timeZone: string; layers: unknown }): Promise<ScheduleView> {
    const data = zodInput(scheduleInput.safeParse(input));
    return this.db.run(async (tx, orgId) => {
      await assertMembers(
        tx,
        orgId,
        data.layers.flatMap((l) => l.users),
      );
      await this.assertNameFree(tx, orgId, data.name);
      const row = await tx.oncallSchedule.create({
        data: { orgId, name: data.name, timeZone: data.timeZone, layers: json(data.layers) },
      });
      await this.audit.record(tx, orgId, {
        action: 'schedule.create',
        targetType: 'schedule',
        targetId: row.id,
      });
      return view(row);
    });
  }

  update(
    id: string,
    input: { name: string; timeZone: string; layers: unknown },
  ): Promise<ScheduleView> {
    const data = zodInput(scheduleInput.safeParse(input));
    return this.db.run(async (tx, orgId) => {
      const current = await this.load(tx, orgId, id);
      await assertMembers(
        tx,
        orgId,
        data.layers.flatMap((l) => l.users),
      );
      if (current.name !== data.name) await this.assertNameFree(tx, orgId, data.name);
      const row = await tx.oncallSchedule.update({
        where: { id },
        data: { name: data.name, timeZone: data.timeZone, layers: json(data.layers) },
      });
      await this.audit.record(tx, orgId, {
        action: 'schedule.update',
        targetType: 'schedule',
        targetId: id,
      });
      return view(row);
    });
  }

  delete(id: string): Promise<boolean> {
    return this.db.run(async (tx, orgId) => {
      await this.load(tx, orgId, id);
      await tx.oncallSchedule.delete({ where: { id } });
      await this.audit.record(tx, orgId, {
        action: 'schedule.delete',
        targetType: 'schedule',
        targetId: id,
      });
      return true;
    });
  }

  addOverride(scheduleId: string, userId: string, start: Date, end: Date) {
    if (
      !(start instanceof Date) ||
      !(end instanceof Date) ||
      Number.isNaN(start.getTime()) ||
      Number.isNaN(end.getTime()) ||
      end <= start
    ) {
      throw AppError.badInput('An override needs a start before its end');
    }
    return this.db.run(async (tx, orgId) => {
      await this.load(tx, orgId, scheduleId);
      await assertMembers(tx, orgId, [userId]);
      const row = await tx.oncallScheduleOverride.create({
        data: { orgId, scheduleId, userId, startsAt: start, endsAt: end },
      });
      await this.audit.record(tx, orgId, {
        action: 'schedule.override',
        targetType: 'schedule',
        targetId: scheduleId,
        details: { userId, start: start.toISOString(), end: end.toISOString() },
      });
      return row;
    });
  }

  removeOverride(id: string): Promise<boolean> {
    requireUuid(id, 'Override');
    return this.db.run(async (tx, orgId) => {
      const { count } = await tx.oncallScheduleOverride.deleteMany({ where: { id, orgId } });
      if (!count) throw AppError.notFound('Override');
      return true;
    });
  }

  listOverrides(scheduleId: string, from?: Date, to?: Date) {
    return this.db.run(async (tx, orgId) => {
      await this.load(tx, orgId, scheduleId);
      return tx.oncallScheduleOverride.findMany({
        where: {
          orgId,
          scheduleId,
          ...(from ? { endsAt: { gt: from } } : {}),
          ...(to ? { startsAt: { lt: to } } : {}),
        },
        orderBy: { startsAt: 'asc' },
      });
    });
  }

  /** Who is on call when, in [from, to). */
  finalSchedule(scheduleId: string, from: Date, to: Date): Promise<ScheduleSlot[]> {
    return this.db.run((tx, orgId) => this.finalScheduleTx(tx, orgId, scheduleId, from, to));
  }

  /**
   * Each layer's own shifts in [from, to), restrictions applied, before later layers and
   * overrides take precedence: what a schedule timeline draws above the final row.
   */
  layerShifts(scheduleId: string, from: Date, to: Date): Promise<ScheduleSlot[]> {
    return this.db.run(async (tx, orgId) => {
      assertSlotRange(from, to);
      const s = await this.load(tx, orgId, scheduleId);
      return (s.layers as unknown as Layer[]).flatMap((layer, i) =>
        layerSlots(layer, s.timeZone, from, to).map((slot) => ({
          userId: slot.userId,
          start: new Date(slot.start),
          end: new Date(slot.end),
          source: 'layer' as const,
          layer: i,
        })),
      );
    });
  }

  async finalScheduleTx(
    tx: Tx,
    orgId: string,
    scheduleId: string,
    from: Date,
    to: Date,
  ): Promise<ScheduleSlot[]> {
    assertSlotRange(from, to);
    const s = await this.load(tx, orgId, scheduleId);
    const overrides = await tx.oncallScheduleOverride.findMany({
      where: { orgId, scheduleId, endsAt: { gt: from }, startsAt: { lt: to } },
      orderBy: { createdAt: 'asc' },
    });
    return computeFinalSchedule({
      timeZone: s.timeZone,
      layers: s.layers as unknown as Layer[],
      overrides: overrides.map((o) => ({ userId: o.userId, start: o.startsAt, end: o.endsAt })),
      from,
      to,
    });
  }

  /** The person on call for a schedule at `at`, read inside the caller's transaction (escalation). */
  async onCallAtTx(tx: Tx, orgId: string, scheduleId: string, at: Date): Promise<string | null> {
    const slots = await this.finalScheduleTx(tx, orgId, scheduleId, at, new Date(at.getTime() + 1));
    return slots[0]?.userId ?? null;
  }

  /** Now and next for one schedule. */
  onCall(
    scheduleId: string,
    at = new Date(),
  ): Promise<{ now: ScheduleSlot | null; next: ScheduleSlot | null }> {
    return this.db.run(async (tx, orgId) => {
      const slots = await this.finalScheduleTx(
        tx,
        orgId,
        scheduleId,
        at,
        new Date(at.getTime() + 90 * 86_400_000),
      );
      const now = slots[0] && slots[0].start.getTime() <= at.getTime() ? slots[0] : null;
      const next =
        slots.find((s) => s.start.getTime() > at.getTime() && s.userId !== now?.userId) ?? null;
      return { now, next };
    });
  }

  /** A person's shifts across every schedule of the organization in [from, to). */
  shiftsForUser(userId: string, from: Date, to: Date, orgId?: string): Promise<OnCallShift[]> {
    const run = async (tx: Tx, org: string) => {
      const schedules = await tx.oncallSchedule.findMany({
        where: { orgId: org },
        orderBy: { name: 'asc' },
      });
      const out: OnCallShift[] = [];
      for (const s of schedules) {
        for (const slot of await this.finalScheduleTx(tx, org, s.id, from, to)) {
          if (slot.userId === userId)
            out.push({
              scheduleId: s.id,
              scheduleName: s.name,
              userId,
              start: slot.start,
              end: slot.end,
            });
        }
      }
      return out.sort((a, b) => a.start.getTime() - b.start.getTime());
    };
    return orgId ? this.db.forOrg(orgId, (tx) => run(tx, orgId)) : this.db.run(run);
  }

  exportYaml(scheduleId: string): Promise<string> {
    return this.db.run(async (tx, orgId) => {
      const s = await this.load(tx, orgId, scheduleId);
      const overrides = await tx.oncallScheduleOverride.findMany({
        where: { orgId, scheduleId },
        orderBy: { startsAt: 'asc' },
      });
      const layers = s.layers as unknown as Layer[];
      const ids = [
        ...new Set([...layers.flatMap((l) => l.users), ...overrides.map((o) => o.userId)]),
      ];
      const users = await tx.user.findMany({
        where: { id: { in: ids } },
        select: { id: true, email: true },
      });
      const email = new Map(users.map((u) => [u.id, u.email]));
      const doc = {
        name: s.name,
        timeZone: s.timeZone,
        layers: layers.map((l) => ({ ...l, users: l.users.map((u) => email.get(u) ?? u) })),
        overrides: overrides.map((o) => ({
          user: email.get(o.userId) ?? o.userId,
          start: o.startsAt.toISOString(),
          end: o.endsAt.toISOString(),
        })),
      };
      return yaml.dump(doc, { noRefs: true, lineWidth: 120 });
    });
  }

  /** Creates the schedule, or replaces the one with the same name (layers and all its overrides). */
  importYaml(text: string): Promise<ScheduleView> {
    if (typeof text !== 'string' || text.length > 1_000_000)
      throw AppError.badInput('YAML up to 1 MB');
    let raw: unknown;
    try {
      raw = yaml.load(text, { schema: yaml.JSON_SCHEMA });
    } catch (err) {
      throw AppError.badInput(`Not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    const doc = zodInput(yamlDoc.safeParse(raw));
    return this.db.run(async (tx, orgId) => {
      const refs = [
        ...new Set([...doc.layers.flatMap((l) => l.users), ...doc.overrides.map((o) => o.user)]),
      ];
      const members = await tx.membership.findMany({
        where: { orgId },
        include: { user: { select: { id: true, email: true } } },
      });
      const byRef = new Map<string, string>();
      for (const m of members) {
        byRef.set(m.user.email.toLowerCase(), m.userId);
        byRef.set(m.userId, m.userId);
      }
      const unknown = refs.filter((r) => !byRef.has(r.toLowerCase()) && !byRef.has(r));
      if (unknown.length)
        throw AppError.badInput(`Not members of this organization: ${unknown.join(', ')}`);
      const resolve = (r: string) => byRef.get(r) ?? byRef.get(r.toLowerCase())!;
      const data = zodInput(
        scheduleInput.safeParse({
          name: doc.name,
          timeZone: doc.timeZone,
          layers: doc.layers.map((l) => ({ ...l, users: l.users.map(resolve) })),
        }),
      );
      for (const o of doc.overrides)
        if (!(o.end > o.start)) throw AppError.badInput('An override needs a start before its end');
      const existing = await tx.oncallSchedule.findFirst({ where: { orgId, name: data.name } });
      const row = existing
        ? await tx.oncallSchedule.update({
            where: { id: existing.id },
            data: { timeZone: data.timeZone, layers: json(data.layers) },
          })
        : await tx.oncallSchedule.create({
            data: { orgId, name: data.name, timeZone: data.timeZone, layers: json(data.layers) },
          });
      if (existing)
        await tx.oncallScheduleOverride.deleteMany({ where: { orgId, scheduleId: row.id } });
      await tx.oncallScheduleOverride.createMany({
        data: doc.overrides.map((o) => ({
          orgId,
          scheduleId: row.id,
          userId: resolve(o.user),
          startsAt: o.start,
          endsAt: o.end,
        })),
      });
      await this.audit.record(tx, orgId, {
        action: 'schedule.import',
        targetType: 'schedule',
        targetId: row.id,
      });
      return view(row);
    });
  }

  private async load(tx: Tx, orgId: string, id: string) {
    requireUuid(id, 'Schedule');
    const s = await tx.oncallSchedule.findFirst({ where: { id, orgId } });
    if (!s) throw AppError.notFound('Schedule');
    return s;
  }

  private async assertNameFree(tx: Tx, orgId: string, name: string): Promise<void> {
    if (await tx.oncallSchedule.findFirst({ where: { orgId, name }, select: { id: true } })) {
      throw new AppError('CONFLICT', `A schedule named ${name} exists`);
    }
  }
}

function assertSlotRange(from: Date, to: Date): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from)
    throw AppError.badInput('from must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_MS)
    throw AppError.badInput('At most 400 days at a time');
}

function view(row: {
  id: string;
  name: string;
  timeZone: string;
  layers: unknown;
  createdAt: Date;
  updatedAt: Date;
}): ScheduleView {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    layers: row.layers as Layer[],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
