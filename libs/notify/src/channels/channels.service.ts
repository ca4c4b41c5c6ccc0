import { Injectable } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { Prisma, type Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb } from '@tocsin/tenancy';
import type { AnyNotifier } from '../notifier';
import { notifierFor } from '../providers/registry';
import { SecretBox } from '../secrets/secret-box';
import type { ChannelTemplates } from '../templates/default-templates';
import { checkTemplates } from '../templates/render-notification';
import { TemplateError } from '../templates/template-engine';
import { ChannelConfigCodec } from './channel-config';
import { ChannelsRepository, isUuid, type ChannelRow } from './channels.repository';

/** A channel as the API shows it: secrets masked. */
export type ChannelView = Omit<ChannelRow, 'orgId' | 'templates'> & {
  templates: { title: string | null; body: string | null };
};

export interface ChannelInput {
  name?: string;
  kind?: string;
  config?: Record<string, unknown>;
  rateLimitPerMinute?: number | null;
  fallbackChannelId?: string | null;
  templates?: { title?: string | null; body?: string | null } | null;
}

/** What the delivery path needs: the provider and the opened (decrypted) config. */
export interface SendableChannel {
  row: ChannelRow;
  notifier: AnyNotifier;
  config: Record<string, unknown>;
}

const MAX_FALLBACK_CHAIN = 5;

@Injectable()
export class ChannelsService {
  readonly codec = new ChannelConfigCodec(new SecretBox(loadConfig().SECRET_KEY));

  constructor(
    private readonly db: TenantDb,
    private readonly repo: ChannelsRepository,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<ChannelView[]> {
    return this.db.run(async (tx, orgId) =>
      (await this.repo.list(tx, { orgId })).map((r) => this.view(r)),
    );
  }

  get(id: string): Promise<ChannelView> {
    return this.db.run(async (tx, orgId) => this.view(await this.mustFind(tx, orgId, id)));
  }

  /** Several channels by id (those of this organization only), for attaching to deliveries. */
  async viewsByIds(ids: string[]): Promise<Map<string, ChannelView>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.db.run((tx, orgId) =>
      this.repo.list(tx, { orgId, id: { in: unique } }),
    );
    return new Map(rows.map((r) => [r.id, this.view(r)]));
  }

  /** The stored row (secrets sealed) for use inside this lib. */
  getRow(id: string): Promise<ChannelRow> {
    return this.db.run((tx, orgId) => this.mustFind(tx, orgId, id));
  }

  async create(input: ChannelInput): Promise<ChannelView> {
    const notifier = this.notifier(input.kind ?? '');
    const name = this.name(input.name);
    this.checkRateLimit(input.rateLimitPerMinute);
    const templates = this.templates(input.templates);
    return this.db.run(async (tx, orgId) => {
      const config = this.codec.validate(notifier, input.config);
      if (input.fallbackChannelId)
        await this.checkFallback(tx, orgId, null, input.fallbackChannelId);
      const row = await this.unique(() =>
        this.repo.create(tx, {
          orgId,
          name,
          kind: notifier.kind,
          config: this.codec.seal(notifier, orgId, config) as Prisma.InputJsonValue,
          rateLimitPerMinute: input.rateLimitPerMinute ?? null,
          fallbackChannelId: input.fallbackChannelId ?? null,
          templates: (templates ?? undefined) as Prisma.InputJsonValue | undefined,
        }),
      );
      await this.audit.record(tx, orgId, {
        action: 'channel.create',
        targetType: 'channel',
        targetId: row.id,
        details: { name, kind: row.kind },
      });
      return this.view(row);
    });
  }

