import { Injectable } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { TenantDb } from '@tocsin/tenancy';

export interface ResponseSummary {
  incidents: number;
  acknowledged: number;
  secondsToAckP50: number | null;
  secondsToAckP90: number | null;
  secondsToResolveP50: number | null;
  /** 24 counts: incidents opened in each hour of the day, on the given clock. */
  incidentsByHour: number[];
  /** Opened outside 09:00–18:00 Monday to Friday, on the given clock. */
  outOfHoursIncidents: number;
}

/**
 * How fast the organization responds, as percentiles (a mean hides the one page nobody answered
 * for an hour), and when incidents arrive, on the clock the person reading the page lives by.
 */
@Injectable()
export class ResponseSummaryService {
  constructor(private readonly db: TenantDb) {}

  summary(from: Date, to: Date, timeZone = 'UTC'): Promise<ResponseSummary> {
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from)
      throw AppError.badInput('from must be before to');
    if (!isTimeZone(timeZone)) throw AppError.badInput(`Unknown time zone "${timeZone}"`);
    return this.db.run(async (tx, orgId) => {
      const [totals] = await tx.$queryRawUnsafe<Array<Record<string, unknown>>>(
        `select count(*)::int as incidents,
                count(i.acknowledged_at)::int as acknowledged,
                percentile_cont(0.5) within group (order by extract(epoch from i.acknowledged_at - i.created_at))
                  filter (where i.acknowledged_at is not null) as ack_p50,
                percentile_cont(0.9) within group (order by extract(epoch from i.acknowledged_at - i.created_at))
                  filter (where i.acknowledged_at is not null) as ack_p90,
                percentile_cont(0.5) within group (order by extract(epoch from i.resolved_at - i.created_at))
                  filter (where i.resolved_at is not null) as resolve_p50,
                count(*) filter (where extract(isodow from i.created_at at time zone $4) > 5
                  or extract(hour from i.created_at at time zone $4) < 9
                  or extract(hour from i.created_at at time zone $4) >= 18)::int as out_of_hours
           from oncall_incidents i
          where i.org_id = $1::uuid and i.created_at >= $2 and i.created_at < $3`,
        orgId,
        from,
        to,
        timeZone,
      );
      const hours = await tx.$queryRawUnsafe<Array<{ hour: number; incidents: number }>>(
        `select extract(hour from i.created_at at time zone $4)::int as hour, count(*)::int as incidents
           from oncall_incidents i
          where i.org_id = $1::uuid and i.created_at >= $2 and i.created_at < $3
          group by 1`,
        orgId,
        from,
        to,
        timeZone,
      );
      const incidentsByHour = Array.from({ length: 24 }, () => 0);
      for (const h of hours) incidentsByHour[Number(h.hour)] = Number(h.incidents);
      const n = (v: unknown) => (v == null ? null : Number(v));
      return {
        incidents: Number(totals.incidents),
        acknowledged: Number(totals.acknowledged),
        secondsToAckP50: n(totals.ack_p50),
        secondsToAckP90: n(totals.ack_p90),
        secondsToResolveP50: n(totals.resolve_p50),
        incidentsByHour,
        outOfHoursIncidents: Number(totals.out_of_hours),
      };
    });
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
