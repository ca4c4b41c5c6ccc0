import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL, withOrgClient, type Prisma } from '@tocsin/db';
import { createEngine, parsePromQL, type Expr, type PromQLEngine } from '@tocsin/promql';
import type { SeriesReader } from '@tocsin/tsdb';
import { resultToSamples, type LabelSources } from '../alerts/alert-labels';
import { stepInputFor, type QueryOutcome } from '../alerts/data-modes';
import { AlertTransitionSink, type AlertTransition } from '../alerts/alert-transition';
import {
  DEFAULT_FLAP,
  stepRule,
  type AlertSnapshot,
  type AlertState,
  type FlapSettings,
  type StepInput,
} from '../alerts/state-machine';
import { renderAll } from '../alerts/templates';
import type { NoDataState } from '../rules/rule.types';
import { instantSelects, PrefetchedReader, type SelectRequest } from './group-reader';
import { alignedInstant } from './evaluation-scheduler.service';
import { TransitionOutbox } from './transition-outbox.service';
import { ALERTING_READER, RECORDING_WRITER, type RecordingWriter } from './evaluation.tokens';

export interface GroupEvaluation {
  status: 'evaluated' | 'skipped' | 'missing';
  ts: number;
  rules: number;
  transitions: number;
  durationMs: number;
}

type RuleRow = Prisma.RuleGetPayload<object>;
type InstanceRow = Prisma.AlertInstanceGetPayload<object>;

/**
 * Locks the group row for the whole evaluation and reads a digest of its rules' rows in the
 * same statement: the cached rule list is reused while the digest is unchanged, so an edit by
 * any writer (API, import, SQL) is seen at the next evaluation without an invalidation message.
 */
const LOCK_GROUP_SQL = `
SELECT g.id, g.interval_ms, g.labels, g.last_eval_at,
  (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r.id), ''))
     FROM rules r WHERE r.org_id = g.org_id AND r.group_id = g.id) AS rules_digest
FROM rule_groups g WHERE g.id = $1::uuid AND g.org_id = $2::uuid FOR UPDATE OF g`;

const RULES_SQL = `
SELECT id, org_id AS "orgId", group_id AS "groupId", kind, name, expr,
  recovery_expr AS "recoveryExpr", for_ms AS "forMs", keep_firing_for_ms AS "keepFiringForMs",
  labels, annotations, condition, no_data_state AS "noDataState", error_state AS "errorState",
  flap, enabled, position, last_error AS "lastError", created_at AS "createdAt",
  updated_at AS "updatedAt",
  (SELECT md5(coalesce(string_agg(r::text, ',' ORDER BY r.id), ''))
     FROM rules r WHERE r.org_id = $1::uuid AND r.group_id = $2::uuid) AS digest
FROM rules WHERE org_id = $1::uuid AND group_id = $2::uuid ORDER BY position, created_at`;

const INSTANCES_SQL = `
SELECT id, org_id AS "orgId", rule_id AS "ruleId", fingerprint, labels, annotations, state,
  active_since AS "activeSince", fired_at AS "firedAt", resolved_at AS "resolvedAt",
  last_value AS "lastValue", last_eval AS "lastEval", keep_firing_until AS "keepFiringUntil",
  flapping, flap_hold_until AS "flapHoldUntil", flap_state AS "flapState", severity,
  updated_at AS "updatedAt"
FROM alert_instances WHERE org_id = $1::uuid AND rule_id = ANY($2::uuid[])`;

/**
 * Every changed alert instance and every transition's history row (the outbox entry, undispatched)
 * of the whole group in one statement: one round trip per evaluation however many rules and
 * alerts changed. The history rows' foreign key to alert_instances is checked at the end of the
 * statement, after the upsert. `recorded_at` is the statement's time, not the transaction's: the
 * outbox sweeper's age counts from it, and this runs just before the commit.
 */
