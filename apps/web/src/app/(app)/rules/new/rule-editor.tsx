'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../../components/error-message';
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
  type BacktestResult,
  type ChartData,
  type RuleInput,
} from '../../../../graphql/operations';
import { canEditConfig } from '../../../../lib/permissions';

type Mode = 'builder' | 'promql';

interface Preview {
  chart: ChartData;
  backtest: BacktestResult;
  compiled: string;
  start: number;
  end: number;
  lines: ChartLine[];
}

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

export function RuleEditor() {
  const me = useMe();
  const router = useRouter();
  const groups = useQuery(RULE_GROUPS_QUERY, {});
  const [mode, setMode] = useState<Mode>('builder');
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const [direction, setDirection] = useState<'above' | 'below'>('above');
  const [warning, setWarning] = useState('');
  const [warningRecovery, setWarningRecovery] = useState('');
  const [critical, setCritical] = useState('');
  const [criticalRecovery, setCriticalRecovery] = useState('');
  const [expr, setExpr] = useState('');
  const [forText, setForText] = useState('0s');
  const [summary, setSummary] = useState('');
  const [groupId, setGroupId] = useState('');
  const [rangeMs, setRangeMs] = useState(RANGES[2].ms);
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<ApiError>();
  const [localError, setLocalError] = useState('');
  const [busy, setBusy] = useState<'' | 'preview' | 'save'>('');

  if (!canEditConfig(me.role)) {
    return (
      <>
        <h1>New rule</h1>
        <p className="empty">Editors, admins and owners can create rules. Ask one of them.</p>
      </>
    );
  }

  /** The rule as the api takes it, or a message saying what is missing. */
  function buildRule(): RuleInput | string {
    if (!name.trim()) return 'Give the rule a name, e.g. HighCPU.';
    const annotations = summary.trim() ? { summary: summary.trim() } : undefined;
    if (mode === 'promql') {
      if (!expr.trim()) return 'Write the PromQL the alert fires on.';
      return {
        kind: 'ALERTING',
        name: name.trim(),
        expr: expr.trim(),
        for: forText || '0s',
        annotations,
      };
    }
    if (!query.trim()) return 'Choose the query to watch.';
    const levels: Record<string, { threshold: number; recovery?: number }> = {};
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
    return {
      kind: 'ALERTING',
      name: name.trim(),
      condition: { kind: 'threshold', query: query.trim(), direction, ...levels },
      for: forText || '0s',
      annotations,
    };
  }

  function linesOf(): ChartLine[] {
    if (mode !== 'builder') return [];
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
    if (typeof rule === 'string') {
      setLocalError(rule);
      return;
    }
    setLocalError('');
    setError(undefined);
    setBusy('preview');
    const end = Date.now();
    const start = end - rangeMs;
    try {
      const compiled = rule.condition
        ? (await request(COMPILE_CONDITION, { condition: rule.condition })).compileCondition.expr
        : (rule.expr ?? '');
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
        start,
        end,
        lines: linesOf(),
      });
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy('');
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const rule = buildRule();
    if (typeof rule === 'string') {
      setLocalError(rule);
      return;
    }
    setLocalError('');
    setError(undefined);
    setBusy('save');
    try {
      let target = groupId || groups.data?.ruleGroups[0]?.id;
      // A new organization has no group yet: make the default one rather than asking.
      if (!target) {
        target = (await request(CREATE_RULE_GROUP, { input: { name: 'default', interval: '1m' } }))
          .createRuleGroup.id;
      }
      await request(CREATE_RULE, { input: { ...rule, groupId: target } });
      router.push('/rules');
    } catch (caught) {
      setError(toApiError(caught));
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
      <h1>New alert rule</h1>
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
                Thresholds on a query
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
                A recovery value keeps a firing alert firing until the value crosses back past it
                (hysteresis), so it does not flap.
              </p>
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
              />
              <p className="hint" id="rule-for-hint">
                e.g. 0s, 5m: how long it must hold before firing.
              </p>
            </div>
            <div className="field grow">
              <label htmlFor="rule-summary">Summary (optional)</label>
              <input
                id="rule-summary"
                value={summary}
                onChange={(e) => setSummary(e.target.value)}
                placeholder="CPU above threshold on {{ $labels.instance }}"
              />
            </div>
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
              <p className="muted">
                Fires on <code>{preview.compiled}</code>
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
