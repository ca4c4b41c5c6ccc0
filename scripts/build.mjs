// Compiles the Node side (apps/api, apps/worker, apps/agent, libs, scripts) to dist/ with swc,
// keeping the source layout so relative paths (migrations, generated client) still resolve.
// swc rather than tsc: NestJS needs decorator metadata, and swc emits it in about a second;
// type checking is `npm run typecheck`.
import { transformFile } from '@swc/core';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
const sources = ['apps/api/src', 'apps/worker/src', 'apps/agent/src', 'libs', 'scripts', 'bench'];
const skip = /\.(spec|int-spec|e2e-spec)\.ts$|\.d\.ts$/;

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) yield full;
  }
}

rmSync(out, { recursive: true, force: true });
const files = sources.filter((s) => existsSync(join(root, s))).flatMap((s) => [...walk(join(root, s))]);
const started = Date.now();
await Promise.all(
  files.map(async (file) => {
    const { code, map } = await transformFile(file, {
      ...swcrc,
      swcrc: false,
      filename: file,
      sourceMaps: true,
      jsc: { ...swcrc.jsc, baseUrl: root, paths: compilerOptions.paths },
    });
    const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) writeFileSync(`${target}.map`, map);
  }),
);
console.log(`built ${files.length} files into dist/ in ${Date.now() - started} ms`);
