import { Injectable } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { TenantDb } from '@tocsin/tenancy';

export interface ResponderStats {
  key: string;
  name: string;
  pages: number;
  nightPages: number;
  incidents: number;
  acknowledged: number;
  meanSecondsToAck: number | null;
  meanSecondsToResolve: number | null;
}

export interface SourceStats {
  source: string;
  incidents: number;
  ackedQuickly: number;
  ignored: number;
  meanSecondsToAck: number | null;
}

/** Night is 22:00–07:00 on the paged person's own clock. */
const NIGHT = `(extract(hour from p.created_at at time zone u.time_zone) >= 22 or extract(hour from p.created_at at time zone u.time_zone) < 7)`;

/**
 * Load and response figures over a window: per person, per schedule, and the noisiest alert
 * groups. "Acked quickly" is within `quickSeconds` of opening; "ignored" means resolved (or still
 * open) without anyone acknowledging it.
 */
@Injectable()
export class OncallAnalyticsService {
  constructor(private readonly db: TenantDb) {}

  perUser(from: Date, to: Date): Promise<ResponderStats[]> {
    this.check(from, to);
    return this.db.run(async (tx, orgId) => {
      const rows = await tx.$queryRawUnsafe<Array<Record<string, unknown>>>(
        `with pg as (
           select p.user_id, count(*)::int as pages, count(*) filter (where ${NIGHT})::int as night_pages,
                  count(distinct p.incident_id)::int as incidents
             from oncall_pages p join users u on u.id = p.user_id
            where p.org_id = $1::uuid and p.created_at >= $2 and p.created_at < $3
            group by p.user_id),
         ak as (
           select i.acknowledged_by_id as user_id, count(*)::int as acknowledged,
                  avg(extract(epoch from i.acknowledged_at - i.created_at))::float8 as tta,
                  avg(extract(epoch from i.resolved_at - i.created_at))::float8 as ttr
             from oncall_incidents i
            where i.org_id = $1::uuid and i.created_at >= $2 and i.created_at < $3 and i.acknowledged_by_id is not null
            group by i.acknowledged_by_id)
         select u.id as key, u.name, coalesce(pg.pages,0) as pages, coalesce(pg.night_pages,0) as night_pages,
                coalesce(pg.incidents,0) as incidents, coalesce(ak.acknowledged,0) as acknowledged, ak.tta, ak.ttr
           from users u left join pg on pg.user_id = u.id left join ak on ak.user_id = u.id
          where pg.user_id is not null or ak.user_id is not null
          order by pages desc, u.name`,
        orgId,
        from,
        to,
      );
      return rows.map(toStats);
    });
  }

  perSchedule(from: Date, to: Date): Promise<ResponderStats[]> {
    this.check(from, to);
    return this.db.run(async (tx, orgId) => {
      const rows = await tx.$queryRawUnsafe<Array<Record<string, unknown>>>(
        `with pg as (
           select p.schedule_id, count(*)::int as pages, count(*) filter (where ${NIGHT})::int as night_pages,
                  array_agg(distinct p.incident_id) as incident_ids
             from oncall_pages p join users u on u.id = p.user_id
            where p.org_id = $1::uuid and p.schedule_id is not null and p.created_at >= $2 and p.created_at < $3
            group by p.schedule_id)
         select s.id as key, s.name, pg.pages, pg.night_pages, cardinality(pg.incident_ids)::int as incidents,
                (select count(*)::int from oncall_incidents i where i.org_id = $1::uuid and i.id = any(pg.incident_ids) and i.acknowledged_at is not null) as acknowledged,
                (select avg(extract(epoch from i.acknowledged_at - i.created_at))::float8 from oncall_incidents i where i.org_id = $1::uuid and i.id = any(pg.incident_ids)) as tta,
                (select avg(extract(epoch from i.resolved_at - i.created_at))::float8 from oncall_incidents i where i.org_id = $1::uuid and i.id = any(pg.incident_ids)) as ttr
           from pg join oncall_schedules s on s.id = pg.schedule_id and s.org_id = $1::uuid
          order by pg.pages desc, s.name`,
        orgId,
        from,
        to,
      );
      return rows.map(toStats);
    });
  }

  noisiestSources(from: Date, to: Date, quickSeconds = 300, limit = 20): Promise<SourceStats[]> {
    this.check(from, to);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      throw AppError.badInput('limit must be 1…200');
    return this.db.run(async (tx, orgId) => {
      const rows = await tx.$queryRawUnsafe<Array<Record<string, unknown>>>(
        `select coalesce(i.group_key, 'source:' || i.source) as source, count(*)::int as incidents,
                count(*) filter (where i.acknowledged_at is not null and i.acknowledged_at - i.created_at <= make_interval(secs => $4))::int as acked_quickly,
                count(*) filter (where i.acknowledged_by_id is null and not exists (
                  select 1 from oncall_incident_events e where e.org_id = i.org_id and e.incident_id = i.id and e.kind = 'ack'))::int as ignored,
                avg(extract(epoch from i.acknowledged_at - i.created_at))::float8 as tta
           from oncall_incidents i
          where i.org_id = $1::uuid and i.created_at >= $2 and i.created_at < $3
          group by 1 order by incidents desc, source limit $5`,
        orgId,
        from,
        to,
        quickSeconds,
        limit,
      );
      return rows.map((r) => ({
        source: String(r.source),
        incidents: Number(r.incidents),
        ackedQuickly: Number(r.acked_quickly),
        ignored: Number(r.ignored),
        meanSecondsToAck: r.tta == null ? null : Number(r.tta),
      }));
    });
  }

  private check(from: Date, to: Date): void {
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from)
      throw AppError.badInput('from must be before to');
  }
}

function toStats(r: Record<string, unknown>): ResponderStats {
  return {
    key: String(r.key),
    name: String(r.name),
    pages: Number(r.pages),
    nightPages: Number(r.night_pages),
    incidents: Number(r.incidents),
    acknowledged: Number(r.acknowledged),
    meanSecondsToAck: r.tta == null ? null : Number(r.tta),
    meanSecondsToResolve: r.ttr == null ? null : Number(r.ttr),
  };
}
