'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
import { KeyValueRows } from '../../../../components/key-value-rows';
import { LineChart, type ChartBand, type ChartLine } from '../../../../components/line-chart';
import { useMe } from '../../../../components/me-context';
import { PromqlEditor } from '../../../../components/promql-editor';
import { RANGES } from '../../../../components/time-range';
import { ApiError, request, toApiError } from '../../../../graphql/client';
import { useQuery } from '../../../../graphql/hooks';
import {
  BACKTEST_RULE,
  COMPILE_CONDITION,
  CREATE_RULE,
  CREATE_RULE_GROUP,
  QUERY_RANGE,
  RULE_GROUPS_QUERY,
  RULE_QUERY,
  UPDATE_RULE,
  type BacktestResult,
  type BuilderCondition,
  type ChartData,
  type NoDataState,
  type Rule,
  type RuleInput,
} from '../../../../graphql/operations';
import { mapOf, rowsOf, type KeyValueRow } from '../../../../lib/key-values';
import { canEditConfig } from '../../../../lib/permissions';
import { ruleFieldOf, severityLabelConflict, type RuleField } from '../../../../lib/rule-errors';

type Mode = 'builder' | 'promql';
type ConditionKind = BuilderCondition['kind'];

const CONDITION_KINDS: Array<{ kind: ConditionKind; label: string; hint: string }> = [
  { kind: 'threshold', label: 'Above or below a threshold', hint: 'e.g. CPU above 90%' },
  {
    kind: 'rate_of_change',
    label: 'Changes too fast',
    hint: 'the value rose or fell by more than an amount (or percent) within a window',
  },
  {
    kind: 'no_data',
    label: 'Stops reporting',
    hint: 'a series that had data has sent none for a while',
  },
  {
    kind: 'anomaly',
    label: 'Unusual for this series',
    hint: 'more than k standard deviations from its own recent (or last week’s) average',
  },
];

const STATES: Array<{ value: NoDataState; label: string }> = [
  { value: 'OK', label: 'Treat as OK (resolve)' },
  { value: 'ALERTING', label: 'Fire the alert' },
  { value: 'KEEP_LAST', label: 'Keep the last state' },
];

