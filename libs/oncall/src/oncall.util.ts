import { Prisma, type Tx } from '@tocsin/db';
import { AppError } from '@tocsin/graphql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

/** Ids from outside are checked before they reach SQL, so a malformed one is NOT_FOUND, not a crash. */
export function requireUuid(v: unknown, what: string): string {
  if (!isUuid(v)) throw AppError.notFound(what);
  return v;
}

/** zod issues as one BAD_USER_INPUT error. */
export function zodInput<T>(
  result:
    | { success: true; data: T }
    | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } },
): T {
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`,
  );
  throw AppError.badInput(issues.join('; '), { issues });
}

/** Every user id must belong to the organization: a page never reaches a stranger. */
export async function assertMembers(tx: Tx, orgId: string, userIds: string[]): Promise<void> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return;
  for (const id of unique) requireUuid(id, 'User');
  const found = await tx.membership.findMany({
    where: { orgId, userId: { in: unique } },
    select: { userId: true },
  });
  if (found.length !== unique.length) {
    const known = new Set(found.map((m) => m.userId));
    throw AppError.badInput(
      `Not members of this organization: ${unique.filter((u) => !known.has(u)).join(', ')}`,
    );
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

export const json = (v: unknown): Prisma.InputJsonValue => v as Prisma.InputJsonValue;
