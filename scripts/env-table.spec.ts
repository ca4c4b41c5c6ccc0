import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { configSchema } from '@tocsin/config';
import {
  isDocumented,
  extractEnvSection,
  renderEnvTable,
  replaceEnvSection,
  sameTable,
} from './env-table';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README environment table', () => {
  it('matches libs/config (run `npm run env-table` after changing the schema)', () => {
    const section = extractEnvSection(readme);
    expect(section).not.toBeNull();
    expect(sameTable(section!, renderEnvTable())).toBe(true);
  });

  it('has a row for every variable of the config schema', () => {
    const section = extractEnvSection(readme)!;
    for (const name of Object.keys(configSchema.shape)) {
      expect(section).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
    }
  });

  it('notices a changed description, but not re-padded cells', () => {
    const table = renderEnvTable();
    const padded = table.replace(/\| /g, '|   ');
    expect(sameTable(table, padded)).toBe(true);
    const edited = table.replace('Key prefix for queues', 'Key prefix for queues (edited)');
    expect(edited).not.toBe(table);
    expect(sameTable(table, edited)).toBe(false);
  });

  it('replaces only the text between the markers', () => {
    const updated = replaceEnvSection(readme, 'TABLE');
    expect(extractEnvSection(updated)).toBe('TABLE');
    expect(updated.split('<!-- env-table:end -->')[1]).toBe(
      readme.split('<!-- env-table:end -->')[1],
    );
  });
});

describe('every environment variable the code reads is documented', () => {
  const skipDirs = new Set(['node_modules', 'dist', '.next', 'generated', '.data', 'coverage']);
  function* sources(dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skipDirs.has(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) yield* sources(full);
      else if (/\.(ts|tsx|mjs|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        yield full;
    }
  }

  it('in apps, libs, scripts, test and bench', () => {
    const undocumented: string[] = [];
    const read = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g;
    for (const top of ['apps', 'libs', 'scripts', 'test', 'bench']) {
      let files: string[];
      try {
        files = [...sources(join(root, top))];
      } catch {
        continue; // the folder does not exist (yet)
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(read)) {
          const name = m[1] ?? m[2];
          // Variables the test harness sets for itself and reads back, never set by people.
          if (name.startsWith('TOCSIN_TEST_') && name !== 'TOCSIN_TEST_STEP_TIMEOUT_MS') continue;
          if (!isDocumented(name)) undocumented.push(`${name} (${relative(root, file)})`);
        }
      }
    }
    // A new variable belongs in libs/config's schema (runtime) or in OTHER_VARIABLES of
    // scripts/env-table.ts (tooling, tests, web), then `npm run env-table`.
    expect(undocumented).toEqual([]);
  });
});
