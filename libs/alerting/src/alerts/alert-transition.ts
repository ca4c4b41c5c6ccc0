import { Inject, Injectable } from '@nestjs/common';
import { PUB_SUB, type RedisPubSub } from '@tocsin/queue';
import type { AlertState } from './state-machine';

/** One change of one alert instance, after it was committed. JSON-safe (it crosses Redis). */
export interface AlertTransition {
  alertId: string;
  ruleId: string;
  ruleName: string;
  groupId: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  from: AlertState;
  /** `from === to` means only the flapping mark changed. */
  to: AlertState;
  value: number | null;
  /** ISO 8601 evaluation instant. */
  at: string;
  flapping: boolean;
  activeSince: string | null;
  firedAt: string | null;
  resolvedAt: string | null;
  severity: string | null;
  /**
   * Set when the outbox sweeper feeds a transition again because its first hand-off was not
   * confirmed (the worker died after the commit). Dispatch is idempotent without it; it is there
   * for logs and explainers.
   */
  replayed?: boolean;
}

/** What travels on the `alerts:${orgId}` pub/sub topic. */
export interface AlertsTopicMessage {
  kind: 'transitions';
  orgId: string;
  transitions: AlertTransition[];
}

export function alertsTopic(orgId: string): string {
  return `alerts:${orgId}`;
}

/**
 * The seam between evaluation and dispatch. The evaluator calls `onTransitions` once per
 * evaluation, after the transaction that persisted the states and their history committed.
 * The default only publishes; dispatch (silences, routing, grouping, notify) wraps it by
 * providing its own implementation for this token, delegating to `PublishingTransitionSink`.
 */
export abstract class AlertTransitionSink {
  abstract onTransitions(orgId: string, transitions: AlertTransition[]): Promise<void>;
}

/** Publishes transitions to Redis pub/sub for GraphQL subscriptions on every api replica. */
@Injectable()
export class PublishingTransitionSink extends AlertTransitionSink {
  constructor(@Inject(PUB_SUB) private readonly pubsub: RedisPubSub) {
    super();
  }

  async onTransitions(orgId: string, transitions: AlertTransition[]): Promise<void> {
    if (transitions.length === 0) return;
    const message: AlertsTopicMessage = { kind: 'transitions', orgId, transitions };
    await this.pubsub.publish(alertsTopic(orgId), message);
  }
}
