import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { fingerprintOf } from '../alerts/fingerprint';
import { DispatchService } from '../dispatch/dispatch.service';
import type { DispatchAlert } from '../dispatch/dispatch.types';
import { hashKey } from '../routing/route-tree';

/** Alertmanager's resolve_timeout: a posted alert without endsAt resolves unless re-posted within it. */
export const RESOLVE_TIMEOUT_MS = 5 * 60_000;
const MAX_ALERTS = 1000;
const MAX_LABELS = 64;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface PostedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  endsAt: Date | null;
  generatorURL: string;
}

function stringMap(v: unknown, where: string, required: boolean): Record<string, string> {
  if (v === undefined || v === null) {
    if (required) throw AppError.badInput(`${where} is required`);
    return {};
  }
  if (typeof v !== 'object' || Array.isArray(v))
    throw AppError.badInput(`${where} must be an object of strings`);
  const out: Record<string, string> = {};
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > MAX_LABELS)
    throw AppError.badInput(`${where} has more than ${MAX_LABELS} entries`);
  for (const [k, val] of entries) {
    if (!LABEL_NAME.test(k)) throw AppError.badInput(`${where}: invalid name ${JSON.stringify(k)}`);
    if (typeof val !== 'string') throw AppError.badInput(`${where}.${k} must be a string`);
    if (val.length > 4096) throw AppError.badInput(`${where}.${k} is longer than 4096 characters`);
    out[k] = val;
  }
  if (required && !Object.keys(out).length) throw AppError.badInput(`${where} must not be empty`);
  return out;
}

function time(v: unknown, where: string): Date | null {
  if (v === undefined || v === null || v === '' || v === '0001-01-01T00:00:00Z') return null;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
    throw AppError.badInput(`${where} must be an RFC 3339 time`);
  return new Date(v);
}

/** Validates an Alertmanager `POST /api/v2/alerts` body: a JSON array of postable alerts. */
export function parseAlertmanagerBody(body: unknown): PostedAlert[] {
  if (!Array.isArray(body))
    throw AppError.badInput(
      'the body must be a JSON array of alerts [{ labels, annotations, startsAt, endsAt, generatorURL }]',
    );
  if (body.length > MAX_ALERTS) throw AppError.badInput(`at most ${MAX_ALERTS} alerts per request`);
  return body.map((a, i) => {
    if (!a || typeof a !== 'object' || Array.isArray(a))
      throw AppError.badInput(`alerts[${i}] must be an object`);
    const o = a as Record<string, unknown>;
    const generatorURL = o.generatorURL ?? '';
    if (typeof generatorURL !== 'string')
      throw AppError.badInput(`alerts[${i}].generatorURL must be a string`);
    const startsAt = time(o.startsAt, `alerts[${i}].startsAt`);
    const endsAt = time(o.endsAt, `alerts[${i}].endsAt`);
    if (startsAt && endsAt && endsAt < startsAt)
      throw AppError.badInput(`alerts[${i}]: endsAt is before startsAt`);
    return {
      labels: stringMap(o.labels, `alerts[${i}].labels`, true),
      annotations: stringMap(o.annotations, `alerts[${i}].annotations`, false),
      startsAt,
      endsAt,
      generatorURL: generatorURL.slice(0, 2048),
    };
  });
}

export interface WebhookAlert {
  dedupKey: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The generic webhook: `{ dedupKey, status: firing|resolved, title?, labels?, annotations? }`. */
export function parseWebhookBody(body: unknown): WebhookAlert {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw AppError.badInput(
      'the body must be a JSON object { dedupKey, status: "firing" | "resolved", title, labels, annotations }',
    );
  }
  const o = body as Record<string, unknown>;
  const dedupKey = o.dedupKey ?? o.dedup_key;
  if (typeof dedupKey !== 'string' || !dedupKey.trim() || dedupKey.length > 512)
    throw AppError.badInput('dedupKey is required: a string of at most 512 characters');
  const raw = typeof o.status === 'string' ? o.status.toLowerCase() : o.status;
  const status =
    raw === 'firing' || raw === 'trigger' || raw === 'triggered'
      ? 'firing'
      : raw === 'resolved' || raw === 'resolve' || raw === 'ok'
        ? 'resolved'
        : null;
  if (!status) throw AppError.badInput('status must be "firing" or "resolved"');
  if (o.title !== undefined && typeof o.title !== 'string')
    throw AppError.badInput('title must be a string');
  const labels = stringMap(o.labels, 'labels', false);
  const annotations = stringMap(o.annotations, 'annotations', false);
  if (typeof o.title === 'string' && o.title) annotations.summary ??= o.title.slice(0, 1024);
  return {
    dedupKey,
    status,
    labels: {
      alertname:
        labels.alertname ??
        (typeof o.title === 'string' && o.title ? o.title.slice(0, 200) : 'WebhookAlert'),
      ...labels,
      dedup_key: dedupKey,
    },
    annotations,
  };
}

