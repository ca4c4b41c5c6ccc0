import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';

// The generated types are committed, so a fresh clone typechecks and builds without a codegen
// step. This keeps them honest: it regenerates from docs/schema.graphql and the documents into a
// temporary folder and compares. A failure means `npm run codegen` was not run after a change.

const root = join(__dirname, '..', '..', '..', '..');
const committed = join(root, 'apps', 'web', 'src', 'graphql', 'generated');

describe('generated GraphQL types', () => {
  let out = '';
  afterAll(() => out && rmSync(out, { recursive: true, force: true }));

  it('match the schema and the documents', () => {
    out = mkdtempSync(join(tmpdir(), 'tocsin-codegen-'));
    const config = load(readFileSync(join(root, 'apps', 'web', 'codegen.yml'), 'utf8')) as {
      generates: Record<string, unknown>;
    };
    const [target] = Object.values(config.generates);
    config.generates = { [`${out}/`]: target };
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
    const files = readdirSync(committed).sort();
    expect(
      readdirSync(out)
        .filter((f) => f !== 'codegen.json')
        .sort(),
    ).toEqual(files);
    for (const file of files) {
      // Compared file by file so the failure names the stale one.
      expect({ file, text: readFileSync(join(out, file), 'utf8') }).toEqual({
        file,
        text: readFileSync(join(committed, file), 'utf8'),
      });
    }
  }, 60_000);
});
