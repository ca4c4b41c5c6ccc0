import { z } from 'zod';

/** A config field that is encrypted at rest and masked in every API answer. */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ secret: true, writeOnly: true }) as T;
}

/** What the API shows in place of a stored secret; sending it back keeps the stored value. */
export const SECRET_MASK = '••••••••';

/** The top-level fields of an object schema marked with `secret()`. */
export function secretFields(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([, field]) => isSecret(field))
    .map(([name]) => name);
}

function isSecret(field: z.ZodType): boolean {
  let current: z.ZodType | undefined = field;
  // Optional/default wrappers carry their own (empty) metadata; look through them.
  for (let i = 0; current && i < 5; i++) {
    if ((current.meta() as { secret?: boolean } | undefined)?.secret) return true;
    const def: { innerType?: z.ZodType } | undefined = (
      current as unknown as { def?: { innerType?: z.ZodType } }
    ).def;
    current = def?.innerType;
  }
  return false;
}
