import { createHash } from 'node:crypto';
import {
  compileInterval,
  type CompiledInterval,
  type TimeInterval,
} from '../maintenance/time-interval';
import { formatDuration, parseDuration } from './duration';
import { matchesAll, printMatchers, toMatchers, type Matcher } from './matchers';

/**
 * An organization's notification policy: one JSON document, shaped like the `route`,
 * `receivers`, `inhibit_rules` and `time_intervals` of an Alertmanager configuration.
 */
export interface PolicyDocument {
  route: RouteConfig;
  receivers?: ReceiverConfig[];
  inhibitRules?: InhibitRuleConfig[];
  timeIntervals?: { name: string; interval: TimeInterval }[];
}

export interface RouteConfig {
  receiver?: string;
  /** Alertmanager matcher strings (`severity=~"crit|page"`) or matcher objects. */
  matchers?: unknown;
  continue?: boolean;
  /** Label names, or ["..."] to group by every label. */
  groupBy?: string[];
  groupWait?: string | number;
  groupInterval?: string | number;
  repeatInterval?: string | number;
  muteTimeIntervals?: string[];
  activeTimeIntervals?: string[];
  routes?: RouteConfig[];
}

/** A receiver: channels to notify, and optionally an escalation policy to open an incident on. */
export interface ReceiverConfig {
  name: string;
  channelIds?: string[];
  escalationPolicyId?: string;
  /** Notify when the group resolves (Alertmanager's send_resolved); default true. */
  sendResolved?: boolean;
  urgency?: 'high' | 'low';
}

export interface InhibitRuleConfig {
  sourceMatchers?: unknown;
  targetMatchers?: unknown;
  equal?: string[];
}

/**
 * Defaults. Alertmanager waits 30 s (group_wait) before a new group's first notification so that
 * alerts of one incident arrive together. Here one evaluation hands all of its transitions to
 * dispatch in one call, which already batches the alerts of one rule, and the latency target is
 * ~100 ms from ingest to webhook — so the default is 0 s. Set groupWait on a route to batch more.
 */
export const ROUTE_DEFAULTS = {
  groupWaitMs: 0,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 4 * 3_600_000,
};

export const DEFAULT_POLICY: PolicyDocument = {
  route: { receiver: 'default' },
  receivers: [{ name: 'default', channelIds: [] }],
};

export interface Route {
  /** "0" for the root, "0.2.1" for the second child of the third child. */
  id: string;
  /** Alertmanager-style readable key: `{}/{severity="page"}`. */
  key: string;
  matchers: Matcher[];
  continue: boolean;
  receiver: ReceiverConfig;
  groupBy: string[];
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  routes: Route[];
}

export interface CompiledPolicy {
  root: Route;
  receivers: Map<string, ReceiverConfig>;
  inhibitRules: { source: Matcher[]; target: Matcher[]; equal: string[] }[];
  intervals: Map<string, CompiledInterval>;
}

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ROUTES = 500;

