import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { Matcher } from '../routing/matchers';
import type { TimeInterval } from '../maintenance/time-interval';

/**
 * The SQL of the dispatch hot path, on a `pg` client inside `withOrgClient` (RLS-scoped to the
 * organization; every statement names org_id as well). Prisma's per-statement overhead in an
 * interactive transaction cost more than the rest of the path together, so this path uses pg.
 */

export interface GroupRow {
  group_key: string;
  route_id: string;
  group_labels: Record<string, string>;
  next_flush_at: Date | null;
  last_flush_at: Date | null;
}

export interface MemberRow {
  fingerprint: string;
  alert_id: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: 'firing' | 'resolved';
  starts_at: Date;
  ends_at: Date | null;
  generator_url: string;
  value: number | null;
}

export interface DispatchContext {
  policy: { document: unknown; version: number } | null;
  silences: { id: string; matchers: Matcher[]; ends_at: Date }[];
  windows: { id: string; name: string; matchers: Matcher[]; schedule: TimeInterval }[];
  firing: { fingerprint: string; labels: Record<string, string> }[];
}

export interface DecisionInput {
  alertId: string;
  fingerprint: string;
  kind: string;
  detail: unknown;
}

@Injectable()
export class DispatchStore {
  /**
   * Everything a dispatch step reads besides its groups, in one round trip: the policy, the
   * silences in effect, the enabled maintenance windows, and — only when the policy has inhibit
   * rules — the organization's firing alerts (the possible inhibition sources).
   */
  async context(c: PoolClient, orgId: string, at: Date): Promise<DispatchContext> {
    const { rows } = await c.query(
      `WITH p AS (SELECT document, version FROM notification_policies WHERE org_id = $1)
       SELECT
         (SELECT row_to_json(p) FROM p) AS policy,
         (SELECT coalesce(json_agg(json_build_object('id', s.id, 'matchers', s.matchers, 'ends_at', s.ends_at)), '[]')
            FROM silences s WHERE s.org_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2) AS silences,
         (SELECT coalesce(json_agg(json_build_object('id', w.id, 'name', w.name, 'matchers', w.matchers, 'schedule', w.schedule)), '[]')
            FROM maintenance_windows w WHERE w.org_id = $1 AND w.enabled) AS windows,
         CASE WHEN jsonb_array_length(coalesce((SELECT document->'inhibitRules' FROM p), '[]'::jsonb)) > 0 THEN
           (SELECT coalesce(json_agg(f), '[]') FROM (
              SELECT fingerprint, labels FROM alert_instances WHERE org_id = $1 AND state = 'firing'
              UNION ALL
              SELECT fingerprint, labels FROM external_alerts
              WHERE org_id = $1 AND status = 'firing' AND (ends_at IS NULL OR ends_at > $2)) f)
         ELSE '[]'::json END AS firing`,
      [orgId, at],
    );
    const r = rows[0];
    return {
      policy: r.policy,
      silences: (r.silences as { id: string; matchers: Matcher[]; ends_at: string }[]).map((x) => ({
        ...x,
        ends_at: new Date(x.ends_at),
      })),
      windows: r.windows,
      firing: r.firing,
    };
  }

  /** Creates the group if new and locks it for the rest of the transaction (one round trip). */
  async lockGroup(
    c: PoolClient,
    orgId: string,
    g: { hash: string; key: string; routeId: string; labels: Record<string, string> } | string,
  ): Promise<GroupRow | null> {
    if (typeof g === 'string') {
      const { rows } = await c.query(
        'SELECT group_key, route_id, group_labels, next_flush_at, last_flush_at FROM alert_groups WHERE org_id = $1 AND group_hash = $2 FOR UPDATE',
        [orgId, g],
      );
      return rows[0] ?? null;
    }
    // DO UPDATE (changing nothing) rather than DO NOTHING: it locks and returns an existing row too.
    const { rows } = await c.query(
      `INSERT INTO alert_groups (org_id, group_hash, group_key, route_id, group_labels) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, group_hash) DO UPDATE SET group_key = alert_groups.group_key
       RETURNING group_key, route_id, group_labels, next_flush_at, last_flush_at`,
      [orgId, g.hash, g.key, g.routeId, JSON.stringify(g.labels)],
    );
    return rows[0];
  }

