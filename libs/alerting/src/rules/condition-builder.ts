import { AppError } from '@tocsin/graphql';
import { parsePromDuration, parsePromQL, typeOf } from '@tocsin/promql';
import { z } from 'zod';

const level = z.object({
  threshold: z.number().finite(),
  recovery: z.number().finite().optional(),
});
const duration = z.string().min(1);

/** What the rule builder in the web app produces; compiled to PromQL the user can read. */
export const builderConditionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('threshold'),
    query: z.string().min(1),
    direction: z.enum(['above', 'below']),
    warning: level.optional(),
    critical: level.optional(),
  }),
  z.object({
    kind: z.literal('rate_of_change'),
    query: z.string().min(1),
    window: duration,
    mode: z.enum(['absolute', 'percent']),
    direction: z.enum(['up', 'down', 'either']),
    threshold: z.number().finite().nonnegative(),
    severity: z.string().min(1).optional(),
  }),
  z.object({
    kind: z.literal('no_data'),
    query: z.string().min(1),
    duration,
    /** Its own pending period: how long the data must stay absent before firing. */
    for: duration.optional(),
    severity: z.string().min(1).optional(),
  }),
  z.object({
    kind: z.literal('anomaly'),
    query: z.string().min(1),
    window: duration,
    k: z.number().positive().finite(),
    baseline: z.enum(['rolling', 'last_week']),
    severity: z.string().min(1).optional(),
  }),
]);
export type BuilderCondition = z.infer<typeof builderConditionSchema>;

export interface CompiledCondition {
  /** The alert fires for the series in this expression's result. */
  expr: string;
  /** Hysteresis: a firing series stays firing while it is in this result. */
  recoveryExpr: string | null;
  /** A pending period the condition itself implies (no-data), in ms. */
  forMs: number | null;
}

function durationMs(text: string, what: string): number {
  const ms = parsePromDuration(text);
  if (ms === null || ms <= 0)
    throw AppError.badInput(`${what} "${text}" is not a duration like 5m or 1h`);
  return ms;
}

function checkQuery(query: string): { isSelector: boolean } {
  let ast;
  try {
    ast = parsePromQL(query);
  } catch (err) {
    throw AppError.badInput(`The query does not parse: ${(err as Error).message}`);
  }
  if (typeOf(ast) !== 'vector') throw AppError.badInput('The query must return an instant vector');
  return { isSelector: ast.type === 'VectorSelector' && ast.offsetMs === 0 && !ast.at };
}

/** `x[w]` for a plain selector, a subquery `(x)[w:]` for anything else. */
function rangeOf(query: string, isSelector: boolean, window: string, offset?: string): string {
  const off = offset ? ` offset ${offset}` : '';
  return isSelector ? `${query}[${window}]${off}` : `(${query})[${window}:]${off}`;
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n);
}

function withSeverity(expr: string, severity: string | undefined): string {
  if (!severity) return expr;
  return `label_replace(${expr}, "severity", ${JSON.stringify(severity)}, "", "")`;
}

/** Compiles a builder condition to the PromQL that is stored, evaluated and shown. */
export function compileCondition(input: unknown): CompiledCondition {
  const compiled = compile(input);
  // The pieces were validated; this guards the composition itself.
  for (const expr of [compiled.expr, compiled.recoveryExpr]) {
    if (expr === null) continue;
    try {
      parsePromQL(expr);
    } catch (err) {
      throw AppError.badInput(
        `The condition compiles to invalid PromQL (${(err as Error).message}): ${expr}`,
      );
    }
  }
  return compiled;
}

