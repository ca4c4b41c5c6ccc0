import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Prisma, Tx } from '@tocsin/db';
import {
  collectSelectors,
  DEFAULT_LOOKBACK_DELTA_MS,
  parsePromQL,
  type PromQLEngine,
} from '@tocsin/promql';
import { TenantDb } from '@tocsin/tenancy';
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
import { TransitionOutbox } from './transition-outbox.service';
import {
  ALERTING_ENGINE,
  ALERTING_READER,
  RECORDING_WRITER,
  type RecordingWriter,
} from './evaluation.tokens';

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
 * Every changed alert instance and every transition's history row (the outbox entry, undispatched)
 * of one rule in one statement: one round trip per rule however many alerts changed. The history
 * rows' foreign key to alert_instances is checked at the end of the statement, after the upsert.
 */
const WRITE_STATES_SQL = `
WITH up AS (
  INSERT INTO alert_instances (id, org_id, rule_id, fingerprint, labels, annotations, state,
    active_since, fired_at, resolved_at, last_value, last_eval, keep_firing_until, flapping,
    flap_hold_until, flap_state, severity, updated_at)
  SELECT x.id, $2::uuid, $3::uuid, x.fingerprint, x.labels, x.annotations, x.state, x.active_since,
    x.fired_at, x.resolved_at, x.last_value, x.last_eval, x.keep_firing_until, x.flapping,
    x.flap_hold_until, x.flap_state, x.severity, now()
  FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, fingerprint text, labels jsonb, annotations jsonb,
    state text, active_since timestamptz, fired_at timestamptz, resolved_at timestamptz,
    last_value float8, last_eval timestamptz, keep_firing_until timestamptz, flapping boolean,
    flap_hold_until timestamptz, flap_state jsonb, severity text)
  ON CONFLICT (id) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations,
    state = excluded.state, active_since = excluded.active_since, fired_at = excluded.fired_at,
    resolved_at = excluded.resolved_at, last_value = excluded.last_value,
    last_eval = excluded.last_eval, keep_firing_until = excluded.keep_firing_until,
    flapping = excluded.flapping, flap_hold_until = excluded.flap_hold_until,
    flap_state = excluded.flap_state, severity = excluded.severity, updated_at = now()
  WHERE alert_instances.org_id = $2::uuid
)
INSERT INTO alert_history (id, org_id, alert_id, rule_id, fingerprint, from_state, to_state, value,
  flapping, at, dispatched_at)
SELECT h.id, $2::uuid, h.alert_id, $3::uuid, h.fingerprint, h.from_state, h.to_state, h.value,
  h.flapping, h.at, NULL
FROM jsonb_to_recordset($4::jsonb) AS h(id uuid, alert_id uuid, fingerprint text, from_state text,
  to_state text, value float8, flapping boolean, at timestamptz)`;

/** A rule query must finish well inside the evaluation transaction's 15 s limit. */
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

/**
 * Evaluates one rule group at one instant. The group row is locked (`FOR UPDATE`) for the whole
 * evaluation and remembers the last instant evaluated, so any number of workers evaluate each
 * (group, instant) at most once and never two instants of a group at the same time. Alert states
 * and their history are written in that same transaction; the transitions go to the sink after
 * it commits.
 */
@Injectable()
export class RuleEvaluator {
  private readonly logger = new Logger('rule-evaluator');

  constructor(
    private readonly db: TenantDb,
    @Inject(ALERTING_ENGINE) private readonly engine: PromQLEngine,
    @Inject(ALERTING_READER) private readonly reader: SeriesReader,
    @Inject(RECORDING_WRITER) private readonly writer: RecordingWriter,
    private readonly sink: AlertTransitionSink,
    private readonly outbox: TransitionOutbox,
  ) {}

