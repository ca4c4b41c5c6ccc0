import { Global, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { loadConfig } from '@tocsin/config';
import { createPgPool } from './pg-pool';
import { createPrismaClient, type Db } from './prisma';

export const PRISMA = Symbol('PRISMA');
export const PG_POOL = Symbol('PG_POOL');

@Injectable()
class DbLifecycle implements OnModuleDestroy {
  constructor(
    @Inject(PRISMA) private readonly prisma: Db,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([this.prisma.$disconnect(), this.pool.end()]);
  }
}

/** The app role's Prisma client and `pg` pool, one of each per process. */
@Global()
@Module({
  providers: [
    {
      provide: PRISMA,
      useFactory: () => {
        const config = loadConfig();
        return createPrismaClient(config.databaseAppUrl, config.DATABASE_POOL_SIZE);
      },
    },
    {
      provide: PG_POOL,
      useFactory: () => {
        const config = loadConfig();
        return createPgPool(config.databaseAppUrl, config.DATABASE_POOL_SIZE);
      },
    },
    DbLifecycle,
  ],
  exports: [PRISMA, PG_POOL],
})
export class DbModule {}
