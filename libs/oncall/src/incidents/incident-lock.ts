import type { Tx } from '@tocsin/db';

/**
 * Locks the incident row for the rest of the transaction. Every path that changes an incident's
 * state, and every path that records a page, takes this lock first: that is what orders a page
 * strictly before or strictly after an acknowledgement.
 */
export async function lockIncident(tx: Tx, orgId: string, id: string) {
  const rows = await tx.$queryRaw<
    Array<{ id: string }>
  >`SELECT id FROM oncall_incidents WHERE id = ${id}::uuid AND org_id = ${orgId}::uuid FOR UPDATE`;
  if (!rows.length) return null;
  return tx.oncallIncident.findFirst({ where: { id, orgId } });
}

export type IncidentRow = NonNullable<Awaited<ReturnType<typeof lockIncident>>>;
