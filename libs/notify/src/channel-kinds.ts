import { z } from 'zod';
import { notifiers, notifierFor } from './providers/registry';
import { secretFields } from './secrets/secret-field';
import { resolveTemplates } from './templates/default-templates';

/** What the web needs to draw a channel form: the JSON Schema of the config and the defaults. */
export interface ChannelKindDescription {
  kind: string;
  label: string;
  /** JSON Schema (draft 2020-12) of the config as entered; secret fields carry `"secret": true`. */
  configSchema: Record<string, unknown>;
  secretFields: string[];
  defaultTemplates: { title: string; body: string };
}

export function describeChannelKind(kind: string): ChannelKindDescription | undefined {
  const n = notifierFor(kind);
  if (!n) return undefined;
  return {
    kind: n.kind,
    label: n.label,
    configSchema: z.toJSONSchema(n.configSchema, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >,
    secretFields: secretFields(n.configSchema),
    defaultTemplates: resolveTemplates(n.defaultTemplates, null),
  };
}

export function describeChannelKinds(): ChannelKindDescription[] {
  return notifiers.map((n) => describeChannelKind(n.kind)!);
}