  async upsertFiring(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    a: {
      alertId: string;
      fingerprint: string;
      labels: object;
      annotations: object;
      startsAt: Date;
      endsAt: Date | null;
      generatorURL: string;
      value: number | null;
    },
  ): Promise<number> {
    const r = await c.query(
      `INSERT INTO alert_group_members (org_id, group_hash, fingerprint, alert_id, labels, annotations, status, starts_at, ends_at, generator_url, value, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'firing', $7, $8, $9, $10, now())
       ON CONFLICT (org_id, group_hash, fingerprint) DO UPDATE SET
         alert_id = excluded.alert_id, labels = excluded.labels, annotations = excluded.annotations, status = 'firing',
         starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url, value = excluded.value, updated_at = now()`,
      [
        orgId,
        groupHash,
        a.fingerprint,
        a.alertId,
        JSON.stringify(a.labels),
        JSON.stringify(a.annotations),
        a.startsAt,
        a.endsAt,
        a.generatorURL,
        numberOrNull(a.value),
      ],
    );
    return r.rowCount ?? 0;
  }

  /**
   * `upsertFiring` for many alerts of one group in one statement (their fingerprints distinct:
   * one statement cannot update a row twice). Returns the rows written.
   */
  async upsertFiringMany(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    alerts: {
      alertId: string;
      fingerprint: string;
      labels: object;
      annotations: object;
      startsAt: Date;
      endsAt: Date | null;
      generatorURL: string;
      value: number | null;
    }[],
  ): Promise<number> {
    if (!alerts.length) return 0;
    const r = await c.query(
      `INSERT INTO alert_group_members (org_id, group_hash, fingerprint, alert_id, labels, annotations, status, starts_at, ends_at, generator_url, value, updated_at)
       SELECT $1, $2, x.fingerprint, x.alert_id, x.labels, x.annotations, 'firing', x.starts_at, x.ends_at, x.generator_url, x.value, now()
       FROM jsonb_to_recordset($3::jsonb) AS x(fingerprint text, alert_id uuid, labels jsonb, annotations jsonb,
         starts_at timestamptz, ends_at timestamptz, generator_url text, value float8)
       ON CONFLICT (org_id, group_hash, fingerprint) DO UPDATE SET
         alert_id = excluded.alert_id, labels = excluded.labels, annotations = excluded.annotations, status = 'firing',
         starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url, value = excluded.value, updated_at = now()`,
      [
        orgId,
        groupHash,
        JSON.stringify(
          alerts.map((a) => ({
            fingerprint: a.fingerprint,
            alert_id: a.alertId,
            labels: a.labels,
            annotations: a.annotations,
            starts_at: a.startsAt.toISOString(),
            ends_at: a.endsAt?.toISOString() ?? null,
            generator_url: a.generatorURL,
            value: numberOrNull(a.value),
          })),
        ),
      ],
    );
    return r.rowCount ?? 0;
  }

  /** `markResolved` for many alerts of one group in one statement. */
  async markResolvedMany(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    alerts: { fingerprint: string; endsAt: Date }[],
  ): Promise<number> {
    if (!alerts.length) return 0;
    const r = await c.query(
      `UPDATE alert_group_members m SET status = 'resolved', ends_at = x.ends_at, updated_at = now()
       FROM jsonb_to_recordset($3::jsonb) AS x(fingerprint text, ends_at timestamptz)
       WHERE m.org_id = $1 AND m.group_hash = $2 AND m.fingerprint = x.fingerprint AND m.status = 'firing'`,
      [
        orgId,
        groupHash,
        JSON.stringify(
          alerts.map((a) => ({ fingerprint: a.fingerprint, ends_at: a.endsAt.toISOString() })),
        ),
      ],
    );
    return r.rowCount ?? 0;
  }

