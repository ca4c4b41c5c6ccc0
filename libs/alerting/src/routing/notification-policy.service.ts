import { Injectable } from '@nestjs/common';
import type { Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';
import { AuditService, TenantDb } from '@tocsin/tenancy';
import { NotificationPolicyRepository } from './notification-policy.repository';
import {
  DEFAULT_POLICY,
  PolicyError,
  compilePolicy,
  describeRoute,
  matchRoutes,
  type CompiledPolicy,
} from './route-tree';

export interface PolicyView {
  document: unknown;
  version: number;
  updatedAt: Date | null;
}

@Injectable()
export class NotificationPolicyService {
  // Compiled trees by (org, version): compiling is cheap but regexes and zones add up per alert.
  private readonly cache = new Map<string, { version: number; policy: CompiledPolicy }>();

  constructor(
    private readonly db: TenantDb,
    private readonly repo: NotificationPolicyRepository,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<PolicyView> {
    const row = await this.db.run((tx, orgId) => this.repo.get(tx, orgId));
    return row ?? { document: DEFAULT_POLICY, version: 0, updatedAt: null };
  }

  async update(document: unknown): Promise<PolicyView> {
    try {
      compilePolicy(document);
    } catch (e) {
      if (e instanceof PolicyError) throw AppError.badInput(`notification policy: ${e.message}`);
      throw e;
    }
    if (JSON.stringify(document).length > 512 * 1024)
      throw AppError.badInput('notification policy: the document is larger than 512 KiB');
    return this.db.run(async (tx, orgId) => {
      await this.checkReferences(tx, orgId, compilePolicy(document));
      const row = await this.repo.put(tx, orgId, document);
      await this.audit.record(tx, orgId, {
        action: 'notification_policy.update',
        targetType: 'notification_policy',
        details: { version: row.version },
      });
      return row;
    });
  }

  /**
   * Receivers may only name this organization's channels and escalation policies (RLS would hide
   * another's anyway; this turns a silent non-delivery into a clear error on save).
   */
  private async checkReferences(tx: Tx, orgId: string, policy: CompiledPolicy): Promise<void> {
    const channelIds = [
      ...new Set([...policy.receivers.values()].flatMap((r) => r.channelIds ?? [])),
    ];
    const escalationIds = [
      ...new Set(
        [...policy.receivers.values()].flatMap((r) =>
          r.escalationPolicyId ? [r.escalationPolicyId] : [],
        ),
      ),
    ];
    const missing = async (
      table: 'channels' | 'oncall_escalation_policies',
      ids: string[],
    ): Promise<string[]> => {
      if (!ids.length) return [];
      const [{ present }] = await tx.$queryRawUnsafe<{ present: boolean }[]>(
        `SELECT to_regclass('public.${table}') IS NOT NULL AS present`,
      );
      // Without the owning module's table there is nothing to check against.
      if (!present) return [];
      const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text AS id FROM ${table} WHERE org_id = $1::uuid AND id = ANY($2::uuid[])`,
        orgId,
        ids,
      );
      const found = new Set(rows.map((r) => r.id));
      return ids.filter((id) => !found.has(id));
    };
    const noChannel = await missing('channels', channelIds);
    if (noChannel.length)
      throw AppError.badInput(`notification policy: unknown channel ${noChannel.join(', ')}`);
    const noPolicy = await missing('oncall_escalation_policies', escalationIds);
    if (noPolicy.length)
      throw AppError.badInput(
        `notification policy: unknown escalation policy ${noPolicy.join(', ')}`,
      );
  }

  /** The current compiled policy of an organization, inside a transaction of that organization. */
  async compiled(tx: Tx, orgId: string): Promise<CompiledPolicy> {
    return this.compile(orgId, await this.repo.get(tx, orgId));
  }

  /** Compiles a stored row (null: none saved), cached by (organization, version). */
  compile(orgId: string, row: { document: unknown; version: number } | null): CompiledPolicy {
    const version = row?.version ?? 0;
    const hit = this.cache.get(orgId);
    if (hit && hit.version === version) return hit.policy;
    let policy: CompiledPolicy;
    try {
      policy = compilePolicy(row?.document ?? DEFAULT_POLICY);
    } catch {
      // Saved documents were validated; one that no longer compiles (a rule changed) falls back.
      policy = compilePolicy(DEFAULT_POLICY);
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(orgId, { version, policy });
    return policy;
  }

  /** Which routes labels take, with their effective settings: the routeTest query. */
  async test(labels: Record<string, string>) {
    if (
      !labels ||
      typeof labels !== 'object' ||
      Array.isArray(labels) ||
      Object.values(labels).some((v) => typeof v !== 'string')
    ) {
      throw AppError.badInput('labels must be an object of string values');
    }
    const policy = await this.db.run((tx, orgId) => this.compiled(tx, orgId));
    return matchRoutes(policy.root, labels).map(describeRoute);
  }
}