  /** `ts` absent: the current instant aligned down to the group's interval (scheduler ticks). */
  async evaluateGroup(
    orgId: string,
    groupId: string,
    ts?: number,
    now = Date.now(),
  ): Promise<GroupEvaluation> {
    const started = Date.now();
    if (!UUID.test(groupId))
      return { status: 'missing', ts: ts ?? now, rules: 0, transitions: 0, durationMs: 0 };
    const transitions: AlertTransition[] = [];
    // The alert_history rows of those transitions: the outbox entries stamped after the hand-off.
    const historyIds: string[] = [];
    const outcome = await this.db.forOrg(orgId, async (tx) => {
      const [group] = await tx.$queryRaw<
        {
          id: string;
          interval_ms: number;
          labels: Record<string, string>;
          last_eval_at: Date | null;
        }[]
      >`
        SELECT id, interval_ms, labels, last_eval_at FROM rule_groups
        WHERE id = ${groupId}::uuid AND org_id = ${orgId}::uuid FOR UPDATE`;
      if (!group) return { status: 'missing' as const, ts: ts ?? now, rules: 0 };
      const at = ts ?? Math.floor(now / group.interval_ms) * group.interval_ms;
      if (group.last_eval_at && group.last_eval_at.getTime() >= at)
        return { status: 'skipped' as const, ts: at, rules: 0 };
      const all = await tx.rule.findMany({
        where: { orgId, groupId },
        orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
      });
      const rules = all.filter((r) => r.enabled);
      // The previous states of every alerting rule of the group in one query (not one per rule),
      // loading on the transaction's connection while the first rule's query runs on the reader's.
      const ruleIds = rules.filter((r) => r.kind === 'alerting').map((r) => r.id);
      const previousByRule = (
        ruleIds.length
          ? tx.alertInstance.findMany({ where: { orgId, ruleId: { in: ruleIds } } })
          : Promise.resolve([] as InstanceRow[])
      ).then((rows) => {
        const byRule = new Map<string, InstanceRow[]>();
        for (const r of rows) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
        return byRule;
      });
      previousByRule.catch(() => undefined);
      for (const r of all)
        if (!r.enabled && r.kind === 'alerting')
          transitions.push(...(await this.retire(tx, orgId, r, at, historyIds)));
      const errors: string[] = [];
      for (const rule of rules) {
        const src: LabelSources = {
          ruleName: rule.name,
          groupLabels: group.labels ?? {},
          ruleLabels: rule.labels as Record<string, string>,
        };
        let error: string | null = null;
        try {
          if (rule.kind === 'recording') await this.record(orgId, rule, src, at);
          else {
            const r = await this.evaluateAlerting(
              tx,
              orgId,
              rule,
              src,
              at,
              historyIds,
              previousByRule.then((m) => m.get(rule.id) ?? []),
            );
            transitions.push(...r.transitions);
            error = r.error;
          }
        } catch (err) {
          error = (err as Error).message;
        }
        if (error) errors.push(`${rule.name}: ${error}`);
        if (error !== rule.lastError)
          await tx.rule.update({ where: { id: rule.id }, data: { lastError: error } });
      }
      await tx.ruleGroup.update({
        where: { id: groupId },
        data: {
          lastEvalAt: new Date(at),
          lastEvalMs: Date.now() - started,
          lastError: errors.length ? errors.join('\n').slice(0, 4000) : null,
        },
      });
      return { status: 'evaluated' as const, ts: at, rules: rules.length };
    });
    if (transitions.length) {
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
    return { ...outcome, transitions: transitions.length, durationMs: Date.now() - started };
  }

  private async record(orgId: string, rule: RuleRow, src: LabelSources, at: number): Promise<void> {
    const result = await this.engine.instantQueryRaw(orgId, rule.expr, at, this.queryOptions());
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

  private async evaluateAlerting(
    tx: Tx,
    orgId: string,
    rule: RuleRow,
    src: LabelSources,
    at: number,
    historyIds: string[],
    previous: Promise<InstanceRow[]>,
  ): Promise<{ transitions: AlertTransition[]; error: string | null }> {
    let outcome: QueryOutcome;
    try {
      const active = resultToSamples(
        await this.engine.instantQueryRaw(orgId, rule.expr, at, this.queryOptions()),
        src,
      );
      const held = rule.recoveryExpr
        ? resultToSamples(
            await this.engine.instantQueryRaw(orgId, rule.recoveryExpr, at, this.queryOptions()),
            src,
          )
        : undefined;
      outcome =
        active.size === 0 &&
        rule.noDataState !== 'ok' &&
        (await this.hasNoData(orgId, rule.expr, at))
          ? { kind: 'no_data' }
          : { kind: 'data', active, held };
    } catch (err) {
      outcome = { kind: 'error', message: (err as Error).message };
    }
    const rows = await previous;
    const input = stepInputFor(
      outcome,
      rule.noDataState as NoDataState,
      rule.errorState as NoDataState,
      src,
    );
    const transitions = input
      ? await this.advance(tx, orgId, rule, rows, input, at, historyIds)
      : [];
    return { transitions, error: outcome.kind === 'error' ? outcome.message : null };
  }

  private queryOptions() {
    return { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) };
  }

  /** A disabled rule stops alerting: its pending and firing alerts go through absence once. */
  private async retire(
    tx: Tx,
    orgId: string,
    rule: RuleRow,
    at: number,
    historyIds: string[],
  ): Promise<AlertTransition[]> {
    const rows = await tx.alertInstance.findMany({
      where: { orgId, ruleId: rule.id, state: { in: ['pending', 'firing'] } },
    });
    if (!rows.length) return [];
    return this.advance(
      tx,
      orgId,
      { ...rule, keepFiringForMs: 0, flap: null },
      rows,
      { active: new Map() },
      at,
      historyIds,
    );
  }

  /** No data: none of the series the expression selects has a sample in its lookback window. */
  private async hasNoData(orgId: string, expr: string, at: number): Promise<boolean> {
    const selectors = collectSelectors(
      parsePromQL(expr),
      { start: at, end: at, step: 1, n: 1 },
      { lookbackMs: DEFAULT_LOOKBACK_DELTA_MS, subqueryStepMs: 60_000 },
    );
    for (const { node, hints } of selectors) {
      const found = await this.reader.series(orgId, [node.matchers], hints.start, hints.end);
      if (found.length) return false;
    }
    return true;
  }

  private async advance(
    tx: Tx,
    orgId: string,
    rule: RuleRow,
    rows: InstanceRow[],
    input: StepInput,
    at: number,
    historyIds: string[],
  ): Promise<AlertTransition[]> {
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
    const instances = [...step.updated].map((fp) => {
      const s = step.alerts.get(fp)!;
      const annotations = renderAll(templates, { labels: s.labels, value: s.lastValue });
      annotationsByFp.set(fp, annotations);
      // The group row is locked: nobody else creates this rule's instances meanwhile.
      const id = byFp.get(fp)?.id ?? randomUUID();
      ids.set(fp, id);
      return {
        id,
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
      };
    });
    const history = step.changes.map((c) => {
      const id = randomUUID();
      historyIds.push(id);
      return {
        id,
        alert_id: ids.get(c.fingerprint)!,
        fingerprint: c.fingerprint,
        from_state: c.from,
        to_state: c.to,
        value: finite(c.value),
        flapping: c.flapping,
        at: new Date(c.at).toISOString(),
      };
    });
    if (instances.length || history.length)
      await tx.$executeRawUnsafe(
        WRITE_STATES_SQL,
        JSON.stringify(instances),
        orgId,
        rule.id,
        JSON.stringify(history),
      );
    return step.changes.map((c) => {
      const s = step.alerts.get(c.fingerprint)!;
      return {
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
      };
    });
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
