import { Injectable } from '@nestjs/common';
import type { Tx } from '@tocsin/db';
import { inhibitedBy, type FiringAlert } from '../inhibition/inhibitor';
import { MaintenanceRepository } from '../maintenance/maintenance.repository';
import { activeAmong, activeUntil, compileInterval, type CompiledInterval } from '../maintenance/time-interval';
import { matchesAll, printMatchers, type Matcher } from '../routing/matchers';
import type { CompiledPolicy, Route } from '../routing/route-tree';
import { SilencesRepository } from '../silences/silences.repository';

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
  constructor(
    private readonly silences: SilencesRepository,
    private readonly windows: MaintenanceRepository,
  ) {}

  async load(tx: Tx, orgId: string, policy: CompiledPolicy, now: number): Promise<Muter> {
    const silences = await this.silences.activeAt(tx, orgId, new Date(now));
    const windows: { id: string; name: string; matchers: Matcher[]; interval: CompiledInterval }[] = [];
    for (const w of await this.windows.list(tx, { orgId, enabled: true })) {
      try {
        windows.push({ id: w.id, name: w.name, matchers: w.matchers, interval: compileInterval(w.schedule) });
      } catch {
        // Saved windows were validated; a broken one mutes nothing rather than failing dispatch.
      }
    }
    const firing = policy.inhibitRules.length ? await this.firingAlerts(tx, orgId, now) : [];
    return (alert, route) => {
      const out: MuteReason[] = [];
      for (const s of silences) {
        if (matchesAll(s.matchers, alert.labels)) {
          out.push({ kind: 'silence', silenceId: s.id, matchers: printMatchers(s.matchers), until: s.endsAt.getTime() });
        }
      }
      for (const w of windows) {
        if (!matchesAll(w.matchers, alert.labels)) continue;
        const until = activeUntil(w.interval, now);
        if (until !== null) out.push({ kind: 'maintenance', windowId: w.id, name: w.name, until });
      }
      const hit = inhibitedBy(policy.inhibitRules, firing, alert);
      if (hit) out.push({ kind: 'inhibition', rule: hit.rule, sourceFingerprint: hit.sourceFingerprint, until: null });
      for (const name of route.muteTimeIntervals) {
        const c = policy.intervals.get(name);
        const until = c ? activeUntil(c, now) : null;
        if (until !== null) out.push({ kind: 'mute_time_interval', name, until });
      }
      if (route.activeTimeIntervals.length) {
        const active = activeAmong(
          route.activeTimeIntervals.map((n) => policy.intervals.get(n)!).filter(Boolean),
          now,
        );
        if (!active.active) out.push({ kind: 'outside_active_time_interval', names: route.activeTimeIntervals, until: null });
      }
      return out;
    };
  }

  /** Every firing alert of the organization, rule-made or posted: the possible inhibition sources. */
  private async firingAlerts(tx: Tx, orgId: string, now: number): Promise<FiringAlert[]> {
    return tx.$queryRaw<FiringAlert[]>`
      SELECT fingerprint, labels FROM alert_instances WHERE org_id = ${orgId}::uuid AND state = 'firing'
      UNION ALL
      SELECT fingerprint, labels FROM external_alerts
      WHERE org_id = ${orgId}::uuid AND status = 'firing' AND (ends_at IS NULL OR ends_at > ${new Date(now)})`;
  }
}