  async update(id: string, input: ChannelInput): Promise<ChannelView> {
    const name = input.name === undefined ? undefined : this.name(input.name);
    this.checkRateLimit(input.rateLimitPerMinute);
    const templates = input.templates === undefined ? undefined : this.templates(input.templates);
    return this.db.run(async (tx, orgId) => {
      const existing = await this.mustFind(tx, orgId, id);
      const notifier = this.notifier(existing.kind);
      const data: Prisma.ChannelUncheckedUpdateInput = {};
      if (name !== undefined) data.name = name;
      if (input.config !== undefined && input.config !== null) {
        const config = this.codec.validate(notifier, input.config, {
          orgId,
          stored: existing.config,
        });
        data.config = this.codec.seal(notifier, orgId, config) as Prisma.InputJsonValue;
      }
      if (input.rateLimitPerMinute !== undefined)
        data.rateLimitPerMinute = input.rateLimitPerMinute;
      if (input.fallbackChannelId !== undefined) {
        if (input.fallbackChannelId)
          await this.checkFallback(tx, orgId, id, input.fallbackChannelId);
        data.fallbackChannelId = input.fallbackChannelId;
      }
      if (templates !== undefined)
        data.templates = templates === null ? Prisma.DbNull : (templates as Prisma.InputJsonValue);
      const row = await this.unique(() => this.repo.update(tx, { orgId, id }, data));
      await this.audit.record(tx, orgId, {
        action: 'channel.update',
        targetType: 'channel',
        targetId: id,
        details: { fields: Object.keys(data) },
      });
      return this.view(row);
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.db.run(async (tx, orgId) => {
      const existing = await this.mustFind(tx, orgId, id);
      await this.repo.delete(tx, { orgId, id });
      await this.audit.record(tx, orgId, {
        action: 'channel.delete',
        targetType: 'channel',
        targetId: id,
        details: { name: existing.name },
      });
      return true;
    });
  }

  /** For the worker: the channel with its secrets opened, or null when it no longer exists. */
  async loadForSend(
    orgId: string,
    channelId: string,
  ): Promise<SendableChannel | { unusable: string } | null> {
    const row = await this.db.forOrg(orgId, (tx) => this.repo.find(tx, { orgId, id: channelId }));
    if (!row) return null;
    const notifier = notifierFor(row.kind);
    if (!notifier) return { unusable: `This deployment has no "${row.kind}" provider` };
    let opened: Record<string, unknown>;
    try {
      opened = this.codec.open(notifier, orgId, row.config);
    } catch {
      return {
        unusable:
          'The channel secrets cannot be decrypted (was SECRET_KEY changed?); save them again',
      };
    }
    // Parsed again so a provider's newer defaults apply, and a config the schema no longer
    // accepts fails with a reason instead of half-working.
    const parsed = notifier.configSchema.safeParse(opened);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        unusable: `The channel config is no longer valid: ${issue?.path.join('.')}: ${issue?.message}`,
      };
    }
    return { row, notifier, config: parsed.data as Record<string, unknown> };
  }

  notifier(kind: string): AnyNotifier {
    const n = notifierFor(kind);
    if (!n)
      throw AppError.badInput(`Unknown channel kind "${kind}"`, { reason: 'UNKNOWN_CHANNEL_KIND' });
    return n;
  }

  view(row: ChannelRow): ChannelView {
    const notifier = notifierFor(row.kind);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      config: notifier ? this.codec.mask(notifier, row.config) : {},
      rateLimitPerMinute: row.rateLimitPerMinute,
      fallbackChannelId: row.fallbackChannelId,
      templates: { title: row.templates?.title ?? null, body: row.templates?.body ?? null },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  private async mustFind(tx: Tx, orgId: string, id: string): Promise<ChannelRow> {
    const row = await this.repo.find(tx, { orgId, id });
    if (!row) throw AppError.notFound('Channel');
    return row;
  }

  private name(name: string | undefined): string {
    const n = (name ?? '').trim();
    if (!n || n.length > 100) throw AppError.badInput('name must be 1 to 100 characters');
    return n;
  }

  private checkRateLimit(limit: number | null | undefined): void {
    if (
      limit !== undefined &&
      limit !== null &&
      (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    ) {
      throw AppError.badInput('rateLimitPerMinute must be between 1 and 10000, or null for none');
    }
  }

  private templates(t: ChannelInput['templates']): ChannelTemplates | null {
    if (!t) return null;
    const out: ChannelTemplates = {};
    if (t.title) out.title = t.title;
    if (t.body) out.body = t.body;
    try {
      checkTemplates(out);
    } catch (err) {
      if (err instanceof TemplateError)
        throw AppError.badInput(`Template error: ${err.message}`, { reason: 'TEMPLATE_ERROR' });
      throw err;
    }
    return Object.keys(out).length ? out : null;
  }

  /** The fallback must be another channel of this organization, and following fallbacks must end. */
  private async checkFallback(
    tx: Tx,
    orgId: string,
    selfId: string | null,
    fallbackId: string,
  ): Promise<void> {
    if (fallbackId === selfId) throw AppError.badInput('A channel cannot be its own fallback');
    let current: string | null = fallbackId;
    for (let depth = 0; current; depth++) {
      if (!isUuid(current)) throw AppError.badInput('fallbackChannelId is not a channel id');
      const row = await this.repo.find(tx, { orgId, id: current });
      if (!row) {
        if (depth === 0) throw AppError.notFound('Fallback channel');
        break;
      }
      if (depth >= MAX_FALLBACK_CHAIN)
        throw AppError.badInput(`Fallback chains may be at most ${MAX_FALLBACK_CHAIN} long`);
      current = row.fallbackChannelId;
      if (current && current === selfId) throw AppError.badInput('Fallbacks would form a loop');
    }
  }

  private async unique<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002')
        throw new AppError('CONFLICT', 'A channel with this name already exists');
      throw err;
    }
  }
}
