import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

// prisma migrate diff cannot run offline (STACK.md), so this test does its job: it reads
// schema.prisma and fails when the migrated database disagrees with it — a model without its
// table, a field without its column (or with another type or nullability), or a column the
// model does not know (a generated migration would drop it).

/** Tables managed by hand-written SQL only, never by Prisma: the time-series store. */
const UNMODELLED = /^(_prisma_migrations|series|metric_metadata|tsdb_.*|samples(_\w+)?|sample_log|sample_chunks(_\w+)?|sample_days(_\w+)?|rollup_1[mh](_\w+)?)$/;

interface FieldDef {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  dbType?: string;
}
interface ModelDef {
  name: string;
  table: string;
  fields: FieldDef[];
}

function parseSchema(text: string): { models: ModelDef[]; enums: Set<string> } {
  const enums = new Set([...text.matchAll(/^enum\s+(\w+)\s*\{/gm)].map((m) => m[1]));
  const modelNames = new Set([...text.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]));
  const models: ModelDef[] = [];
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const [, name, body] = m;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name;
    const fields: FieldDef[] = [];
    for (const raw of body.split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line || line.startsWith('@@')) continue;
      const f = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!f) continue;
      const [, fieldName, type, list, optional, attrs] = f;
      if (modelNames.has(type) || attrs.includes('@ignore')) continue;
      fields.push({
        name: fieldName,
        column: /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? fieldName,
        type,
        optional: !!optional,
        list: !!list,
        dbType: /@db\.(\w+)/.exec(attrs)?.[1],
      });
    }
    models.push({ name, table, fields });
  }
  return { models, enums };
}

function expectedUdt(field: FieldDef, enums: Set<string>): string[] {
  if (enums.has(field.type)) return [field.type];
  if (field.dbType === 'Uuid') return ['uuid'];
  const byType: Record<string, string[]> = {
    String: ['text', 'varchar', 'bpchar'],
    Int: ['int4'],
    BigInt: ['int8'],
    Float: ['float8'],
    Decimal: ['numeric'],
    Boolean: ['bool'],
    DateTime: field.dbType === 'Date' ? ['date'] : ['timestamptz', 'timestamp'],
    Json: ['jsonb', 'json'],
    Bytes: ['bytea'],
  };
  return byType[field.type] ?? [field.type];
}

describe('schema.prisma matches the migrated database', () => {
  let client: Client;
  const { models, enums } = parseSchema(readFileSync(join(__dirname, '..', '..', '..', 'prisma', 'schema.prisma'), 'utf8'));
  let columns: Map<string, Map<string, { udt: string; nullable: boolean }>>;

  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
      `select c.table_name, c.column_name, c.udt_name, c.is_nullable
         from information_schema.columns c
         join pg_class t on t.relname = c.table_name
         join pg_namespace n on n.oid = t.relnamespace and n.nspname = c.table_schema
        where c.table_schema = 'public' and t.relkind in ('r', 'p') and not t.relispartition`,
    );
    columns = new Map();
    for (const r of rows) {
      if (!columns.has(r.table_name)) columns.set(r.table_name, new Map());
      columns.get(r.table_name)!.set(r.column_name, { udt: r.udt_name, nullable: r.is_nullable === 'YES' });
    }
  });

  afterAll(() => client.end());

  it('parses the models', () => {
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(['Organization', 'User', 'Membership', 'ApiKey']));
  });

  it('has a table for every model and a model for every table', () => {
    const modelled = new Set(models.map((m) => m.table));
    expect(models.filter((m) => !columns.has(m.table)).map((m) => m.table)).toEqual([]);
    expect([...columns.keys()].filter((t) => !modelled.has(t) && !UNMODELLED.test(t)).sort()).toEqual([]);
  });

  it('has every field as a column of the right type and nullability, and no extra columns', () => {
    const problems: string[] = [];
    for (const model of models) {
      const cols = columns.get(model.table);
      if (!cols) continue;
      for (const f of model.fields) {
        const col = cols.get(f.column);
        if (!col) {
          problems.push(`${model.table}.${f.column}: missing (field ${model.name}.${f.name})`);
          continue;
        }
        const udt = f.list ? col.udt.replace(/^_/, '') : col.udt;
        if (f.list !== col.udt.startsWith('_')) problems.push(`${model.table}.${f.column}: list-ness differs`);
        if (!expectedUdt(f, enums).includes(udt)) problems.push(`${model.table}.${f.column}: ${col.udt} but the model says ${f.type}${f.dbType ? ` @db.${f.dbType}` : ''}`);
        // Prisma creates scalar lists as nullable columns even when the field is required.
        if (!f.list && col.nullable !== f.optional) problems.push(`${model.table}.${f.column}: nullable=${col.nullable} but optional=${f.optional}`);
      }
      const known = new Set(model.fields.map((f) => f.column));
      for (const name of cols.keys()) if (!known.has(name)) problems.push(`${model.table}.${name}: column not in the model`);
    }
    expect(problems).toEqual([]);
  });

  it('has every enum as a PostgreSQL type', async () => {
    const { rows } = await client.query<{ typname: string }>(`select typname from pg_type where typtype = 'e'`);
    const present = new Set(rows.map((r) => r.typname));
    expect([...enums].filter((e) => !present.has(e))).toEqual([]);
  });
});