  /** Marks a held alert resolved; an alert the group never held has nothing to resolve. */
  async markResolved(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    fingerprint: string,
    endsAt: Date,
  ): Promise<number> {
    const r = await c.query(
      `UPDATE alert_group_members SET status = 'resolved', ends_at = $4, updated_at = now()
       WHERE org_id = $1 AND group_hash = $2 AND fingerprint = $3 AND status = 'firing'`,
      [orgId, groupHash, fingerprint, endsAt],
    );
    return r.rowCount ?? 0;
  }

  async setNextFlush(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    next: number | null,
    flushedAt?: number,
  ): Promise<void> {
    if (flushedAt === undefined) {
      await c.query(
        'UPDATE alert_groups SET next_flush_at = $3 WHERE org_id = $1 AND group_hash = $2',
        [orgId, groupHash, next === null ? null : new Date(next)],
      );
    } else {
      await c.query(
        'UPDATE alert_groups SET next_flush_at = $3, last_flush_at = $4 WHERE org_id = $1 AND group_hash = $2',
        [orgId, groupHash, next === null ? null : new Date(next), new Date(flushedAt)],
      );
    }
  }

  async members(c: PoolClient, orgId: string, groupHash: string): Promise<MemberRow[]> {
    const { rows } = await c.query(
      `SELECT fingerprint, alert_id, labels, annotations, status, starts_at, ends_at, generator_url, value
       FROM alert_group_members WHERE org_id = $1 AND group_hash = $2 ORDER BY starts_at, fingerprint`,
      [orgId, groupHash],
    );
    return rows;
  }

  async deleteMembers(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    fingerprints: string[] | null,
  ): Promise<void> {
    if (fingerprints === null)
      await c.query('DELETE FROM alert_group_members WHERE org_id = $1 AND group_hash = $2', [
        orgId,
        groupHash,
      ]);
    else if (fingerprints.length) {
      await c.query(
        'DELETE FROM alert_group_members WHERE org_id = $1 AND group_hash = $2 AND fingerprint = ANY($3::text[])',
        [orgId, groupHash, fingerprints],
      );
    }
  }

  async nflog(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    receiver: string,
  ): Promise<{ firing: string[]; resolved: string[]; sent_at: Date } | null> {
    const { rows } = await c.query(
      'SELECT firing, resolved, sent_at FROM notification_log WHERE org_id = $1 AND group_hash = $2 AND receiver = $3',
      [orgId, groupHash, receiver],
    );
    return rows[0] ?? null;
  }

  async writeNflog(
    c: PoolClient,
    orgId: string,
    groupHash: string,
    receiver: string,
    firing: string[],
    resolved: string[],
    sentAt: number,
    slot: number,
  ): Promise<void> {
    await c.query(
      `INSERT INTO notification_log (org_id, group_hash, receiver, firing, resolved, sent_at, slot) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (org_id, group_hash, receiver) DO UPDATE SET firing = excluded.firing, resolved = excluded.resolved, sent_at = excluded.sent_at, slot = excluded.slot`,
      [orgId, groupHash, receiver, firing, resolved, new Date(sentAt), slot],
    );
  }

  /** One multi-row insert for all decisions of a step. */
  async decisions(c: PoolClient, orgId: string, list: DecisionInput[]): Promise<void> {
    if (!list.length) return;
    await c.query(
      `INSERT INTO dispatch_decisions (id, org_id, alert_id, fingerprint, kind, detail, at)
       SELECT gen_random_uuid(), $1, d.alert_id, d.fingerprint, d.kind, d.detail, clock_timestamp()
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[]) AS d(alert_id, fingerprint, kind, detail)`,
      [
        orgId,
        list.map((d) => d.alertId),
        list.map((d) => d.fingerprint),
        list.map((d) => d.kind),
        list.map((d) => JSON.stringify(d.detail)),
      ],
    );
  }
}

function numberOrNull(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}