function compile(input: unknown): CompiledCondition {
  const parsed = builderConditionSchema.safeParse(input);
  if (!parsed.success) {
    throw AppError.badInput(
      `Invalid condition: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'condition'}: ${i.message}`).join('; ')}`,
    );
  }
  const c = parsed.data;
  const { isSelector } = checkQuery(c.query);
  const q = isSelector ? c.query : `(${c.query})`;
  switch (c.kind) {
    case 'threshold': {
      if (!c.warning && !c.critical)
        throw AppError.badInput('A threshold condition needs a warning or a critical level');
      const above = c.direction === 'above';
      const cmp = above ? '>' : '<';
      const notPast = above ? '<=' : '>=';
      for (const [name, l] of [
        ['warning', c.warning],
        ['critical', c.critical],
      ] as const) {
        if (
          l?.recovery !== undefined &&
          (above ? l.recovery > l.threshold : l.recovery < l.threshold)
        ) {
          throw AppError.badInput(
            `The ${name} recovery threshold must be on the ${above ? 'lower' : 'upper'} side of its threshold`,
          );
        }
      }
      if (
        c.warning &&
        c.critical &&
        (above
          ? c.warning.threshold >= c.critical.threshold
          : c.warning.threshold <= c.critical.threshold)
      ) {
        throw AppError.badInput(
          `The critical threshold must be ${above ? 'above' : 'below'} the warning threshold`,
        );
      }
      const fire: string[] = [];
      const hold: string[] = [];
      // Each level is a band so one series is in at most one level at a time: a value past the
      // critical threshold is a critical alert, not a warning one as well.
      if (c.critical) {
        fire.push(withSeverity(`${q} ${cmp} ${num(c.critical.threshold)}`, 'critical'));
        hold.push(
          withSeverity(
            `${q} ${cmp} ${num(c.critical.recovery ?? c.critical.threshold)}`,
            'critical',
          ),
        );
      }
      if (c.warning) {
        const band = c.critical ? ` ${notPast} ${num(c.critical.threshold)}` : '';
        fire.push(withSeverity(`${q} ${cmp} ${num(c.warning.threshold)}${band}`, 'warning'));
        hold.push(
          withSeverity(
            `${q} ${cmp} ${num(c.warning.recovery ?? c.warning.threshold)}${band}`,
            'warning',
          ),
        );
      }
      const hasRecovery = c.warning?.recovery !== undefined || c.critical?.recovery !== undefined;
      return {
        expr: fire.join(' or '),
        recoveryExpr: hasRecovery ? hold.join(' or ') : null,
        forMs: null,
      };
    }
    case 'rate_of_change': {
      durationMs(c.window, 'The window');
      // Offset applies to selectors and subqueries only: an expression's past value comes from a
      // subquery's last point.
      const past = isSelector
        ? `(${q} offset ${c.window})`
        : `last_over_time(${q}[1m:] offset ${c.window})`;
      const diff =
        c.mode === 'absolute' ? `(${q} - ${past})` : `(100 * (${q} - ${past}) / abs(${past}))`;
      const t = num(c.threshold);
      const expr =
        c.direction === 'up'
          ? `${diff} > ${t}`
          : c.direction === 'down'
            ? `${diff} < -${t}`
            : `abs${diff} > ${t}`;
      return { expr: withSeverity(expr, c.severity), recoveryExpr: null, forMs: null };
    }
    case 'no_data': {
      durationMs(c.duration, 'The duration');
      if (!isSelector)
        throw AppError.badInput(
          'A no-data condition needs a plain series selector such as up{job="api"}',
        );
      return {
        expr: withSeverity(`absent_over_time(${c.query}[${c.duration}])`, c.severity),
        recoveryExpr: null,
        forMs: c.for ? durationMs(c.for, 'The pending period') : 0,
      };
    }
    case 'anomaly': {
      durationMs(c.window, 'The window');
      const offset = c.baseline === 'last_week' ? '1w' : undefined;
      const avg = `avg_over_time(${rangeOf(c.query, isSelector, c.window, offset)})`;
      const sd = `stddev_over_time(${rangeOf(c.query, isSelector, c.window, offset)})`;
      return {
        expr: withSeverity(`abs(${q} - ${avg}) > ${num(c.k)} * ${sd}`, c.severity),
        recoveryExpr: null,
        forMs: null,
      };
    }
  }
}
