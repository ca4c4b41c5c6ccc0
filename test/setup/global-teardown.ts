import { Client } from 'pg';
import Redis from 'ioredis';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TOCSIN_TEST_SERVER_URL;
  const dbName = process.env.TOCSIN_TEST_DB;
  if (serverUrl && dbName && !process.env.TOCSIN_KEEP_TEST_DB) {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
  const prefix = process.env.REDIS_PREFIX;
  if (process.env.REDIS_URL && prefix?.startsWith('tocsin-test-')) {
    const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    // Plain keys start with the prefix; BullMQ's start with it in braces (a Redis Cluster hash tag).
    for (const pattern of [`${prefix}*`, `{${prefix}*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    redis.disconnect();
  }
  const stops = (globalThis as { __TOCSIN_STOPS__?: Array<() => Promise<void>> }).__TOCSIN_STOPS__ ?? [];
  for (const stop of stops.reverse()) await stop();
}
