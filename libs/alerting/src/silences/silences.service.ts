import { Injectable } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb, currentContext } from '@tocsin/tenancy';
import { printMatchers } from '../routing/matchers';
import { inputMatchers } from './silence.errors';
import { SilencesRepository, type SilenceRow } from './silences.repository';

export type SilenceState = 'active' | 'pending' | 'expired';

export interface SilenceInput {
  matchers: string;
  startsAt?: Date | null;
  endsAt: Date;
  comment?: string | null;
}

export interface SilenceView extends SilenceRow {
  state: SilenceState;
  matchersText: string;
}

/** A silence's state follows from the clock alone, so silences expire without any job. */
export function silenceState(s: { startsAt: Date; endsAt: Date }, now = Date.now()): SilenceState {
  if (s.endsAt.getTime() <= now) return 'expired';
  return s.startsAt.getTime() > now ? 'pending' : 'active';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class SilencesService {
  constructor(
    private readonly db: TenantDb,
    private readonly repo: SilencesRepository,
    private readonly audit: AuditService,
  ) {}

  private view(row: SilenceRow): SilenceView {
    return { ...row, state: silenceState(row), matchersText: printMatchers(row.matchers) };
  }

  async list(state?: SilenceState): Promise<SilenceView[]> {
    const now = new Date();
    return this.db.run(async (tx, orgId) => {
      const where =
        state === 'expired'
          ? { orgId, endsAt: { lte: now } }
          : state === 'pending'
            ? { orgId, startsAt: { gt: now }, endsAt: { gt: now } }
            : state === 'active'
              ? { orgId, startsAt: { lte: now }, endsAt: { gt: now } }
              : { orgId };
      return (await this.repo.list(tx, where)).map((r) => this.view(r));
    });
  }

  async get(id: string): Promise<SilenceView> {
    if (!UUID.test(id)) throw AppError.notFound('Silence');
    const row = await this.db.run((tx, orgId) => this.repo.get(tx, { orgId, id }));
    if (!row) throw AppError.notFound('Silence');
    return this.view(row);
  }

  private validate(input: SilenceInput, now: number) {
    const matchers = inputMatchers(input.matchers);
    if (!matchers.length) throw AppError.badInput('a silence needs at least one matcher');
    // Alertmanager refuses silences that would match every alert through empty-matching matchers only.
    if (
      matchers.every(
        (m) =>
          (m.type === '=' && m.value === '') ||
          (m.type === '=~' && new RegExp(`^(?:${m.value})$`).test('')),
      )
    ) {
      throw AppError.badInput('at least one matcher must not match the empty string');
    }
    const startsAt = input.startsAt ?? new Date(now);
    if (Number.isNaN(startsAt.getTime()) || Number.isNaN(input.endsAt.getTime()))
      throw AppError.badInput('startsAt and endsAt must be valid times');
    if (input.endsAt.getTime() <= startsAt.getTime())
      throw AppError.badInput('endsAt must be after startsAt');
    if (input.endsAt.getTime() <= now) throw AppError.badInput('endsAt must be in the future');
    const comment = (input.comment ?? '').slice(0, 2000);
    return { matchers, startsAt, endsAt: input.endsAt, comment };
  }

  async create(input: SilenceInput): Promise<SilenceView> {
    const data = this.validate(input, Date.now());
    const { userId } = currentContext();
    return this.db.run(async (tx, orgId) => {
      const row = await this.repo.create(tx, { orgId, createdBy: userId, ...data });
      await this.audit.record(tx, orgId, {
        action: 'silence.create',
        targetType: 'silence',
        targetId: row.id,
        details: { matchers: printMatchers(row.matchers) },
      });
      return this.view(row);
    });
  }

  async update(id: string, input: SilenceInput): Promise<SilenceView> {
    const current = await this.get(id);
    if (current.state === 'expired')
      throw AppError.badInput('an expired silence cannot be changed; create a new one');
    const data = this.validate(input, Date.now());
    return this.db.run(async (tx, orgId) => {
      const row = await this.repo.update(tx, { orgId, id }, data);
      if (!row) throw AppError.notFound('Silence');
      await this.audit.record(tx, orgId, {
        action: 'silence.update',
        targetType: 'silence',
        targetId: id,
      });
      return this.view(row);
    });
  }

  /** Ends the silence now; a pending one ends before it starts. */
  async expire(id: string): Promise<SilenceView> {
    const current = await this.get(id);
    if (current.state === 'expired') return current;
    const now = new Date();
    return this.db.run(async (tx, orgId) => {
      const data = current.state === 'pending' ? { startsAt: now, endsAt: now } : { endsAt: now };
      const row = await this.repo.update(tx, { orgId, id }, data);
      if (!row) throw AppError.notFound('Silence');
      await this.audit.record(tx, orgId, {
        action: 'silence.expire',
        targetType: 'silence',
        targetId: id,
      });
      return this.view(row);
    });
  }
}
