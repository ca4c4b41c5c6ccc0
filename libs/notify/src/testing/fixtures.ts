import type { AlertGroupNotification } from '@tocsin/queue';
import type { NotifyContext, RenderedNotification } from '../notifier';
import { renderNotification } from '../templates/render-notification';

export const FIXED_NOW = new Date('2026-11-26T12:00:00.000Z');

export function alertGroup(status: 'firing' | 'resolved' = 'firing'): AlertGroupNotification {
  return {
    kind: 'alert-group',
    groupKey: '{}:{alertname="DiskFull"}',
    status,
    receiver: 'ops',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'warning', job: 'node' },
    commonAnnotations: { summary: 'Disk almost full' },
    externalURL: 'https://tocsin.example.com',
    alerts: [
      {
        fingerprint: 'f1',
        status,
        labels: { alertname: 'DiskFull', severity: 'warning', job: 'node', instance: 'db-1:9100' },
        annotations: { summary: 'Disk almost full', description: '95% used on /var' },
        startsAt: '2026-11-26T11:50:00.000Z',
        endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-26T11:59:00.000Z',
        generatorURL: 'https://tocsin.example.com/rules/1',
      },
    ],
    truncatedAlerts: 0,
  };
}

export function rendered(
  status: 'firing' | 'resolved' = 'firing',
  voice = false,
): RenderedNotification {
  return renderNotification(alertGroup(status), {
    externalURL: 'https://tocsin.example.com',
    now: FIXED_NOW,
    voice,
  });
}

export function ctx(overrides: Partial<NotifyContext> = {}): NotifyContext {
  return {
    orgId: '00000000-0000-4000-8000-000000000001',
    channelId: '00000000-0000-4000-8000-000000000002',
    idempotencyKey: 'group-1:firing:chan-1',
    timeoutMs: 2000,
    // Test receivers listen on 127.0.0.1.
    allowPrivateNetworks: true,
    deployment: { smtpFrom: 'Tocsin <t@example.com>' },
    now: () => FIXED_NOW,
    ...overrides,
  };
}
