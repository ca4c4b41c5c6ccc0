import yaml from 'js-yaml';
import { AppError } from '@tocsin/graphql';
import {
  checkLabels,
  formatDuration,
  parseInterval,
  toRuleSpec,
  type RuleSpec,
} from './rule.types';

export interface GroupSpec {
  name: string;
  intervalMs: number;
  labels: Record<string, string>;
  rules: RuleSpec[];
}

const MAX_YAML_BYTES = 2 * 1024 * 1024;
const DEFAULT_INTERVAL_MS = 60_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const RULE_KEYS = new Set([
  'alert',
  'record',
  'expr',
  'for',
  'keep_firing_for',
  'labels',
  'annotations',
]);
const GROUP_KEYS = new Set(['name', 'interval', 'labels', 'rules', 'limit', 'query_offset']);

/** Parses a Prometheus rule file (`groups:` …), as strictly as Prometheus does. */
export function parsePrometheusRules(text: string): GroupSpec[] {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES)
    throw AppError.badInput('The rule file is larger than 2 MiB');
  let doc: unknown;
  try {
    // The core schema: plain data, no custom tags or functions.
    doc = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    throw AppError.badInput(`The rule file is not valid YAML: ${(err as Error).message}`);
  }
  if (!isRecord(doc) || !Array.isArray(doc.groups))
    throw AppError.badInput('A rule file has a top-level "groups:" list');
  const seen = new Set<string>();
  return doc.groups.map((g, gi) => {
    const where = `groups[${gi}]`;
    if (!isRecord(g)) throw AppError.badInput(`${where} is not a mapping`);
    for (const k of Object.keys(g))
      if (!GROUP_KEYS.has(k)) throw AppError.badInput(`${where}: unknown field "${k}"`);
    if (typeof g.name !== 'string' || !g.name.trim())
      throw AppError.badInput(`${where} needs a name`);
    if (seen.has(g.name)) throw AppError.badInput(`The group name "${g.name}" appears twice`);
    seen.add(g.name);
    if (!Array.isArray(g.rules)) throw AppError.badInput(`${where} (${g.name}) needs a rules list`);
    const rules = g.rules.map((r, ri) => {
      const rw = `${g.name} rules[${ri}]`;
      if (!isRecord(r)) throw AppError.badInput(`${rw} is not a mapping`);
      for (const k of Object.keys(r))
        if (!RULE_KEYS.has(k)) throw AppError.badInput(`${rw}: unknown field "${k}"`);
      const isAlert = typeof r.alert === 'string';
      const isRecord_ = typeof r.record === 'string';
      if (isAlert === isRecord_)
        throw AppError.badInput(`${rw} needs exactly one of "alert" or "record"`);
      if (typeof r.expr !== 'string' && typeof r.expr !== 'number')
        throw AppError.badInput(`${rw} needs an expr`);
      try {
        return toRuleSpec({
          kind: isAlert ? 'alerting' : 'recording',
          name: String(isAlert ? r.alert : r.record),
          expr: String(r.expr),
          for: r.for === undefined ? null : String(r.for),
          keepFiringFor: r.keep_firing_for === undefined ? null : String(r.keep_firing_for),
          labels: isRecord(r.labels)
            ? stringify(r.labels)
            : r.labels == null
              ? {}
              : invalid(`${rw}: labels must be a mapping`),
          annotations: isRecord(r.annotations)
            ? stringify(r.annotations)
            : r.annotations == null
              ? {}
              : invalid(`${rw}: annotations must be a mapping`),
        });
      } catch (err) {
        if (err instanceof AppError) throw AppError.badInput(`${rw}: ${err.message}`);
        throw err;
      }
    });
    return {
      name: g.name.trim(),
      intervalMs:
        g.interval === undefined ? DEFAULT_INTERVAL_MS : parseInterval(String(g.interval)),
      labels: checkLabels(isRecord(g.labels) ? stringify(g.labels) : {}, `${g.name} labels`),
      rules,
    };
  });
}

function invalid(message: string): never {
  throw AppError.badInput(message);
}

/** YAML reads `severity: 1` as a number; Prometheus label values are strings. */
function stringify(m: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(m).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]),
  );
}

/**
 * Writes a Prometheus rule file. Builder rules export their compiled PromQL; Tocsin-only
 * settings (hysteresis, no-data and error modes, flap detection) have no Prometheus field and
 * are left out, so the file loads in Prometheus unchanged.
 */
export function toPrometheusYaml(groups: GroupSpec[]): string {
  const doc = {
    groups: groups.map((g) => ({
      name: g.name,
      interval: formatDuration(g.intervalMs),
      ...(Object.keys(g.labels).length ? { labels: g.labels } : {}),
      rules: g.rules.map((r) => {
        const base: Record<string, unknown> =
          r.kind === 'alerting'
            ? { alert: r.name, expr: r.expr }
            : { record: r.name, expr: r.expr };
        if (r.kind === 'alerting' && r.forMs) base.for = formatDuration(r.forMs);
        if (r.kind === 'alerting' && r.keepFiringForMs)
          base.keep_firing_for = formatDuration(r.keepFiringForMs);
        if (Object.keys(r.labels).length) base.labels = r.labels;
        if (r.kind === 'alerting' && Object.keys(r.annotations).length)
          base.annotations = r.annotations;
        return base;
      }),
    })),
  };
  return yaml.dump(doc, { lineWidth: -1, noRefs: true });
}