/** Validates the document and resolves inheritance; every error names where it is. */
export function compilePolicy(doc: unknown): CompiledPolicy {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new PolicyError('the policy must be an object with a "route"');
  const d = doc as PolicyDocument;
  if (!d.route || typeof d.route !== 'object')
    throw new PolicyError('the policy needs a root "route"');
  const receivers = new Map<string, ReceiverConfig>();
  for (const [i, r] of (d.receivers ?? []).entries()) {
    if (!r || typeof r.name !== 'string' || !r.name)
      throw new PolicyError(`receivers[${i}] needs a name`);
    if (receivers.has(r.name)) throw new PolicyError(`receiver ${r.name} is defined twice`);
    const channelIds = r.channelIds ?? [];
    if (
      !Array.isArray(channelIds) ||
      channelIds.some((c) => typeof c !== 'string' || !UUID.test(c))
    ) {
      throw new PolicyError(`receiver ${r.name}: channelIds must be channel ids (uuids)`);
    }
    if (
      r.escalationPolicyId !== undefined &&
      (typeof r.escalationPolicyId !== 'string' || !UUID.test(r.escalationPolicyId))
    ) {
      throw new PolicyError(`receiver ${r.name}: escalationPolicyId must be a uuid`);
    }
    if (r.urgency !== undefined && r.urgency !== 'high' && r.urgency !== 'low')
      throw new PolicyError(`receiver ${r.name}: urgency is high or low`);
    receivers.set(r.name, {
      name: r.name,
      channelIds: [...channelIds],
      escalationPolicyId: r.escalationPolicyId,
      sendResolved: r.sendResolved ?? true,
      urgency: r.urgency ?? 'high',
    });
  }
  const intervals = new Map<string, CompiledInterval>();
  for (const [i, t] of (d.timeIntervals ?? []).entries()) {
    if (!t || typeof t.name !== 'string' || !t.name)
      throw new PolicyError(`timeIntervals[${i}] needs a name`);
    try {
      intervals.set(t.name, compileInterval(t.interval ?? {}));
    } catch (e) {
      throw new PolicyError(`time interval ${t.name}: ${(e as Error).message}`);
    }
  }
  let count = 0;
  const build = (cfg: RouteConfig, parent: Route | null, id: string): Route => {
    if (++count > MAX_ROUTES)
      throw new PolicyError(`a policy may have at most ${MAX_ROUTES} routes`);
    const where = parent ? `route ${id}` : 'the root route';
    if (!cfg || typeof cfg !== 'object') throw new PolicyError(`${where} must be an object`);
    let matchers: Matcher[];
    try {
      matchers = toMatchers(cfg.matchers);
    } catch (e) {
      throw new PolicyError(`${where}: ${(e as Error).message}`);
    }
    if (!parent && matchers.length)
      throw new PolicyError('the root route must not have matchers (it matches every alert)');
    const receiverName = cfg.receiver ?? parent?.receiver.name;
    if (!receiverName) throw new PolicyError('the root route needs a receiver');
    const receiver = receivers.get(receiverName);
    if (!receiver)
      throw new PolicyError(`${where}: unknown receiver ${JSON.stringify(receiverName)}`);
    const dur = (v: unknown, inherited: number, name: string) => {
      if (v === undefined) return inherited;
      try {
        return parseDuration(v, name);
      } catch (e) {
        throw new PolicyError(`${where}: ${(e as Error).message}`);
      }
    };
    const groupBy = cfg.groupBy ?? (parent ? [...parent.groupBy] : []);
    const groupByAll = cfg.groupBy ? cfg.groupBy.includes('...') : (parent?.groupByAll ?? false);
    if (groupByAll && cfg.groupBy && cfg.groupBy.length > 1)
      throw new PolicyError(`${where}: groupBy "..." cannot be combined with label names`);
    for (const name of [...(cfg.muteTimeIntervals ?? []), ...(cfg.activeTimeIntervals ?? [])]) {
      if (!intervals.has(name))
        throw new PolicyError(`${where}: unknown time interval ${JSON.stringify(name)}`);
    }
    const route: Route = {
      id,
      key: parent ? `${parent.key}/${printMatchers(matchers)}` : '{}',
      matchers,
      continue: cfg.continue ?? false,
      receiver,
      groupBy: groupByAll ? [] : groupBy.filter((l) => l !== '...'),
      groupByAll,
      groupWaitMs: dur(
        cfg.groupWait,
        parent?.groupWaitMs ?? ROUTE_DEFAULTS.groupWaitMs,
        'groupWait',
      ),
      groupIntervalMs: dur(
        cfg.groupInterval,
        parent?.groupIntervalMs ?? ROUTE_DEFAULTS.groupIntervalMs,
        'groupInterval',
      ),
      repeatIntervalMs: dur(
        cfg.repeatInterval,
        parent?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs,
        'repeatInterval',
      ),
      // Alertmanager does not inherit mute/active time intervals: each route names its own.
      muteTimeIntervals: cfg.muteTimeIntervals ?? [],
      activeTimeIntervals: cfg.activeTimeIntervals ?? [],
      routes: [],
    };
    if (route.groupIntervalMs < 1000)
      throw new PolicyError(`${where}: groupInterval must be at least 1s`);
    if (route.repeatIntervalMs < 1000)
      throw new PolicyError(`${where}: repeatInterval must be at least 1s`);
    if (cfg.routes !== undefined && !Array.isArray(cfg.routes))
      throw new PolicyError(`${where}: routes must be a list`);
    route.routes = (cfg.routes ?? []).map((c, i) => build(c, route, `${id}.${i}`));
    return route;
  };
  const root = build(d.route, null, '0');
  const inhibitRules = (d.inhibitRules ?? []).map((r, i) => {
    try {
      const equal = r.equal ?? [];
      if (!Array.isArray(equal) || equal.some((l) => typeof l !== 'string'))
        throw new Error('equal must be a list of label names');
      const source = toMatchers(r.sourceMatchers);
      const target = toMatchers(r.targetMatchers);
      if (!source.length || !target.length)
        throw new Error('needs sourceMatchers and targetMatchers');
      return { source, target, equal };
    } catch (e) {
      throw new PolicyError(`inhibitRules[${i}]: ${(e as Error).message}`);
    }
  });
  return { root, receivers, inhibitRules, intervals };
}

/** Alertmanager's Route.Match: the deepest matching routes, following `continue` siblings. */
export function matchRoutes(route: Route, labels: Record<string, string>): Route[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const found = matchRoutes(child, labels);
    all.push(...found);
    if (found.length && !child.continue) break;
  }
  return all.length ? all : [route];
}

/** The labels an alert is grouped by on a route. */
export function groupLabelsFor(
  route: Route,
  labels: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const names = route.groupByAll ? Object.keys(labels) : route.groupBy;
  for (const n of [...names].sort())
    if (labels[n] !== undefined && labels[n] !== '') out[n] = labels[n];
  return out;
}

function printLabels(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;
}

/** Alertmanager's group key: the route's key, then the group labels. */
export function groupKeyOf(route: Route, groupLabels: Record<string, string>): string {
  return `${route.key}:${printLabels(groupLabels)}`;
}

/** A short stable hash for job ids and table keys. */
export function hashKey(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\x00');
  return h.digest('hex').slice(0, 24);
}

/** A route as routeTest and explainAlert show it. */
export function describeRoute(r: Route) {
  return {
    id: r.id,
    key: r.key,
    matchers: printMatchers(r.matchers),
    continue: r.continue,
    receiver: r.receiver.name,
    channelIds: r.receiver.channelIds ?? [],
    escalationPolicyId: r.receiver.escalationPolicyId ?? null,
    groupBy: r.groupByAll ? ['...'] : r.groupBy,
    groupWait: formatDuration(r.groupWaitMs),
    groupInterval: formatDuration(r.groupIntervalMs),
    repeatInterval: formatDuration(r.repeatIntervalMs),
    muteTimeIntervals: r.muteTimeIntervals,
  };
}

/** The route with this id, for a flush that re-reads the current policy. */
export function findRoute(root: Route, id: string): Route | null {
  if (root.id === id) return root;
  for (const c of root.routes) {
    if (id === c.id || id.startsWith(`${c.id}.`)) return findRoute(c, id);
  }
  return null;
}
