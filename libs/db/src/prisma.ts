import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type Db = PrismaClient;
/** The client handed to code inside a transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export function createPrismaClient(connectionString: string, poolSize = 10): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: poolSize });
  return new PrismaClient({ adapter });
}

export interface ScopeOptions {
  /** Some sign-in flows act as a user before an organization is chosen. */
  userId?: string;
  timeoutMs?: number;
}

/**
 * Runs `fn` in one interactive transaction whose row-level-security settings name the
 * organization (and optionally the user). `set_config(…, true)` lasts for this transaction only,
 * so a pooled connection never carries a tenant into someone else's request. The batch
 * `$transaction([...])` form cannot be used here: it does not roll back reliably with adapters.
 */
export async function withOrg<T>(
  prisma: PrismaClient,
  orgId: string | null,
  fn: (tx: Tx) => Promise<T>,
  options: ScopeOptions = {},
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`select set_config('app.org_id', ${orgId ?? ''}, true), set_config('app.user_id', ${options.userId ?? ''}, true)`;
      return fn(tx);
    },
    { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000 },
  );
}
