import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';

// The generated types are committed, so a fresh clone typechecks and builds without a codegen
// step. This keeps them honest: it regenerates from docs/schema.graphql and the documents into a
// temporary folder and compares. A failure means `npm run codegen` was not run after a change.

const root = join(__dirname, '..', '..', '..', '..');
const committed = join(root, 'apps', 'web', 'src', 'graphql', 'generated', 'graphql.ts');

describe('generated GraphQL types', () => {
  let out = '';
  afterAll(() => out && rmSync(out, { recursive: true, force: true }));

  it('match the schema and the documents', () => {
    out = mkdtempSync(join(tmpdir(), 'tocsin-codegen-'));
    const config = load(readFileSync(join(root, 'apps', 'web', 'codegen.yml'), 'utf8')) as {
      generates: Record<string, unknown>;
    };
    const [target] = Object.values(config.generates);
    config.generates = { [join(out, 'graphql.ts')]: target };
    writeFileSync(join(out, 'codegen.json'), JSON.stringify(config));
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'),
        '--config',
        join(out, 'codegen.json'),
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.stderr + (run.status === 0 ? '' : run.stdout)).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    // toBe on the whole text would print a 2,700-line diff; the first differing line says enough.
    const fresh = readFileSync(join(out, 'graphql.ts'), 'utf8').split('\n');
    const kept = readFileSync(committed, 'utf8').split('\n');
    const first = fresh.findIndex((line, i) => line !== kept[i]);
    expect({
      firstDifferentLine: first < 0 && fresh.length === kept.length ? null : first + 1,
      fresh: fresh[first],
      committed: kept[first],
    }).toEqual({ firstDifferentLine: null, fresh: undefined, committed: undefined });
  }, 60_000);
});
