// node-pg turns a JS array into an array literal with String(), which writes -0 as "0". These
// write the literal directly (also cheaper for large batches).

/** A float8[] literal; null entries become NULL. Shortest round-trip decimal, -0 kept. */
export function float8ArrayLiteral(values: ArrayLike<number | null>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = float8Text(values[i]);
  return `{${parts.join(',')}}`;
}

export function float8Text(v: number | null): string {
  if (v === null) return 'NULL';
  if (v === 0 && 1 / v < 0) return '-0';
  return String(v);
}

/** A bigint[] literal from integral numbers. */
export function int8ArrayLiteral(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = String(values[i]);
  return `{${parts.join(',')}}`;
}