const WRITE_STATES_SQL = `
WITH up AS (
  INSERT INTO alert_instances (id, org_id, rule_id, fingerprint, labels, annotations, state,
    active_since, fired_at, resolved_at, last_value, last_eval, keep_firing_until, flapping,
    flap_hold_until, flap_state, severity, updated_at)
  SELECT x.id, $2::uuid, x.rule_id, x.fingerprint, x.labels, x.annotations, x.state,
    x.active_since, x.fired_at, x.resolved_at, x.last_value, x.last_eval, x.keep_firing_until,
    x.flapping, x.flap_hold_until, x.flap_state, x.severity, now()
  FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, rule_id uuid, fingerprint text, labels jsonb,
    annotations jsonb, state text, active_since timestamptz, fired_at timestamptz,
    resolved_at timestamptz, last_value float8, last_eval timestamptz,
    keep_firing_until timestamptz, flapping boolean, flap_hold_until timestamptz,
    flap_state jsonb, severity text)
  ON CONFLICT (id) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations,
    state = excluded.state, active_since = excluded.active_since, fired_at = excluded.fired_at,
    resolved_at = excluded.resolved_at, last_value = excluded.last_value,
    last_eval = excluded.last_eval, keep_firing_until = excluded.keep_firing_until,
    flapping = excluded.flapping, flap_hold_until = excluded.flap_hold_until,
    flap_state = excluded.flap_state, severity = excluded.severity, updated_at = now()
  WHERE alert_instances.org_id = $2::uuid
)
INSERT INTO alert_history (id, org_id, alert_id, rule_id, fingerprint, from_state, to_state, value,
  flapping, at, dispatched_at, recorded_at)
SELECT h.id, $2::uuid, h.alert_id, h.rule_id, h.fingerprint, h.from_state, h.to_state, h.value,
  h.flapping, h.at, NULL, clock_timestamp()
FROM jsonb_to_recordset($3::jsonb) AS h(id uuid, alert_id uuid, rule_id uuid, fingerprint text,
  from_state text, to_state text, value float8, flapping boolean, at timestamptz)`;

/** The rules whose query error changed, in one statement. */
const WRITE_ERRORS_SQL = `
UPDATE rules r SET last_error = x.error
FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, error text)
WHERE r.org_id = $2::uuid AND r.id = x.id`;

const FINISH_GROUP_SQL = `
UPDATE rule_groups SET last_eval_at = $3, last_eval_ms = $4, last_error = $5
WHERE id = $1::uuid AND org_id = $2::uuid`;

/** A rule query must finish well inside an evaluation interval. */
const QUERY_TIMEOUT_MS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
function ms(d: Date | null): number | null {
  return d ? d.getTime() : null;
}
function finite(v: number | null): number | null {
  return v !== null && Number.isFinite(v) ? v : null;
}

export function flapOf(json: unknown): FlapSettings {
  if (!json || typeof json !== 'object') return DEFAULT_FLAP;
  return { ...DEFAULT_FLAP, ...(json as Partial<FlapSettings>) };
}

export function snapshotOf(row: InstanceRow): AlertSnapshot {
  const flap = (row.flapState ?? {}) as { changes?: number[]; lastActive?: boolean };
  return {
    fingerprint: row.fingerprint,
    labels: row.labels as Record<string, string>,
    state: row.state as AlertState,
    activeSince: ms(row.activeSince),
    firedAt: ms(row.firedAt),
    resolvedAt: ms(row.resolvedAt),
    lastValue: row.lastValue,
    lastEval: row.lastEval.getTime(),
    keepFiringUntil: ms(row.keepFiringUntil),
    flapping: row.flapping,
    flapHoldUntil: ms(row.flapHoldUntil),
    flapChanges: flap.changes ?? [],
    lastActive: flap.lastActive ?? (row.state === 'pending' || row.state === 'firing'),
  };
}

/** A group's rules as last read, with their parsed expressions (for the prefetch). */
interface CachedGroup {
  digest: string;
  rules: RuleRow[];
  /** Per rule id: the parsed `expr` and `recoveryExpr` (absent when they do not parse). */
  asts: Map<string, Expr[]>;
}

/** Everything one evaluation writes at its end, in one statement each. */
interface PendingWrites {
  instances: Record<string, unknown>[];
  history: Record<string, unknown>[];
  historyIds: string[];
  transitions: AlertTransition[];
}

/**
 * Evaluates one rule group at one instant, on one pooled connection in one transaction. The
 * group row is locked (`FOR UPDATE`) for the whole evaluation and remembers the last instant
 * evaluated, so any number of workers evaluate each (group, instant) at most once and never two
 * instants of a group at the same time. A handful of statements per evaluation whatever the
 * group's size: lock + rules digest, previous states, the prefetched series and samples of all
 * rules (see `PrefetchedReader`), then states + history, changed rule errors and the group's
 * bookkeeping. The transitions go to the sink after commit.
 */
