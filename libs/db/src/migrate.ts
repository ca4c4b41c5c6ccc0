import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export interface MigrateOptions {
  /** URL of the role that will own the tables. */
  ownerUrl: string;
  migrationsDir: string;
  appRole: string;
  appPassword: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies `prisma/migrations/<name>/migration.sql` in order and records each in Prisma's own
 * `_prisma_migrations` table, so a machine with Prisma's schema engine can take over with
 * `prisma migrate deploy` (it cannot run offline, see STACK.md). A checksum mismatch on an
 * applied migration stops the run, as Prisma does. Then it makes sure the app role exists
 * without ownership or BYPASSRLS and may use every table.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const client = new Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    // One migrator at a time across api replicas and test workers.
    await client.query('select pg_advisory_lock(7287001)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `select migration_name, checksum from _prisma_migrations
        where finished_at is not null and rolled_back_at is null`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const names = existsSync(options.migrationsDir)
      ? readdirSync(options.migrationsDir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(options.migrationsDir, d.name, 'migration.sql')))
          .map((d) => d.name)
          .sort()
      : [];
    const applied: string[] = [];
    for (const name of names) {
      const sql = readFileSync(join(options.migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(`Migration ${name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `insert into _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count)
           values ($1, $2, now(), $3, 1)`,
          [id, checksum, name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${(err as Error).message}`);
      }
      log(`applied migration ${name}`);
      applied.push(name);
    }
    await ensureAppRole(client, options.appRole, options.appPassword);
    return { applied, alreadyApplied: names.length - applied.length };
  } finally {
    await client.query('select pg_advisory_unlock(7287001)').catch(() => undefined);
    await client.end();
  }
}

async function ensureAppRole(client: Client, role: string, password: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`Invalid role name ${role}`);
  const ident = `"${role}"`;
  const lit = `'${password.replace(/'/g, "''")}'`;
  const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [role]);
  if (!rowCount) {
    // Roles are cluster-wide, so parallel test databases may race to create it.
    await client.query(`CREATE ROLE ${ident} LOGIN PASSWORD ${lit} NOSUPERUSER NOBYPASSRLS`).catch((err: { code?: string }) => {
      if (err.code !== '42710' && err.code !== '23505') throw err;
    });
  }
  await client.query(`ALTER ROLE ${ident} NOSUPERUSER NOBYPASSRLS`);
  const db = (await client.query<{ db: string }>('select current_database() as db')).rows[0].db;
  await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${db.replace(/"/g, '""')}" TO ${ident}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${ident}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${ident}`);
  await client.query(`REVOKE ALL ON "_prisma_migrations" FROM ${ident}`);
  // RLS policies of a partitioned table do not apply when a partition is queried by name, so the
  // app role reaches partitioned data only through the parent.
  const partitions = await client.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relispartition and c.relkind in ('r', 'p')`,
  );
  for (const { name } of partitions.rows) await client.query(`REVOKE ALL ON ${name} FROM ${ident}`);
  await client.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${ident}`);
  await client.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${ident}`);
}
