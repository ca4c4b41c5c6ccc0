import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, withOrgClient } from '@tocsin/db';
import type { TsdbWriter } from '@tocsin/tsdb';
import { PROBES_GUARD, PROBES_WRITER } from '../probes.tokens';
import type { SsrfGuard } from '../ssrf/ssrf-guard';
import { compileRelabelConfigs, type CompiledRelabel } from './relabel';
import { openAuth } from './auth-seal';
import { scrapeOnce, type ScrapeAuth, type ScrapeOutcome } from './scrape-engine';
import { ScrapeTargetsRepository } from './scrape-targets.repository';

/** The `scrape` job: re-read the target (it may have changed or gone), scrape, write, record health. */
@Injectable()
export class ScrapeRunner {
  private readonly repo = new ScrapeTargetsRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PROBES_WRITER) private readonly writer: TsdbWriter,
    @Inject(PROBES_GUARD) private readonly guard: SsrfGuard,
  ) {}

  async run(orgId: string, targetId: string, now = Date.now()): Promise<ScrapeOutcome | null> {
    const loaded = await withOrgClient(this.pool, orgId, async (c) => {
      const t = await this.repo.find(c, orgId, targetId);
      return t && { t, previous: await this.repo.lastSeries(c, orgId, targetId) };
    });
    if (!loaded || !loaded.t.enabled) return null;
    const { t, previous } = loaded;
    let auth: ScrapeAuth | null = null;
    if (t.auth) {
      try {
        auth = openAuth(t.auth, orgId);
      } catch {
        // A credential that no longer opens (SECRET_KEY rotated) would only earn 401s: record it.
        await withOrgClient(this.pool, orgId, (c) =>
          this.repo.recordScrape(c, orgId, targetId, { at: new Date(now), up: false, error: 'stored credentials cannot be decrypted; set them again', durationMs: 0, samples: 0, seriesKeys: previous }),
        );
        return null;
      }
    }
    let metricRelabel: CompiledRelabel[];
    try {
      metricRelabel = compileRelabelConfigs(t.metricRelabelConfigs);
    } catch {
      metricRelabel = [];
    }
    const outcome = await scrapeOnce(
      { job: t.job, scheme: t.scheme, address: t.address, metricsPath: t.metricsPath, timeoutMs: t.timeoutMs, labels: t.labels, auth, metricRelabel },
      this.guard,
      previous,
      now,
    );
    await this.writer.write(orgId, outcome.write);
    // Health is recorded after the samples are committed, so "last scrape" never claims data
    // that a failed write lost.
    await withOrgClient(this.pool, orgId, (c) =>
      this.repo.recordScrape(c, orgId, targetId, {
        at: new Date(now),
        up: outcome.up,
        error: outcome.error,
        durationMs: outcome.durationMs,
        samples: outcome.samplesScraped,
        seriesKeys: outcome.seriesKeys,
      }),
    );
    return outcome;
  }

  /** Targets of an organization that should have a scheduler (worker start-up reconcile). */
  async enabledTargets(orgId: string): Promise<{ id: string; intervalMs: number }[]> {
    return withOrgClient(this.pool, orgId, async (c) => (await this.repo.list(c, orgId)).filter((t) => t.enabled).map((t) => ({ id: t.id, intervalMs: t.intervalMs })));
  }
}