@Injectable()
export class RuleEvaluator {
  private readonly logger = new Logger('rule-evaluator');
  /** Per group id: its rules while their digest is unchanged (one entry per group seen). */
  private readonly cache = new Map<string, CachedGroup>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(ALERTING_READER) private readonly reader: SeriesReader,
    @Inject(RECORDING_WRITER) private readonly writer: RecordingWriter,
    private readonly sink: AlertTransitionSink,
    private readonly outbox: TransitionOutbox,
  ) {}

  /**
   * `ts` absent: the group's latest evaluation instant at `now` (its phase + k × interval,
   * see `alignedInstant`), as scheduler ticks do.
   */
  async evaluateGroup(
    orgId: string,
    groupId: string,
    ts?: number,
    now = Date.now(),
  ): Promise<GroupEvaluation> {
    const started = Date.now();
    if (!UUID.test(groupId))
      return { status: 'missing', ts: ts ?? now, rules: 0, transitions: 0, durationMs: 0 };
    const writes: PendingWrites = { instances: [], history: [], historyIds: [], transitions: [] };
    const outcome = await withOrgClient(this.pool, orgId, async (c) => {
      const {
        rows: [group],
      } = await c.query<{
        id: string;
        interval_ms: number;
        labels: Record<string, string> | null;
        last_eval_at: Date | null;
        rules_digest: string;
      }>(LOCK_GROUP_SQL, [groupId, orgId]);
      if (!group) {
        this.cache.delete(groupId);
        return { status: 'missing' as const, ts: ts ?? now, rules: 0 };
      }
      const at = ts ?? alignedInstant(groupId, group.interval_ms, now);
      if (group.last_eval_at && group.last_eval_at.getTime() >= at)
        return { status: 'skipped' as const, ts: at, rules: 0 };
      const cached = await this.rulesOf(c, orgId, groupId, group.rules_digest);
      const rules = cached.rules.filter((r) => r.enabled);
      // The previous states of every alerting rule of the group (disabled ones retire theirs).
      const alertingIds = cached.rules.filter((r) => r.kind === 'alerting').map((r) => r.id);
      const previous = new Map<string, InstanceRow[]>();
      if (alertingIds.length) {
        const { rows } = await c.query<InstanceRow>(INSTANCES_SQL, [orgId, alertingIds]);
        for (const r of rows) {
          const list = previous.get(r.ruleId);
          if (list) list.push(r);
          else previous.set(r.ruleId, [r]);
        }
      }
      const reader = new PrefetchedReader(this.reader);
      await reader.prefetch(c, orgId, this.prefetchable(cached, rules, at));
      const engine = createEngine({ reader });
      for (const r of cached.rules)
        if (!r.enabled && r.kind === 'alerting') {
          const active = (previous.get(r.id) ?? []).filter(
            (i) => i.state === 'pending' || i.state === 'firing',
          );
          // A disabled rule stops alerting: its pending and firing alerts go through absence once.
          if (active.length)
            this.advance(
              { ...r, keepFiringForMs: 0, flap: null },
              active,
              { active: new Map() },
              at,
              writes,
            );
        }
      const errors: string[] = [];
      const changedErrors: { id: string; error: string | null }[] = [];
      for (const rule of rules) {
        const src: LabelSources = {
          ruleName: rule.name,
          groupLabels: group.labels ?? {},
          ruleLabels: rule.labels as Record<string, string>,
        };
        let error: string | null = null;
        try {
          if (rule.kind === 'recording') await this.record(engine, orgId, rule, src, at);
          else
            error = await this.evaluateAlerting(
              engine,
              reader,
              orgId,
              rule,
              cached.asts.get(rule.id)?.[0],
              src,
              at,
              previous.get(rule.id) ?? [],
              writes,
            );
        } catch (err) {
          error = (err as Error).message;
        }
        if (error) errors.push(`${rule.name}: ${error}`);
        if (error !== rule.lastError) changedErrors.push({ id: rule.id, error });
      }
      if (writes.instances.length || writes.history.length)
        await c.query(WRITE_STATES_SQL, [
          JSON.stringify(writes.instances),
          orgId,
          JSON.stringify(writes.history),
        ]);
      if (changedErrors.length)
        await c.query(WRITE_ERRORS_SQL, [JSON.stringify(changedErrors), orgId]);
      await c.query(FINISH_GROUP_SQL, [
        groupId,
        orgId,
        new Date(at),
        Date.now() - started,
        errors.length ? errors.join('\n').slice(0, 4000) : null,
      ]);
      return { status: 'evaluated' as const, ts: at, rules: rules.length };
    });
    const { transitions, historyIds } = writes;
    if (outcome.status === 'evaluated' && transitions.length) {
      crashAfterCommitForTests();
      try {
        await this.sink.onTransitions(orgId, transitions);
        await this.outbox.markDispatched(orgId, historyIds);
      } catch (err) {
        // The states are committed; a failed hand-off must not make the job evaluate again.
        // The history rows stay undispatched and the outbox sweeper feeds them again.
        this.logger.error(`transition sink failed for group ${groupId}: ${(err as Error).message}`);
      }
    }
    return {
      ...outcome,
      transitions: outcome.status === 'evaluated' ? transitions.length : 0,
      durationMs: Date.now() - started,
    };
  }

  /** The group's rules: from the cache while the digest read under the lock is unchanged. */
  private async rulesOf(
    c: PoolClient,
    orgId: string,
    groupId: string,
    digest: string,
  ): Promise<CachedGroup> {
    const hit = this.cache.get(groupId);
    if (hit?.digest === digest) return hit;
    const { rows } = await c.query<RuleRow & { digest: string }>(RULES_SQL, [orgId, groupId]);
    const asts = new Map<string, Expr[]>();
    for (const r of rows) {
      try {
        asts.set(
          r.id,
          [r.expr, r.recoveryExpr].filter((e): e is string => !!e).map((e) => parsePromQL(e)),
        );
      } catch {
        // The engine reports the parse error as the rule's error when it runs the query.
      }
    }
    const entry: CachedGroup = {
      // The rows were read after the lock: no other writer changed them since the digest.
      digest: rows[0]?.digest ?? digest,
      rules: rows.map(({ digest: _d, ...r }) => r as RuleRow),
      asts,
    };
    this.cache.set(groupId, entry);
    return entry;
  }

  /**
   * The selects worth reading up front. A group's rules run in order and a recording rule's
   * output is visible to the rules after it (as in Prometheus), so a selector that may read a
   * metric recorded in this group is left to run at its turn.
   */
  private prefetchable(group: CachedGroup, rules: RuleRow[], at: number): SelectRequest[] {
    const recorded = new Set(rules.filter((r) => r.kind === 'recording').map((r) => r.name));
    const out: SelectRequest[] = [];
    for (const rule of rules)
      for (const ast of group.asts.get(rule.id) ?? [])
        for (const sel of instantSelects(ast, at)) {
          if (recorded.size) {
            const name = sel.matchers.find((m) => m.name === '__name__' && m.op === '=');
            if (!name || recorded.has(name.value)) continue;
          }
          out.push(sel);
        }
    return out;
  }

  private async record(
    engine: PromQLEngine,
    orgId: string,
    rule: RuleRow,
    src: LabelSources,
    at: number,
  ): Promise<void> {
    const result = await engine.instantQueryRaw(orgId, rule.expr, at, this.queryOptions());
    const rows: { labels: Record<string, string>; value: number }[] =
      result.resultType === 'vector'
        ? result.samples.map((s) => ({ labels: s.labels, value: s.value }))
        : result.resultType === 'scalar'
          ? [{ labels: {}, value: result.value }]
          : [];
    if (!rows.length) return;
    await this.writer.write(
      orgId,
      rows.map((r) => {
        const labels: Record<string, string> = {
          ...r.labels,
          ...src.groupLabels,
          ...src.ruleLabels,
          __name__: rule.name,
        };
        return { labels, timestamps: [at], values: [r.value] };
      }),
    );
  }

  /** Steps one alerting rule; its writes join the group's. Returns the rule's query error. */
  private async evaluateAlerting(
    engine: PromQLEngine,
    reader: SeriesReader,
    orgId: string,
    rule: RuleRow,
    /** `rule.expr` as the group cache parsed it; absent when it does not parse. */
    exprAst: Expr | undefined,
    src: LabelSources,
    at: number,
    previous: InstanceRow[],
    writes: PendingWrites,
  ): Promise<string | null> {
    let outcome: QueryOutcome;
    try {
      const active = resultToSamples(
        await engine.instantQueryRaw(orgId, rule.expr, at, this.queryOptions()),
        src,
      );
      const held = rule.recoveryExpr
        ? resultToSamples(
            await engine.instantQueryRaw(orgId, rule.recoveryExpr, at, this.queryOptions()),
            src,
          )
        : undefined;
      outcome =
        active.size === 0 &&
        rule.noDataState !== 'ok' &&
        exprAst &&
        (await this.hasNoData(reader, orgId, exprAst, at))
          ? { kind: 'no_data' }
          : { kind: 'data', active, held };
    } catch (err) {
      outcome = { kind: 'error', message: (err as Error).message };
    }
    const input = stepInputFor(
      outcome,
      rule.noDataState as NoDataState,
      rule.errorState as NoDataState,
      src,
    );
    if (input) this.advance(rule, previous, input, at, writes);
    return outcome.kind === 'error' ? outcome.message : null;
  }

  private queryOptions() {
    return { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) };
  }

  /** No data: none of the series the expression selects has a sample in its lookback window. */
  private async hasNoData(
    reader: SeriesReader,
    orgId: string,
    expr: Expr,
    at: number,
  ): Promise<boolean> {
    for (const { matchers, hints } of instantSelects(expr, at)) {
      const found = await reader.series(orgId, [matchers], hints.start, hints.end);
      if (found.length) return false;
    }
    return true;
  }

  /** Steps the state machine and queues the instance and history rows it changed. */
  private advance(
    rule: RuleRow,
    rows: InstanceRow[],
    input: StepInput,
    at: number,
    writes: PendingWrites,
  ): void {
    const byFp = new Map(rows.map((r) => [r.fingerprint, r]));
    const prev = new Map(rows.map((r) => [r.fingerprint, snapshotOf(r)]));
    const step = stepRule(
      prev,
      { forMs: rule.forMs, keepFiringForMs: rule.keepFiringForMs, flap: flapOf(rule.flap) },
      input,
      at,
    );
    const ids = new Map<string, string>();
    const annotationsByFp = new Map<string, Record<string, string>>();
    const templates = rule.annotations as Record<string, string>;
    for (const fp of step.updated) {
      const s = step.alerts.get(fp)!;
      const annotations = renderAll(templates, { labels: s.labels, value: s.lastValue });
      annotationsByFp.set(fp, annotations);
      // The group row is locked: nobody else creates this rule's instances meanwhile.
      const id = byFp.get(fp)?.id ?? randomUUID();
      ids.set(fp, id);
      writes.instances.push({
        id,
        rule_id: rule.id,
        fingerprint: fp,
        labels: s.labels,
        annotations,
        state: s.state,
        active_since: iso(s.activeSince),
        fired_at: iso(s.firedAt),
        resolved_at: iso(s.resolvedAt),
        last_value: finite(s.lastValue),
        last_eval: iso(s.lastEval),
        keep_firing_until: iso(s.keepFiringUntil),
        flapping: s.flapping,
        flap_hold_until: iso(s.flapHoldUntil),
        flap_state: { changes: s.flapChanges, lastActive: s.lastActive },
        severity: s.labels.severity ?? null,
      });
    }
    for (const c of step.changes) {
      const id = randomUUID();
      writes.historyIds.push(id);
      writes.history.push({
        id,
        alert_id: ids.get(c.fingerprint)!,
        rule_id: rule.id,
        fingerprint: c.fingerprint,
        from_state: c.from,
        to_state: c.to,
        value: finite(c.value),
        flapping: c.flapping,
        at: new Date(c.at).toISOString(),
      });
      const s = step.alerts.get(c.fingerprint)!;
      writes.transitions.push({
        alertId: ids.get(c.fingerprint)!,
        ruleId: rule.id,
        ruleName: rule.name,
        groupId: rule.groupId,
        fingerprint: c.fingerprint,
        labels: c.labels,
        annotations: annotationsByFp.get(c.fingerprint) ?? {},
        from: c.from,
        to: c.to,
        value: finite(c.value),
        at: new Date(c.at).toISOString(),
        flapping: c.flapping,
        activeSince: iso(s.activeSince),
        firedAt: iso(s.firedAt),
        resolvedAt: iso(s.resolvedAt),
        severity: c.labels.severity ?? null,
      });
    }
  }
}

/**
 * Test-only: `TOCSIN_TEST_CRASH_AFTER_EVAL_COMMIT=1` kills the process (SIGKILL, no cleanup) right
 * after an evaluation with transitions committed and before the hand-off, so an e2e test can
 * show the outbox delivers what the crash dropped. Never set it outside tests.
 */
function crashAfterCommitForTests(): void {
  if (process.env.TOCSIN_TEST_CRASH_AFTER_EVAL_COMMIT === '1') process.kill(process.pid, 'SIGKILL');
}
