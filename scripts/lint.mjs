// `npm run lint`: refreshes Nx's project graph, then runs ESLint over the repo.
// @nx/enforce-module-boundaries reads the *cached* graph and silently skips itself when there is
// none (a fresh clone) or judges new files by a stale one, so the graph is rebuilt first.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.env.NX_DAEMON ??= 'false';
process.env.NX_NO_CLOUD ??= 'true';
process.chdir(root);

const { createProjectGraphAsync } = await import('@nx/devkit');
await createProjectGraphAsync({ exitOnError: true });

const args = process.argv.slice(2);
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
    '--max-warnings',
    '0',
    ...(args.length ? args : ['.']),
  ],
  { stdio: 'inherit', env: process.env },
);
process.exit(result.status ?? 1);
