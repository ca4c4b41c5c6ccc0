import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// docs/schema.graphql is the schema's documentation in the repository; it must be the schema
// the api serves. When this fails, run `npm run schema` and commit the file.
describe('docs/schema.graphql', () => {
  it('is the schema the api serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-schema-'));
    const printed = join(dir, 'schema.graphql');
    const previous = process.env.TOCSIN_SCHEMA_FILE;
    process.env.TOCSIN_SCHEMA_FILE = printed;
    try {
      const { createApiApp } = await import('../../apps/api/src/main');
      const app = await createApiApp();
      await app.init();
      await app.close();
      const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'schema.graphql'), 'utf8');
      expect(readFileSync(printed, 'utf8')).toBe(committed);
    } finally {
      if (previous === undefined) delete process.env.TOCSIN_SCHEMA_FILE;
      else process.env.TOCSIN_SCHEMA_FILE = previous;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
