import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@tocsin/graphql';
import { DEFAULT_MAX_POINTS, type PromQLEngine } from '@tocsin/promql';
import { currentOrgId } from '@tocsin/tenancy';
import { DEFAULT_FLAP } from '../alerts/state-machine';
import { ALERTING_ENGINE } from '../evaluation/evaluation.tokens';
import { parseDurationInput, toRuleSpec, type RuleDraft } from '../rules/rule.types';
import { runBacktest, type BacktestResult } from './backtest';

@Injectable()
export class BacktestService {
  constructor(@Inject(ALERTING_ENGINE) private readonly engine: PromQLEngine) {}

  /** Replays a rule (saved or not) over stored history in the current organization. */
  async backtestRule(
    draft: RuleDraft,
    from: Date,
    to: Date,
    step?: string | null,
  ): Promise<BacktestResult> {
    const spec = toRuleSpec(draft);
    if (spec.kind !== 'alerting') throw AppError.badInput('Only alerting rules can be backtested');
    const start = from.getTime();
    const end = to.getTime();
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start)
      throw AppError.badInput('"to" must be after "from"');
    const stepMs = step ? parseDurationInput(step, 'step', false) : 60_000;
    if ((end - start) / stepMs + 1 > DEFAULT_MAX_POINTS) {
      throw AppError.badInput(
        `At most ${DEFAULT_MAX_POINTS} evaluations per backtest: widen the step or narrow the range`,
      );
    }
    try {
      return await runBacktest(
        this.engine,
        currentOrgId(),
        {
          name: spec.name,
          expr: spec.expr,
          recoveryExpr: spec.recoveryExpr,
          labels: spec.labels,
          forMs: spec.forMs,
          keepFiringForMs: spec.keepFiringForMs,
          flap: spec.flap ?? DEFAULT_FLAP,
        },
        start,
        end,
        stepMs,
      );
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw AppError.badInput(`The backtest query failed: ${(err as Error).message}`);
    }
  }
}
