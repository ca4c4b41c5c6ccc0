import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import { PgSeriesReader } from '@tocsin/tsdb';
import { DAY_MS, dailyUptime, uptimeRatio, type DayUptime } from './uptime';
import { StatusIncidentsRepository, type StatusIncidentRow, type StatusUpdateRow } from './status-incidents.repository';

export interface StatusComponent {
  id: string;
  name: string;
  status: string;
  days: DayUptime[];
  uptime: number | null;
}

export interface StatusPageModel {
  orgName: string;
  slug: string;
  components: StatusComponent[];
  incidents: (StatusIncidentRow & { updates: StatusUpdateRow[] })[];
  generatedAt: number;
}

export const STATUS_DAYS = 90;

/**
 * The public status page of an organization, found by slug. Everything after the slug lookup
 * runs inside that organization (RLS context and explicit org filters), so no other
 * organization's checks, series or incidents can appear.
 */
@Injectable()
export class StatusPageService {
  private readonly repo = new StatusIncidentsRepository();
  private readonly reader: PgSeriesReader;

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {
    this.reader = new PgSeriesReader(pool);
  }

  async orgBySlug(slug: string): Promise<{ orgId: string; name: string } | null> {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(slug)) return null;
    const { rows } = await this.pool.query<{ orgId: string; name: string }>(`select org_id as "orgId", name from status_page_org($1)`, [slug]);
    return rows[0] ?? null;
  }

  /** Null when the organization does not exist or publishes nothing (no public check, no incident). */
  async page(slug: string, now = Date.now()): Promise<StatusPageModel | null> {
    const org = await this.orgBySlug(slug);
    if (!org) return null;
    const { orgId } = org;
    const { checks, incidents, updates } = await withOrgClient(this.pool, orgId, async (c) => {
      const checks = await this.repo.publicChecks(c, orgId);
      const incidents = await this.repo.listSince(c, orgId, new Date(now - STATUS_DAYS * DAY_MS));
      return { checks, incidents, updates: await this.repo.updatesOf(c, orgId, incidents.map((i) => i.id)) };
    });
    if (!checks.length && !incidents.length) return null;
    const start = Math.floor(now / DAY_MS) * DAY_MS - (STATUS_DAYS - 1) * DAY_MS;
    const components: StatusComponent[] = [];
    for (const check of checks) {
      const matchers = [
        { name: '__name__', op: '=' as const, value: 'probe_success' },
        { name: 'check_id', op: '=' as const, value: check.id },
      ];
      const rolled = await this.reader.selectRollup(orgId, matchers, '1h', start, now + 1);
      const rawFrom = rolled.dirtyFrom ?? Math.floor(now / 3_600_000) * 3_600_000;
      // The current hour is never rolled up yet; it (and any dirty tail) is read raw.
      const dirtyFrom = Math.min(rawFrom, Math.floor(now / 3_600_000) * 3_600_000);
      const raw = await this.reader.select(orgId, matchers, { start: Math.max(dirtyFrom, start), end: now });
      const days = dailyUptime(rolled.series, raw, dirtyFrom, STATUS_DAYS, now);
      components.push({ id: check.id, name: check.name, status: check.status, days, uptime: uptimeRatio(days) });
    }
    return {
      orgName: org.name,
      slug,
      components,
      incidents: incidents.map((i) => ({ ...i, updates: updates.filter((u) => u.incidentId === i.id) })),
      generatedAt: now,
    };
  }

  async feedEntries(slug: string): Promise<{ orgName: string; entries: (StatusUpdateRow & { title: string; kind: string })[] } | null> {
    const org = await this.orgBySlug(slug);
    if (!org) return null;
    const { entries, published } = await withOrgClient(this.pool, org.orgId, async (c) => {
      const entries = await this.repo.recentUpdates(c, org.orgId, 50);
      return { entries, published: entries.length > 0 || (await this.repo.publicChecks(c, org.orgId)).length > 0 };
    });
    // Like the page: an organization that publishes nothing has no feed (not even its name).
    return published ? { orgName: org.name, entries } : null;
  }
}
