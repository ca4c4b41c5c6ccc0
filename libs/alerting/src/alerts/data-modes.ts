import type { NoDataState } from '../rules/rule.types';
import { syntheticSample, type LabelSources } from './alert-labels';
import type { SeriesSample, StepInput } from './state-machine';

/** What one evaluation of a rule's queries produced. */
export type QueryOutcome =
  | { kind: 'data'; active: Map<string, SeriesSample>; held?: Map<string, SeriesSample> }
  | { kind: 'no_data' }
  | { kind: 'error'; message: string };

/**
 * The state-machine input for an outcome under the rule's no-data and error modes; `null` means
 * keep the last state (no step at all, so pending timers and keep_firing_for deadlines are kept).
 * `ok` treats the outcome as "nothing is wrong" (alerts resolve); `alerting` fires one alert
 * labelled `tocsin_reason="no_data"` or `"error"` (through `for` like any other).
 */
export function stepInputFor(
  outcome: QueryOutcome,
  noDataState: NoDataState,
  errorState: NoDataState,
  src: LabelSources,
): StepInput | null {
  if (outcome.kind === 'data') return { active: outcome.active, held: outcome.held };
  const mode = outcome.kind === 'no_data' ? noDataState : errorState;
  if (mode === 'keep_last') return null;
  if (mode === 'ok') return { active: new Map() };
  return { active: syntheticSample(outcome.kind, src) };
}