interface StoredAlert {
  id: string;
  status: 'firing' | 'resolved';
  starts_at: Date;
  ends_at: Date | null;
}

/**
 * Alerts that come from outside (Alertmanager clients, generic webhooks). They live in
 * external_alerts (they have no rule, which alert_instances requires) and enter the same
 * dispatch as rule alerts.
 */
@Injectable()
export class AlertIntakeService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly dispatcher: DispatchService,
  ) {}

  async postAlertmanager(
    orgId: string,
    alerts: PostedAlert[],
    now = Date.now(),
  ): Promise<{ accepted: number }> {
    return this.store(
      orgId,
      alerts.map((a) => {
        const resolved = a.endsAt !== null && a.endsAt.getTime() <= now;
        return {
          source: 'alertmanager',
          fingerprint: fingerprintOf(a.labels),
          labels: a.labels,
          annotations: a.annotations,
          status: resolved ? 'resolved' : 'firing',
          startsAt: a.startsAt ?? new Date(now),
          endsAt: resolved ? a.endsAt! : (a.endsAt ?? new Date(now + RESOLVE_TIMEOUT_MS)),
          generatorURL: a.generatorURL,
        };
      }),
      now,
    );
  }

  async postWebhook(
    orgId: string,
    alert: WebhookAlert,
    now = Date.now(),
  ): Promise<{ accepted: number; fingerprint: string }> {
    const fingerprint = hashKey('webhook', alert.dedupKey).slice(0, 16);
    const r = await this.store(
      orgId,
      [
        {
          source: 'webhook',
          fingerprint,
          labels: alert.labels,
          annotations: alert.annotations,
          status: alert.status,
          startsAt: new Date(now),
          endsAt: alert.status === 'resolved' ? new Date(now) : null,
          generatorURL: '',
        },
      ],
      now,
    );
    return { ...r, fingerprint };
  }

  private async store(
    orgId: string,
    rows: {
      source: string;
      fingerprint: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
      status: 'firing' | 'resolved';
      startsAt: Date;
      endsAt: Date | null;
      generatorURL: string;
    }[],
    now: number,
  ): Promise<{ accepted: number }> {
    // The alerts, their routing and the flushes due now commit together: one transaction.
    const { afterCommit } = await withOrgClient(this.pool, orgId, async (c) => {
      const toDispatch: DispatchAlert[] = [];
      for (const r of rows) {
        const { rows: prevRows } = await c.query<StoredAlert>(
          'SELECT id, status, starts_at, ends_at FROM external_alerts WHERE org_id = $1 AND source = $2 AND fingerprint = $3 FOR UPDATE',
          [orgId, r.source, r.fingerprint],
        );
        const prev = prevRows[0];
        const wasFiring =
          prev?.status === 'firing' && (prev.ends_at === null || prev.ends_at.getTime() > now);
        // A re-posted firing alert keeps the start it had; one that fires again starts anew.
        const startsAt = wasFiring && r.status === 'firing' ? prev.starts_at : r.startsAt;
        const { rows: saved } = await c.query<{ id: string }>(
          `INSERT INTO external_alerts (id, org_id, source, fingerprint, labels, annotations, status, starts_at, ends_at, generator_url, updated_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, now())
           ON CONFLICT (org_id, source, fingerprint) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations,
             status = excluded.status, starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url, updated_at = now()
           RETURNING id`,
          [
            orgId,
            r.source,
            r.fingerprint,
            JSON.stringify(r.labels),
            JSON.stringify(r.annotations),
            r.status,
            startsAt,
            r.endsAt,
            r.generatorURL,
          ],
        );
        // A resolution of something never seen firing has no one to tell.
        if (r.status === 'resolved' && !wasFiring) continue;
        toDispatch.push({
          alertId: saved[0].id,
          fingerprint: r.fingerprint,
          labels: r.labels,
          annotations: r.annotations,
          status: r.status,
          startsAt: startsAt.toISOString(),
          endsAt: r.endsAt?.toISOString() ?? null,
          generatorURL: r.generatorURL,
          value: null,
          source: r.source,
          refresh: wasFiring && r.status === 'firing',
        });
      }
      return toDispatch.length
        ? this.dispatcher.dispatchIn(c, orgId, toDispatch)
        : { groups: 0, afterCommit: async (): Promise<void> => undefined };
    });
    await afterCommit();
    return { accepted: rows.length };
  }
}
