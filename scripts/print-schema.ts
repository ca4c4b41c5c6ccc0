import { join } from 'node:path';

/**
 * Writes the GraphQL schema, as the code-first resolvers declare it, to docs/schema.graphql
 * (`npm run schema`). A test fails when the committed file is stale, so the schema's
 * documentation in the repository is always the schema the api serves.
 */
async function main(): Promise<void> {
  const target = process.argv[2] ?? join(__dirname, '..', '..', 'docs', 'schema.graphql');
  process.env.TOCSIN_SCHEMA_FILE = target;
  process.env.DATABASE_URL ??= 'postgresql://unused@127.0.0.1:1/unused';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:1';
  const { createApiApp } = await import('../apps/api/src/main');
  const app = await createApiApp();
  await app.init();
  await app.close();
  console.log(`wrote ${target}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
