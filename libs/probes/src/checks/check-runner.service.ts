import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import type { TsdbWriter } from '@tocsin/tsdb';
import { PROBES_GUARD, PROBES_WRITER } from '../probes.tokens';
import type { SsrfGuard } from '../ssrf/ssrf-guard';
import type { DnsCheckConfig, HttpCheckConfig } from './check-config';
import { checkSeries, runCheck, type CheckResult } from './check-engine';
import { ChecksRepository } from './checks.repository';
import { openCheckHeaders } from './check-secrets';

/** The `check` job: re-read the check, run it, count consecutive failures, write the series. */
@Injectable()
export class CheckRunner {
  private readonly repo = new ChecksRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PROBES_WRITER) private readonly writer: TsdbWriter,
    @Inject(PROBES_GUARD) private readonly guard: SsrfGuard,
  ) {}

  /**
   * One run of an enabled check, recorded. `runNow` (the api's on-demand run) comes through here
   * too, so a manual run counts toward consecutive failures and writes the same series.
   */
  async run(orgId: string, checkId: string, now = Date.now()): Promise<(CheckResult & { consecutiveFailures: number }) | null> {
    const check = await withOrgClient(this.pool, orgId, (c) => this.repo.find(c, orgId, checkId));
    if (!check || !check.enabled) return null;
    const spec = { id: check.id, name: check.name, kind: check.kind, target: check.target, timeoutMs: check.timeoutMs };
    let http: HttpCheckConfig | undefined;
    if (check.kind === 'http') {
      const { sealedHeaders: _sealed, headerNames: _names, ...rest } = check.config as Record<string, unknown>;
      let headers: Record<string, string> = {};
      try {
        headers = openCheckHeaders(check.config, orgId);
      } catch {
        // Headers that no longer open (SECRET_KEY rotated): run without them; the status shows it.
      }
      http = { ...(rest as unknown as HttpCheckConfig), headers };
    }
    const result = await runCheck({ ...spec, http, dns: check.kind === 'dns' ? (check.config as DnsCheckConfig) : undefined }, this.guard);
    const recorded = await withOrgClient(this.pool, orgId, (c) =>
      this.repo.recordRun(c, orgId, checkId, {
        at: new Date(now),
        success: result.success,
        error: result.error,
        durationMs: result.durationMs,
        statusCode: result.statusCode ?? null,
        certNotAfter: result.certNotAfter !== undefined && Number.isFinite(result.certNotAfter) ? new Date(result.certNotAfter) : null,
      }),
    );
    if (!recorded) return null;
    await this.writer.write(orgId, checkSeries(spec, result, recorded.consecutiveFailures, now));
    return { ...result, consecutiveFailures: recorded.consecutiveFailures };
  }

  async enabledChecks(orgId: string): Promise<{ id: string; intervalMs: number }[]> {
    return withOrgClient(this.pool, orgId, async (c) => (await this.repo.list(c, orgId)).filter((t) => t.enabled).map((t) => ({ id: t.id, intervalMs: t.intervalMs })));
  }
}
