/** Bad input from a caller (labels, timestamps, matchers, ranges): maps to HTTP 400. */
export class TsdbInputError extends Error {
  override readonly name = 'TsdbInputError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertOrgId(orgId: string): void {
  if (typeof orgId !== 'string' || !UUID.test(orgId))
    throw new TsdbInputError(`invalid organization id ${String(orgId)}`);
}

export function assertRange(start: number, end: number): void {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    throw new TsdbInputError(`invalid time range ${start} .. ${end}`);
  }
}
