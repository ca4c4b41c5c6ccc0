import { z } from 'zod';

/** Prometheus's relabel_config, in its YAML field names. */
export const relabelConfigSchema = z
  .object({
    action: z.enum(['replace', 'keep', 'drop', 'labelmap', 'labeldrop', 'labelkeep']).default('replace'),
    source_labels: z.array(z.string()).default([]),
    separator: z.string().default(';'),
    regex: z.string().default('(.*)'),
    target_label: z.string().optional(),
    replacement: z.string().default('$1'),
  })
  .superRefine((c, ctx) => {
    if (c.action === 'replace' && !c.target_label) ctx.addIssue({ code: 'custom', message: 'replace needs target_label' });
    try {
      new RegExp(`^(?:${c.regex})$`);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `invalid regex: ${(e as Error).message}` });
    }
  });
export type RelabelConfig = z.output<typeof relabelConfigSchema>;

export interface CompiledRelabel extends RelabelConfig {
  re: RegExp;
}

export function compileRelabelConfigs(input: unknown): CompiledRelabel[] {
  const parsed = z.array(relabelConfigSchema).parse(input ?? []);
  return parsed.map((c) => ({ ...c, re: new RegExp(`^(?:${c.regex})$`) }));
}

/** Prometheus writes `${1}` and `$name`; JavaScript wants `$1` and `$<name>`. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced: string | undefined, bare: string | undefined) => {
    const key = braced ?? bare!;
    if (/^\d+$/.test(key)) return match[Number(key)] ?? '';
    return match.groups?.[key] ?? '';
  });
}

/**
 * Applies relabel configs in order; returns the new labels, or null when the series is dropped.
 * Labels whose value ends up empty are removed, as Prometheus does.
 */
export function relabel(labels: Record<string, string>, configs: CompiledRelabel[]): Record<string, string> | null {
  let ls = { ...labels };
  for (const c of configs) {
    const source = c.source_labels.map((n) => ls[n] ?? '').join(c.separator);
    c.re.lastIndex = 0;
    switch (c.action) {
      case 'keep':
        if (!c.re.test(source)) return null;
        break;
      case 'drop':
        if (c.re.test(source)) return null;
        break;
      case 'replace': {
        const m = c.re.exec(source);
        if (!m) break;
        const target = expand(c.target_label!, m);
        const value = expand(c.replacement, m);
        if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(target)) break;
        if (value === '') delete ls[target];
        else ls[target] = value;
        break;
      }
      case 'labelmap': {
        const next = { ...ls };
        for (const [k, v] of Object.entries(ls)) {
          const m = c.re.exec(k);
          if (m) next[expand(c.replacement, m)] = v;
        }
        ls = next;
        break;
      }
      case 'labeldrop':
        for (const k of Object.keys(ls)) if (c.re.test(k)) delete ls[k];
        break;
      case 'labelkeep':
        for (const k of Object.keys(ls)) if (!c.re.test(k)) delete ls[k];
        break;
    }
  }
  for (const [k, v] of Object.entries(ls)) if (v === '') delete ls[k];
  return ls.__name__ ? ls : null;
}
