import { Injectable } from '@nestjs/common';
import { inhibitedBy, type FiringAlert } from '../inhibition/inhibitor';
import {
  activeAmong,
  activeUntil,
  compileInterval,
  type CompiledInterval,
} from '../maintenance/time-interval';
import { matchesAll, printMatchers, type Matcher } from '../routing/matchers';
import type { CompiledPolicy, Route } from '../routing/route-tree';
import type { DispatchContext } from './dispatch.store';

/** Why an alert is held back right now; `until` (epoch ms) when that is known to end. */
export type MuteReason =
  | { kind: 'silence'; silenceId: string; matchers: string; until: number }
  | { kind: 'maintenance'; windowId: string; name: string; until: number }
  | { kind: 'inhibition'; rule: number; sourceFingerprint: string; until: null }
  | { kind: 'mute_time_interval'; name: string; until: number }
  | { kind: 'outside_active_time_interval'; names: string[]; until: null };

export type Muter = (alert: FiringAlert, route: Route) => MuteReason[];

/**
 * Loads what can mute alerts for one organization at one instant (silences, maintenance
 * windows, inhibition sources) once, and answers per alert. Applied at flush time, as in
 * Alertmanager, so a silence that ends lets its alerts out at the group's next flush.
 */
@Injectable()
export class MuteEvaluator {
  build(ctx: DispatchContext, policy: CompiledPolicy, now: number): Muter {
    const silences = ctx.silences;
    const windows: { id: string; name: string; matchers: Matcher[]; interval: CompiledInterval }[] =
      [];
    for (const w of ctx.windows) {
      try {
        windows.push({
          id: w.id,
          name: w.name,
          matchers: w.matchers,
          interval: compileInterval(w.schedule),
        });
      } catch {
        // Saved windows were validated; a broken one mutes nothing rather than failing dispatch.
      }
    }
    const firing = policy.inhibitRules.length ? ctx.firing : [];
    return (alert, route) => {
      const out: MuteReason[] = [];
      for (const s of silences) {
        if (matchesAll(s.matchers, alert.labels)) {
          out.push({
            kind: 'silence',
            silenceId: s.id,
            matchers: printMatchers(s.matchers),
            until: s.ends_at.getTime(),
          });
        }
      }
      for (const w of windows) {
        if (!matchesAll(w.matchers, alert.labels)) continue;
        const until = activeUntil(w.interval, now);
        if (until !== null) out.push({ kind: 'maintenance', windowId: w.id, name: w.name, until });
      }
      const hit = inhibitedBy(policy.inhibitRules, firing, alert);
      if (hit)
        out.push({
          kind: 'inhibition',
          rule: hit.rule,
          sourceFingerprint: hit.sourceFingerprint,
          until: null,
        });
      for (const name of route.muteTimeIntervals) {
        const c = policy.intervals.get(name);
        const until = c ? activeUntil(c, now) : null;
        if (until !== null) out.push({ kind: 'mute_time_interval', name, until });
      }
      if (route.activeTimeIntervals.length) {
        const intervals = route.activeTimeIntervals
          .map((n) => policy.intervals.get(n))
          .filter((c): c is CompiledInterval => !!c);
        if (!activeAmong(intervals, now).active)
          out.push({
            kind: 'outside_active_time_interval',
            names: route.activeTimeIntervals,
            until: null,
          });
      }
      return out;
    };
  }
}
