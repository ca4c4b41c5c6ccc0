import { join } from 'node:path';
import { APP_ROLE, loadConfig } from '@tocsin/config';
import { migrate } from '@tocsin/db';

/**
 * Applies migrations (as the owner role) and, unless TOCSIN_SEED_DEMO=false, makes sure the
 * demo organization and its user exist. Used by `npm start` and the migrate container.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const root = join(__dirname, '..', '..');
  const result = await migrate({
    ownerUrl: config.DATABASE_URL,
    migrationsDir: join(root, 'prisma', 'migrations'),
    appRole: APP_ROLE,
    appPassword: config.DATABASE_APP_PASSWORD,
    log: (line) => console.log(line),
  });
  console.log(`migrations: ${result.applied.length} applied, ${result.alreadyApplied} already in place`);
  if (process.env.TOCSIN_SEED_DEMO === 'false') return;
  const { seedDemo } = await import('./seed-demo');
  const demo = await seedDemo();
  console.log('');
  console.log(`  Tocsin web:  ${config.PUBLIC_WEB_URL}`);
  console.log(`  Log in as:   ${demo.email}  /  ${demo.password}   (organization "${demo.organization}")`);
  console.log(`  GraphQL:     ${config.PUBLIC_API_URL}/graphql`);
  console.log('');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
