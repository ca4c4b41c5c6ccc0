import cluster from 'node:cluster';
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { PRISMA, type Db } from '@tocsin/db';
import { REDIS } from '@tocsin/queue';
import { Public } from '@tocsin/tenancy';
import { clusterMetricsText } from '../cluster/metrics-ipc';
import { MetricsService } from './metrics.service';

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly metrics: MetricsService,
  ) {}

  /** 200 when PostgreSQL and Redis both answer, 503 naming what does not. */
  @Get('healthz')
  @Public()
  async health(@Res() res: Response): Promise<void> {
    const checks = await Promise.allSettled([
      within(2000, this.prisma.$queryRaw`select 1`),
      within(2000, this.redis.ping()),
    ]);
    const [postgres, redis] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : `error: ${(c.reason as Error).message}`));
    const ok = postgres === 'ok' && redis === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', postgres, redis });
  }

  @Get('metrics')
  @Public()
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    // Under several api processes, one scrape answers for all of them (cluster/metrics-ipc.ts).
    if (!cluster.isWorker) {
      res.send(await this.metrics.registry.metrics());
      return;
    }
    try {
      res.send(await clusterMetricsText());
    } catch (err) {
      res.status(503).type('text/plain').send(`metrics of the api processes unavailable: ${(err as Error).message}\n`);
    }
  }
}
