import { IANAZone } from 'luxon';
import { z } from 'zod';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm (00:00–23:59)');

/** A time-of-day window, optionally on some ISO weekdays (1 = Monday … 7 = Sunday) only. An end at or before the start runs past midnight. */
export const restrictionSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).optional(),
  start: clock,
  end: clock,
});

/** One rotation: its users take turns of `every` days, weeks or hours from `start` (local time of the schedule). */
export const layerSchema = z.object({
  name: z.string().max(100).default(''),
  users: z.array(z.string().uuid()).min(1, 'a layer needs at least one user'),
  rotation: z.enum(['daily', 'weekly', 'hours']),
  every: z.number().int().positive().max(10_000).default(1),
  /** The first handoff, as a local date-time in the schedule's zone: `2026-03-01T09:00`. Its time of day is the handoff time. */
  start: z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/,
      'expected a local date-time like 2026-03-01T09:00',
    ),
  restrictions: z.array(restrictionSchema).max(50).default([]),
});

/** Layers from lowest to highest priority: where a later layer has someone on call, it wins. */
export const layersSchema = z.array(layerSchema).max(20);

export type Restriction = z.infer<typeof restrictionSchema>;
export type Layer = z.infer<typeof layerSchema>;

export const timeZoneSchema = z
  .string()
  .refine((tz) => IANAZone.isValidZone(tz), 'unknown IANA time zone');

export interface OverrideSpan {
  userId: string;
  start: Date;
  end: Date;
}

/** Who is on call from `start` to `end`, and why. */
export interface ScheduleSlot {
  userId: string;
  start: Date;
  end: Date;
  source: 'layer' | 'override';
  /** Index of the layer, for layer slots. */
  layer?: number;
}
