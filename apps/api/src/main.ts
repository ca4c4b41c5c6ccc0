import cluster from 'node:cluster';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { apiProcessCount, loadConfig } from '@tocsin/config';

/** The api as a Nest application (tests, scripts); loaded on demand, see create-app.ts. */
export async function createApiApp(): Promise<NestExpressApplication> {
  return (await import('./create-app')).createApiApp();
}

async function main(): Promise<void> {
  const processes = apiProcessCount(loadConfig());
  if (processes > 1 && cluster.isPrimary) {
    // Only the supervisor runs here; the application is loaded by the processes it forks.
    const { runPrimary } = await import('./cluster/primary');
    process.exit(await runPrimary({ processes }));
  }
  await (await import('./serve')).serveApi();
}

if (require.main === module) {
  main().catch((err) => {
    // eslint-disable-next-line no-console
    console.error(err);
    process.exit(1);
  });
}
