'use client';

import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useMutation } from '../../../graphql/hooks';
import {
  CREATE_ESCALATION_POLICY,
  UPDATE_ESCALATION_POLICY,
  type EscalationPolicy,
  type EscalationTarget,
} from '../../../graphql/operations';

export interface TargetChoices {
  user: Array<{ id: string; name: string }>;
  schedule: Array<{ id: string; name: string }>;
  channel: Array<{ id: string; name: string }>;
}

// A level pages its targets, then waits `delaySeconds` for an acknowledgement before the next
// level (libs/oncall policy.types.ts); after the last one the policy repeats or stops.
interface LevelDraft {
  delayMinutes: string;
  targets: EscalationTarget[];
}

const TYPE_LABEL: Record<EscalationTarget['type'], string> = {
  user: 'Person',
  schedule: 'Who is on call in',
  channel: 'Channel',
};

/** Creates or edits an escalation policy: levels that page their targets after a delay. */
export function EscalationEditor({
  policy,
  choices,
  onDone,
}: {
  policy?: EscalationPolicy;
  choices: TargetChoices;
  onDone: (saved: boolean) => void;
}) {
  const create = useMutation(CREATE_ESCALATION_POLICY);
  const update = useMutation(UPDATE_ESCALATION_POLICY);
  const firstTarget = (): EscalationTarget[] => {
    const s = choices.schedule[0];
    const u = choices.user[0];
    if (s) return [{ type: 'schedule', id: s.id }];
    return u ? [{ type: 'user', id: u.id }] : [];
  };
  const [name, setName] = useState(policy?.name ?? '');
  const [repeat, setRepeat] = useState(String(policy?.repeatCount ?? 0));
  const [levels, setLevels] = useState<LevelDraft[]>(
    policy?.levels.length
      ? policy.levels.map((l) => ({
          delayMinutes: String(Math.round(l.delaySeconds / 60)),
          targets: l.targets,
        }))
      : [{ delayMinutes: '15', targets: firstTarget() }],
  );
  const [localError, setLocalError] = useState('');
  const prefix = policy ? `policy-${policy.id}` : 'policy-new';

  const setLevel = (i: number, patch: Partial<LevelDraft>) =>
    setLevels((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  const setTarget = (i: number, k: number, t: EscalationTarget) =>
    setLevel(i, { targets: levels[i].targets.map((x, xk) => (xk === k ? t : x)) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const bad = levels.findIndex((l) => l.targets.length === 0 || l.targets.some((t) => !t.id));
    if (bad >= 0) {
      setLocalError(`Step ${bad + 1} pages nobody: choose who it pages.`);
      return;
    }
    setLocalError('');
    const input = {
      name: name.trim(),
      repeatCount: Math.max(0, Number(repeat) || 0),
      levels: levels.map((l) => ({
        delaySeconds: Math.max(60, Math.round(Number(l.delayMinutes) * 60) || 0),
        targets: l.targets,
      })),
    };
    const saved = policy ? await update.run({ id: policy.id, input }) : await create.run({ input });
    if (saved) onDone(true);
  }

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-label={policy ? `Edit escalation policy ${policy.name}` : 'New escalation policy'}
    >
      <h3>{policy ? `Edit ${policy.name}` : 'New escalation policy'}</h3>
      <div className="form-inline">
        <div className="field grow">
          <label htmlFor={`${prefix}-name`}>Policy name</label>
          <input
            id={`${prefix}-name`}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Production"
          />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-repeat`}>Repeat if nobody acknowledges</label>
          <input
            id={`${prefix}-repeat`}
            type="number"
            min={0}
            max={10}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </div>
      </div>
      <ol className="form">
        {levels.map((level, i) => (
          <li key={i} className="card" data-testid={`step-${i}`}>
            <div className="form-inline">
              <div className="field">
                <label htmlFor={`${prefix}-step-${i}-delay`}>
                  Step {i + 1}: minutes to wait for an acknowledgement
                </label>
                <input
                  id={`${prefix}-step-${i}-delay`}
                  type="number"
                  min={1}
                  value={level.delayMinutes}
                  onChange={(e) => setLevel(i, { delayMinutes: e.target.value })}
                />
              </div>
            </div>
            {level.targets.map((t, k) => {
              const tid = `${prefix}-step-${i}-target-${k}`;
              return (
                <div key={k} className="form-inline">
                  <div className="field">
                    <label htmlFor={`${tid}-type`}>Step {i + 1} pages</label>
                    <select
                      id={`${tid}-type`}
                      value={t.type}
                      onChange={(e) => {
                        const type = e.target.value as EscalationTarget['type'];
                        setTarget(i, k, { type, id: choices[type][0]?.id ?? '' });
                      }}
                    >
                      {(Object.keys(TYPE_LABEL) as Array<EscalationTarget['type']>).map((type) => (
                        <option key={type} value={type}>
                          {TYPE_LABEL[type]}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field grow">
                    <label htmlFor={`${tid}-id`}>Step {i + 1} target</label>
                    <select
                      id={`${tid}-id`}
                      value={t.id}
                      onChange={(e) => setTarget(i, k, { type: t.type, id: e.target.value })}
                    >
                      {choices[t.type].length === 0 ? <option value="">none yet</option> : null}
                      {choices[t.type].map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  {level.targets.length > 1 ? (
                    <button
                      type="button"
                      className="button button-quiet"
                      onClick={() =>
                        setLevel(i, { targets: level.targets.filter((_, xk) => xk !== k) })
                      }
                    >
                      Remove target
                    </button>
                  ) : null}
                </div>
              );
            })}
            <div className="button-row">
              <button
                type="button"
                className="button button-quiet"
                onClick={() => setLevel(i, { targets: [...level.targets, ...firstTarget()] })}
              >
                Add a target to step {i + 1}
              </button>
              {levels.length > 1 ? (
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => setLevels((ls) => ls.filter((_, j) => j !== i))}
                >
                  Remove step {i + 1}
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      {localError ? (
        <p className="field-error" role="alert">
          {localError}
        </p>
      ) : null}
      <ErrorMessage error={create.error ?? update.error} title="The policy was not saved" />
      <div className="button-row">
        <button
          type="button"
          className="button"
          onClick={() => setLevels((ls) => [...ls, { delayMinutes: '15', targets: firstTarget() }])}
        >
          Add step
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={create.pending || update.pending}
        >
          Save policy
        </button>
        <button type="button" className="button button-quiet" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
