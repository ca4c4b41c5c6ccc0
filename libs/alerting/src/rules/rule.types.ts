import { AppError } from '@tocsin/graphql';
import { parsePromDuration, parsePromQL, typeOf } from '@tocsin/promql';
import { DEFAULT_FLAP, type FlapSettings } from '../alerts/state-machine';
import { validateTemplate } from '../alerts/templates';
import { compileCondition, type BuilderCondition } from './condition-builder';

export type RuleKind = 'alerting' | 'recording';
/** What a rule does when its query has no data, or fails: fire, count as OK, or keep the last state. */
export type NoDataState = 'alerting' | 'ok' | 'keep_last';

/** A rule as the domain sees it, whatever it was made with (GraphQL, builder, YAML import). */
export interface RuleSpec {
  kind: RuleKind;
  name: string;
  expr: string;
  recoveryExpr: string | null;
  forMs: number;
  keepFiringForMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  condition: BuilderCondition | null;
  noDataState: NoDataState;
  errorState: NoDataState;
  flap: FlapSettings | null;
  enabled: boolean;
}

export interface RuleDraft {
  kind: RuleKind;
  name: string;
  expr?: string | null;
  condition?: unknown;
  for?: string | null;
  keepFiringFor?: string | null;
  labels?: Record<string, unknown> | null;
  annotations?: Record<string, unknown> | null;
  noDataState?: NoDataState | null;
  errorState?: NoDataState | null;
  flap?: Partial<{ enabled: boolean; maxChanges: number; window: string; hold: string }> | null;
  enabled?: boolean | null;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_INTERVAL_MS = 24 * 3600_000;

export function parseDurationInput(
  text: string | null | undefined,
  what: string,
  allowZero = true,
): number {
  if (text === null || text === undefined || text === '') return 0;
  const ms = parsePromDuration(text);
  if (ms === null || ms < 0 || (!allowZero && ms === 0))
    throw AppError.badInput(`${what} "${text}" is not a duration like 30s, 5m or 1h`);
  return ms;
}

export function parseInterval(text: string): number {
  const ms = parseDurationInput(text, 'The interval', false);
  if (ms < 1000 || ms > MAX_INTERVAL_MS)
    throw AppError.badInput('The interval must be between 1s and 24h');
  return ms;
}

/** Prometheus duration text for milliseconds: 90000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const units: [string, number][] = [
    ['w', 7 * 86400_000],
    ['d', 86400_000],
    ['h', 3600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = ms;
  let out = '';
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * size;
    }
  }
  return out;
}

export function checkExpr(expr: string, what = 'The expression'): void {
  let ast;
  try {
    ast = parsePromQL(expr);
  } catch (err) {
    throw AppError.badInput(`${what} does not parse: ${(err as Error).message}`);
  }
  const type = typeOf(ast);
  if (type !== 'vector' && type !== 'scalar')
    throw AppError.badInput(`${what} must return an instant vector or a scalar, not a ${type}`);
}

export function checkLabels(
  labels: Record<string, unknown> | null | undefined,
  what: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (!LABEL_NAME.test(k) || k.startsWith('__'))
      throw AppError.badInput(`${what}: "${k}" is not a valid label name`);
    if (typeof v !== 'string')
      throw AppError.badInput(`${what}: the value of "${k}" must be a string`);
    const err = validateTemplate(v);
    if (err) throw AppError.badInput(`${what}: the template of "${k}" is invalid: ${err}`);
    out[k] = v;
  }
  return out;
}

function checkFlap(flap: RuleDraft['flap']): FlapSettings | null {
  if (!flap) return null;
  const maxChanges = flap.maxChanges ?? DEFAULT_FLAP.maxChanges;
  if (!Number.isInteger(maxChanges) || maxChanges < 1 || maxChanges > 1000)
    throw AppError.badInput('flap.maxChanges must be an integer from 1 to 1000');
  return {
    enabled: flap.enabled ?? true,
    maxChanges,
    windowMs: flap.window
      ? parseDurationInput(flap.window, 'flap.window', false)
      : DEFAULT_FLAP.windowMs,
    holdMs: flap.hold ? parseDurationInput(flap.hold, 'flap.hold', false) : DEFAULT_FLAP.holdMs,
  };
}

/** Validates a rule from any source and compiles its builder condition. */
export function toRuleSpec(draft: RuleDraft): RuleSpec {
  const name = draft.name?.trim();
  if (!name) throw AppError.badInput('A rule needs a name');
  if (name.length > 200) throw AppError.badInput('A rule name is at most 200 characters');
  if (draft.kind === 'recording' && !METRIC_NAME.test(name))
    throw AppError.badInput(`"${name}" is not a valid metric name for a recording rule`);
  let expr = draft.expr?.trim() ?? '';
  let recoveryExpr: string | null = null;
  let forMs = parseDurationInput(draft.for, 'for');
  let condition: BuilderCondition | null = null;
  if (draft.condition !== undefined && draft.condition !== null) {
    if (draft.kind === 'recording')
      throw AppError.badInput('Builder conditions are for alerting rules');
    const compiled = compileCondition(draft.condition);
    condition = draft.condition as BuilderCondition;
    expr = compiled.expr;
    recoveryExpr = compiled.recoveryExpr;
    if (compiled.forMs !== null && !draft.for) forMs = compiled.forMs;
  }
  if (!expr) throw AppError.badInput('A rule needs an expression or a builder condition');
  checkExpr(expr);
  const keepFiringForMs = parseDurationInput(draft.keepFiringFor, 'keep_firing_for');
  if (draft.kind === 'recording' && (forMs || keepFiringForMs))
    throw AppError.badInput('Recording rules take no for or keep_firing_for');
  const annotations = checkLabels(draft.annotations, 'annotations');
  if (draft.kind === 'recording' && Object.keys(annotations).length)
    throw AppError.badInput('Recording rules take no annotations');
  return {
    kind: draft.kind,
    name,
    expr,
    recoveryExpr,
    forMs,
    keepFiringForMs,
    labels: checkLabels(draft.labels, 'labels'),
    annotations,
    condition,
    noDataState: draft.noDataState ?? 'ok',
    errorState: draft.errorState ?? 'keep_last',
    flap: checkFlap(draft.flap),
    enabled: draft.enabled ?? true,
  };
}