/** What a rule does when its query returns nothing, or fails (the api's NoDataState). */
function StateSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: NoDataState;
  onChange: (value: NoDataState) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as NoDataState)}>
        {STATES.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Annotations with a field of their own; any others are edited as rows. */
const NAMED_ANNOTATIONS = ['summary', 'description', 'runbook_url'] as const;
type NamedAnnotation = (typeof NAMED_ANNOTATIONS)[number];

const TEMPLATE_HINT = (
  <>
    Templates as in Prometheus: <code>{'{{ $labels.instance }}'}</code>,{' '}
    <code>{'{{ $value }}'}</code>.
  </>
);

interface Preview {
  chart: ChartData;
  backtest: BacktestResult;
  compiled: string;
  recovery: string | null;
  impliedFor: string | null;
  start: number;
  end: number;
  lines: ChartLine[];
}

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** Creates a rule, or edits the one `ruleId` names (same form, prefilled). */
export function RuleEditor({ ruleId }: { ruleId?: string } = {}) {
  const me = useMe();
  const router = useRouter();
  const groups = useQuery(RULE_GROUPS_QUERY, {});
  const existing = useQuery(RULE_QUERY, { id: ruleId ?? '' }, { skip: !ruleId });
  const [loadedId, setLoadedId] = useState('');
  const [mode, setMode] = useState<Mode>('builder');
  const [conditionKind, setConditionKind] = useState<ConditionKind>('threshold');
  const [severity, setSeverity] = useState('');
  const [windowText, setWindowText] = useState('5m');
  const [rocMode, setRocMode] = useState<'absolute' | 'percent'>('absolute');
  const [rocDirection, setRocDirection] = useState<'up' | 'down' | 'either'>('either');
  const [rocThreshold, setRocThreshold] = useState('');
  const [absentFor, setAbsentFor] = useState('10m');
  const [k, setK] = useState('3');
  const [baseline, setBaseline] = useState<'rolling' | 'last_week'>('rolling');
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const [direction, setDirection] = useState<'above' | 'below'>('above');
  const [warning, setWarning] = useState('');
  const [warningRecovery, setWarningRecovery] = useState('');
  const [critical, setCritical] = useState('');
  const [criticalRecovery, setCriticalRecovery] = useState('');
  const [expr, setExpr] = useState('');
  const [forText, setForText] = useState('0s');
  const [keepFiringFor, setKeepFiringFor] = useState('0s');
  const [noDataState, setNoDataState] = useState<NoDataState>('OK');
  const [errorState, setErrorState] = useState<NoDataState>('KEEP_LAST');
  const [labels, setLabels] = useState<KeyValueRow[]>([]);
  const [named, setNamed] = useState<Record<NamedAnnotation, string>>({
    summary: '',
    description: '',
    runbook_url: '',
  });
  const [otherAnnotations, setOtherAnnotations] = useState<KeyValueRow[]>([]);
  // What the form does not edit, sent back as loaded: updateRule replaces the whole rule.
  const [kept, setKept] = useState<Pick<RuleInput, 'enabled' | 'flap'>>({});
  const [groupId, setGroupId] = useState('');
  const [rangeMs, setRangeMs] = useState(RANGES[2].ms);
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<ApiError>();
  const [localError, setLocalError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<RuleField, string>>>({});
  const [busy, setBusy] = useState<'' | 'preview' | 'save'>('');

  // Fill the form once from the stored rule; later reloads must not overwrite the edits.
  const rule = existing.data?.rule;
  useEffect(() => {
    if (!rule || loadedId === rule.id) return;
    setLoadedId(rule.id);
    fillFrom(rule);
  }, [rule, loadedId]);

  function fillFrom(r: Rule): void {
    setName(r.name);
    setForText(r.for);
    setKeepFiringFor(r.keepFiringFor);
    setNoDataState(r.noDataState);
    setErrorState(r.errorState);
    setLabels(rowsOf(r.labels));
    setNamed({
      summary: r.annotations.summary ?? '',
      description: r.annotations.description ?? '',
      runbook_url: r.annotations.runbook_url ?? '',
    });
    setOtherAnnotations(rowsOf(r.annotations, [...NAMED_ANNOTATIONS]));
    setKept({ enabled: r.enabled, flap: r.flap ?? null });
    setGroupId(r.groupId);
    const c = r.condition;
    if (!c) {
      setMode('promql');
      setExpr(r.expr);
      return;
    }
    setMode('builder');
    setConditionKind(c.kind);
    setQuery(c.query);
    if (c.kind === 'threshold') {
      setDirection(c.direction);
      setWarning(c.warning ? String(c.warning.threshold) : '');
      setWarningRecovery(c.warning?.recovery !== undefined ? String(c.warning.recovery) : '');
      setCritical(c.critical ? String(c.critical.threshold) : '');
      setCriticalRecovery(c.critical?.recovery !== undefined ? String(c.critical.recovery) : '');
      return;
    }
    setSeverity(c.severity ?? '');
    if (c.kind === 'rate_of_change') {
      setWindowText(c.window);
      setRocMode(c.mode);
      setRocDirection(c.direction);
      setRocThreshold(String(c.threshold));
    } else if (c.kind === 'no_data') {
      setAbsentFor(c.duration);
    } else {
      setWindowText(c.window);
      setK(String(c.k));
      setBaseline(c.baseline);
    }
  }

  if (!canEditConfig(me.role)) {
    return (
      <>
        <h1>{ruleId ? 'Edit rule' : 'New rule'}</h1>
        <p className="empty">
          Editors, admins and owners can create and change rules. Ask one of them.
        </p>
      </>
    );
  }
  if (ruleId && !rule) {
    return (
      <>
        <p>
          <Link href="/rules">← Rules</Link>
        </p>
        <h1>Edit rule</h1>
        <ErrorMessage error={existing.error} title="Could not load this rule" />
        {existing.loading ? <p className="muted">Loading…</p> : null}
      </>
    );
  }

  /** The rule as the api takes it, or what is missing (with the field it is about, if one). */
  function buildRule(): RuleInput | string | { field: RuleField; message: string } {
    if (!name.trim()) return 'Give the rule a name, e.g. HighCPU.';
    const labelMap = mapOf(labels, 'label');
    if (typeof labelMap === 'string') return { field: 'labels', message: labelMap };
    const otherMap = mapOf(otherAnnotations, 'annotation');
    if (typeof otherMap === 'string') return { field: 'annotations', message: otherMap };
    const annotations: Record<string, string> = { ...otherMap };
    for (const k of NAMED_ANNOTATIONS) if (named[k].trim()) annotations[k] = named[k].trim();
    const common = {
      kind: 'ALERTING' as const,
      name: name.trim(),
      for: forText || '0s',
      keepFiringFor: keepFiringFor || '0s',
      noDataState,
      errorState,
      labels: labelMap,
      annotations,
      ...kept,
    };
    if (mode === 'promql') {
      if (!expr.trim()) return 'Write the PromQL the alert fires on.';
      return { ...common, expr: expr.trim() };
    }
    if (!query.trim()) return 'Choose the query to watch.';
    const conflict = severityLabelConflict({ kind: conditionKind, severity }, labelMap);
    if (conflict) return { field: 'labels', message: conflict };
    const condition = buildCondition();
    if (typeof condition === 'string') return condition;
    return { ...common, condition };
  }

  /** An api validation message goes next to its field when it names one. */
  function showError(caught: unknown): void {
    const apiError = toApiError(caught);
    const field = apiError.code === 'BAD_USER_INPUT' ? ruleFieldOf(apiError.message) : null;
    if (field) setFieldErrors({ [field]: apiError.message });
    else setError(apiError);
  }

  function refuse(problem: string | { field: RuleField; message: string }): void {
    clearErrors();
    if (typeof problem === 'string') setLocalError(problem);
    else setFieldErrors({ [problem.field]: problem.message });
  }

  function clearErrors(): void {
    setLocalError('');
    setError(undefined);
    setFieldErrors({});
  }

  const fieldError = (field: RuleField) =>
    fieldErrors[field] ? (
      <p className="field-error" role="alert" id={`rule-${field}-error`}>
        {fieldErrors[field]}
      </p>
    ) : null;

  /** The builder's condition as the api takes it, or what is missing. */
  function buildCondition(): BuilderCondition | string {
    const q = query.trim();
    const sev = severity.trim() || undefined;
    if (conditionKind === 'rate_of_change') {
      const threshold = num(rocThreshold);
      if (threshold === undefined || Number.isNaN(threshold) || threshold < 0)
        return 'Set how much change fires the alert (a number, 0 or more).';
      if (!windowText.trim()) return 'Set the window the change is measured over, e.g. 5m.';
      return {
        kind: 'rate_of_change',
        query: q,
        window: windowText.trim(),
        mode: rocMode,
        direction: rocDirection,
        threshold,
        severity: sev,
      };
    }
    if (conditionKind === 'no_data') {
      if (!absentFor.trim()) return 'Set how long the data must be missing, e.g. 10m.';
      return { kind: 'no_data', query: q, duration: absentFor.trim(), severity: sev };
    }
    if (conditionKind === 'anomaly') {
      const kv = num(k);
      if (kv === undefined || Number.isNaN(kv) || kv <= 0)
        return 'Set how many standard deviations count as unusual (a number above 0).';
      if (!windowText.trim()) return 'Set the window of the average, e.g. 1h.';
      return {
        kind: 'anomaly',
        query: q,
        window: windowText.trim(),
        k: kv,
        baseline,
        severity: sev,
      };
    }
    const levels: {
      warning?: { threshold: number; recovery?: number };
      critical?: { threshold: number; recovery?: number };
    } = {};
    for (const [key, t, r] of [
      ['warning', warning, warningRecovery],
      ['critical', critical, criticalRecovery],
    ] as const) {
      const threshold = num(t);
      if (threshold === undefined) continue;
      if (Number.isNaN(threshold)) return `The ${key} threshold must be a number.`;
      const recovery = num(r);
      if (recovery !== undefined && Number.isNaN(recovery))
        return `The ${key} recovery must be a number.`;
      levels[key] = recovery === undefined ? { threshold } : { threshold, recovery };
    }
    if (!levels.warning && !levels.critical)
      return 'Set a warning or a critical threshold (or both).';
    return { kind: 'threshold', query: q, direction, ...levels };
  }

  function linesOf(): ChartLine[] {
    // Only a threshold compares the drawn query itself with fixed values.
    if (mode !== 'builder' || conditionKind !== 'threshold') return [];
    const lines: ChartLine[] = [];
    const w = num(warning);
    const c = num(critical);
    const wr = num(warningRecovery);
    const cr = num(criticalRecovery);
    if (w !== undefined && !Number.isNaN(w))
      lines.push({ value: w, label: 'warning', tone: 'warning' });
    if (c !== undefined && !Number.isNaN(c))
      lines.push({ value: c, label: 'critical', tone: 'critical' });
    for (const r of [wr, cr])
      if (r !== undefined && !Number.isNaN(r))
        lines.push({ value: r, label: 'recovery', tone: 'recovery' });
    return lines;
  }

  async function runPreview(): Promise<void> {
    const rule = buildRule();
    if (typeof rule === 'string' || 'field' in rule) {
      refuse(rule);
      return;
    }
    clearErrors();
    setBusy('preview');
    const end = Date.now();
    const start = end - rangeMs;
    try {
      const compiledCondition = rule.condition
        ? (await request(COMPILE_CONDITION, { condition: rule.condition })).compileCondition
        : null;
      const compiled = compiledCondition?.expr ?? rule.expr ?? '';
      // Draw what is compared with the thresholds: the builder's query, or the rule's PromQL.
      const [chart, backtest] = await Promise.all([
        request(QUERY_RANGE, {
          query: mode === 'builder' ? query.trim() : compiled,
          range: { start, end },
        }),
        request(BACKTEST_RULE, {
          rule,
          from: new Date(start).toISOString(),
          to: new Date(end).toISOString(),
          step: rangeMs > 86_400_000 ? '10m' : '1m',
        }),
      ]);
      setPreview({
        chart: chart.queryRange,
        backtest: backtest.backtestRule,
        compiled,
        recovery: compiledCondition?.recoveryExpr ?? null,
        impliedFor: compiledCondition?.for ?? null,
        start,
        end,
        lines: linesOf(),
      });
    } catch (caught) {
      showError(caught);
    } finally {
      setBusy('');
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const rule = buildRule();
    if (typeof rule === 'string' || 'field' in rule) {
      refuse(rule);
      return;
    }
    clearErrors();
    setBusy('save');
    try {
      if (ruleId) {
        await request(UPDATE_RULE, { id: ruleId, input: rule });
        router.push('/rules');
        return;
      }
      let target = groupId || groups.data?.ruleGroups[0]?.id;
      // A new organization has no group yet: make the default one rather than asking.
      if (!target) {
        target = (await request(CREATE_RULE_GROUP, { input: { name: 'default', interval: '1m' } }))
          .createRuleGroup.id;
      }
      await request(CREATE_RULE, { input: { ...rule, groupId: target } });
      router.push('/rules');
    } catch (caught) {
      showError(caught);
      setBusy('');
    }
  }

  const bands: ChartBand[] =
    preview?.backtest.series.flatMap((s) =>
      s.intervals
        .filter((i) => i.state === 'FIRING' || i.state === 'PENDING')
        .map((i) => ({
          from: Date.parse(i.from),
          to: i.to ? Date.parse(i.to) : preview.end,
          tone: i.state === 'FIRING' ? ('firing' as const) : ('pending' as const),
        })),
    ) ?? [];
  const firingPeriods = bands.filter((b) => b.tone === 'firing').length;

  return (
    <>
      <p>
        <Link href="/rules">← Rules</Link>
      </p>
      <h1>{ruleId ? `Edit ${rule?.name ?? 'rule'}` : 'New alert rule'}</h1>
      <form className="form" onSubmit={save}>
        <section className="card form">
          <div className="field">
            <label htmlFor="rule-name">Name</label>
            <input
              id="rule-name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="HighCPU"
            />
          </div>
          <fieldset className="field">
            <legend>How to define it</legend>
            <div className="check-row">
              <label className="check">
                <input
                  type="radio"
                  name="mode"
                  checked={mode === 'builder'}
                  onChange={() => setMode('builder')}
                />
                Builder
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="mode"
                  checked={mode === 'promql'}
                  onChange={() => setMode('promql')}
                />
                PromQL expression
              </label>
            </div>
          </fieldset>
          {mode === 'builder' ? (
            <>
              <PromqlEditor
                id="rule-query"
                label="Query to watch"
                value={query}
                onChange={setQuery}
                onRun={runPreview}
              />
              <div className="field">
                <label htmlFor="rule-condition-kind">Alert when the query</label>
                <select
                  id="rule-condition-kind"
                  value={conditionKind}
                  onChange={(e) => setConditionKind(e.target.value as ConditionKind)}
                  aria-describedby="rule-condition-hint"
                >
                  {CONDITION_KINDS.map((c) => (
                    <option key={c.kind} value={c.kind}>
                      {c.label}
                    </option>
                  ))}
                </select>
                <p className="hint" id="rule-condition-hint">
                  {CONDITION_KINDS.find((c) => c.kind === conditionKind)?.hint}
                </p>
              </div>
              {conditionKind === 'threshold' ? (
                <>
                  <div className="form-inline">
                    <div className="field">
                      <label htmlFor="rule-direction">Alert when the value is</label>
                      <select
                        id="rule-direction"
                        value={direction}
                        onChange={(e) => setDirection(e.target.value as 'above' | 'below')}
                      >
                        <option value="above">above</option>
                        <option value="below">below</option>
                      </select>
                    </div>
                    <div className="field">
                      <label htmlFor="rule-warning">Warning threshold</label>
                      <input
                        id="rule-warning"
                        inputMode="decimal"
                        value={warning}
                        onChange={(e) => setWarning(e.target.value)}
                      />
                    </div>
                    <div className="field">
                      <label htmlFor="rule-warning-recovery">Warning recovery</label>
                      <input
                        id="rule-warning-recovery"
                        inputMode="decimal"
                        value={warningRecovery}
                        onChange={(e) => setWarningRecovery(e.target.value)}
                      />
                    </div>
                    <div className="field">
                      <label htmlFor="rule-critical">Critical threshold</label>
                      <input
                        id="rule-critical"
                        inputMode="decimal"
                        value={critical}
                        onChange={(e) => setCritical(e.target.value)}
                      />
                    </div>
                    <div className="field">
                      <label htmlFor="rule-critical-recovery">Critical recovery</label>
                      <input
                        id="rule-critical-recovery"
                        inputMode="decimal"
                        value={criticalRecovery}
                        onChange={(e) => setCriticalRecovery(e.target.value)}
                      />
                    </div>
                  </div>
                  <p className="hint">
                    A recovery value keeps a firing alert firing until the value crosses back past
                    it (hysteresis), so it does not flap.
                  </p>
                </>
              ) : (
                <div className="form-inline">
                  {conditionKind === 'rate_of_change' ? (
                    <>
                      <div className="field">
                        <label htmlFor="rule-roc-direction">Direction</label>
                        <select
                          id="rule-roc-direction"
                          value={rocDirection}
                          onChange={(e) => setRocDirection(e.target.value as typeof rocDirection)}
                        >
                          <option value="either">up or down</option>
                          <option value="up">up</option>
                          <option value="down">down</option>
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor="rule-roc-threshold">By more than</label>
                        <input
                          id="rule-roc-threshold"
                          inputMode="decimal"
                          value={rocThreshold}
                          onChange={(e) => setRocThreshold(e.target.value)}
                        />
                      </div>
                      <div className="field">
                        <label htmlFor="rule-roc-mode">Measured as</label>
                        <select
                          id="rule-roc-mode"
                          value={rocMode}
                          onChange={(e) => setRocMode(e.target.value as typeof rocMode)}
                        >
                          <option value="absolute">an amount</option>
                          <option value="percent">a percentage</option>
                        </select>
                      </div>
                    </>
                  ) : null}
                  {conditionKind === 'rate_of_change' || conditionKind === 'anomaly' ? (
                    <div className="field">
                      <label htmlFor="rule-window">
                        {conditionKind === 'anomaly' ? 'Average over' : 'Within'}
                      </label>
                      <input
                        id="rule-window"
                        value={windowText}
                        onChange={(e) => setWindowText(e.target.value)}
                        placeholder="5m"
                      />
                    </div>
                  ) : null}
                  {conditionKind === 'anomaly' ? (
                    <>
                      <div className="field">
                        <label htmlFor="rule-k">Standard deviations (k)</label>
                        <input
                          id="rule-k"
                          inputMode="decimal"
                          value={k}
                          onChange={(e) => setK(e.target.value)}
                        />
                      </div>
                      <div className="field">
                        <label htmlFor="rule-baseline">Compared with</label>
                        <select
                          id="rule-baseline"
                          value={baseline}
                          onChange={(e) => setBaseline(e.target.value as typeof baseline)}
                        >
                          <option value="rolling">its recent average</option>
                          <option value="last_week">the same time last week</option>
                        </select>
                      </div>
                    </>
                  ) : null}
                  {conditionKind === 'no_data' ? (
                    <div className="field">
                      <label htmlFor="rule-absent">No data for</label>
                      <input
                        id="rule-absent"
                        value={absentFor}
                        onChange={(e) => setAbsentFor(e.target.value)}
                        placeholder="10m"
                      />
                    </div>
                  ) : null}
                  <div className="field">
                    <label htmlFor="rule-severity">Severity label (optional)</label>
                    <input
                      id="rule-severity"
                      value={severity}
                      onChange={(e) => setSeverity(e.target.value)}
                      placeholder="warning"
                    />
                  </div>
                </div>
              )}
            </>
          ) : (
            <PromqlEditor
              id="rule-expr"
              label="Fire for every series this returns"
              value={expr}
              onChange={setExpr}
              onRun={runPreview}
            />
          )}
          <div className="form-inline">
            <div className="field">
              <label htmlFor="rule-for">Pending for</label>
              <input
                id="rule-for"
                value={forText}
                onChange={(e) => setForText(e.target.value)}
                aria-describedby="rule-for-hint"
                aria-invalid={fieldErrors.for ? true : undefined}
              />
              <p className="hint" id="rule-for-hint">
                e.g. 0s, 5m: how long it must hold before firing.
              </p>
              {fieldError('for')}
            </div>
            <div className="field">
              <label htmlFor="rule-keep-firing-for">Keep firing for</label>
              <input
                id="rule-keep-firing-for"
                value={keepFiringFor}
                onChange={(e) => setKeepFiringFor(e.target.value)}
                aria-describedby="rule-keep-firing-for-hint"
                aria-invalid={fieldErrors.keepFiringFor ? true : undefined}
              />
              <p className="hint" id="rule-keep-firing-for-hint">
                e.g. 0s, 10m: how long it stays firing after the condition clears (Prometheus&rsquo;
                keep_firing_for).
              </p>
              {fieldError('keepFiringFor')}
            </div>
            <StateSelect
              id="rule-no-data-state"
              label="If the query returns no data"
              value={noDataState}
              onChange={setNoDataState}
            />
            <StateSelect
              id="rule-error-state"
              label="If the query fails"
              value={errorState}
              onChange={setErrorState}
            />
            {groups.data && groups.data.ruleGroups.length > 1 ? (
              <div className="field">
                <label htmlFor="rule-group">Group</label>
                <select
                  id="rule-group"
                  value={groupId}
                  onChange={(e) => setGroupId(e.target.value)}
                >
                  {groups.data.ruleGroups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name} (every {g.interval})
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </div>
          <KeyValueRows
            legend="Labels"
            what="label"
            rows={labels}
            onChange={setLabels}
            keyPlaceholder="severity"
            valuePlaceholder="critical"
            hint={
              <>
                Added to every alert of this rule; routes and silences match on them (e.g.{' '}
                <code>severity</code>, <code>team</code>). {TEMPLATE_HINT}
              </>
            }
            error={fieldErrors.labels}
          />
          <fieldset className="field">
            <legend>Annotations</legend>
            {NAMED_ANNOTATIONS.map((k) => (
              <div className="field" key={k}>
                <label htmlFor={`rule-annotation-${k}`}>
                  {k === 'runbook_url' ? 'Runbook URL' : k[0].toUpperCase() + k.slice(1)} (optional)
                </label>
                <input
                  id={`rule-annotation-${k}`}
                  value={named[k]}
                  onChange={(e) => setNamed((n) => ({ ...n, [k]: e.target.value }))}
                  placeholder={
                    k === 'summary'
                      ? 'CPU above threshold on {{ $labels.instance }}'
                      : k === 'description'
                        ? 'CPU has been at {{ $value }} for 5 minutes'
                        : 'https://runbooks.example.com/high-cpu'
                  }
                  aria-describedby="rule-annotations-hint"
                  aria-invalid={fieldErrors[k] ? true : undefined}
                />
                {fieldError(k)}
              </div>
            ))}
            <p className="hint" id="rule-annotations-hint">
              Shown in notifications and on the alert. {TEMPLATE_HINT}
            </p>
          </fieldset>
          <KeyValueRows
            legend="Other annotations"
            what="annotation"
            rows={otherAnnotations}
            onChange={setOtherAnnotations}
            keyPlaceholder="dashboard"
            error={fieldErrors.annotations}
          />
        </section>

        <section className="card" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview on past data</h2>
          <div className="button-row">
            <label htmlFor="rule-range" className="visually-hidden">
              Backtest range
            </label>
            <select
              id="rule-range"
              value={rangeMs}
              onChange={(e) => setRangeMs(Number(e.target.value))}
            >
              {RANGES.map((r) => (
                <option key={r.ms} value={r.ms}>
                  {r.label}
                </option>
              ))}
            </select>
            <button type="button" className="button" onClick={runPreview} disabled={busy !== ''}>
              {busy === 'preview' ? 'Running…' : 'Preview and backtest'}
            </button>
          </div>
          {preview ? (
            <div data-testid="backtest">
              <p className="muted" data-testid="compiled-promql">
                Fires on <code>{preview.compiled}</code>
                {preview.recovery ? (
                  <>
                    <br />
                    Stays firing while <code>{preview.recovery}</code>
                  </>
                ) : null}
                {preview.impliedFor ? (
                  <>
                    <br />
                    After it has held for {preview.impliedFor}
                  </>
                ) : null}
              </p>
              <LineChart
                title="Rule preview"
                series={preview.chart.series}
                start={preview.start}
                end={preview.end}
                lines={preview.lines}
                bands={bands}
              />
              <p role="status" data-testid="backtest-summary">
                Over this range it would have fired {firingPeriods} time
                {firingPeriods === 1 ? '' : 's'} across {preview.backtest.series.length} series,
                with about {preview.backtest.notifications} notification
                {preview.backtest.notifications === 1 ? '' : 's'} ({preview.backtest.steps}{' '}
                evaluations).
              </p>
            </div>
          ) : (
            <p className="muted">
              See the query with its thresholds, and when the rule would have fired, before you
              save.
            </p>
          )}
        </section>

        {localError ? (
          <p className="field-error" role="alert">
            {localError}
          </p>
        ) : null}
        <ErrorMessage error={error} title="The rule could not be checked or saved" />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={busy !== ''}>
            {busy === 'save' ? 'Saving…' : 'Save rule'}
          </button>
          <Link href="/rules" className="button button-quiet">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
