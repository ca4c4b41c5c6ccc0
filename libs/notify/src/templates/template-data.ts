import type { AlertGroupNotification, AlertPayload, ChannelNotification } from '@tocsin/queue';

/** What templates see, named as in Alertmanager so existing templates carry over. */
export interface TemplateAlert {
  Status: string;
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  StartsAt: string;
  EndsAt: string;
  GeneratorURL: string;
  Fingerprint: string;
  Value: number | null;
}

export interface TemplateData {
  Status: 'firing' | 'resolved';
  Receiver: string;
  GroupKey: string;
  GroupLabels: Record<string, string>;
  CommonLabels: Record<string, string>;
  CommonAnnotations: Record<string, string>;
  ExternalURL: string;
  Alerts: TemplateAlert[];
  Firing: TemplateAlert[];
  Resolved: TemplateAlert[];
  TruncatedAlerts: number;
  /** True for testChannel's message. */
  IsTest: boolean;
  /** The test message, empty otherwise. */
  Message: string;
}

/** A test notification, shaped like a one-alert group so every template and provider can render it. */
export function asAlertGroup(
  n: ChannelNotification,
  externalURL: string,
  now: Date,
): AlertGroupNotification {
  if (n.kind === 'alert-group') return n;
  return {
    kind: 'alert-group',
    groupKey: 'tocsin-test',
    status: 'firing',
    receiver: 'test',
    groupLabels: { alertname: 'TocsinTest' },
    commonLabels: { alertname: 'TocsinTest', severity: 'info' },
    commonAnnotations: { summary: n.message },
    externalURL,
    alerts: [
      {
        fingerprint: '0000000000000000',
        status: 'firing',
        labels: { alertname: 'TocsinTest', severity: 'info' },
        annotations: { summary: n.message },
        startsAt: now.toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: externalURL,
      },
    ],
    truncatedAlerts: 0,
  };
}

export function templateData(n: ChannelNotification, externalURL: string, now: Date): TemplateData {
  const g = asAlertGroup(n, externalURL, now);
  const alerts = g.alerts.map(toTemplateAlert);
  return {
    Status: g.status,
    Receiver: g.receiver,
    GroupKey: g.groupKey,
    GroupLabels: g.groupLabels,
    CommonLabels: g.commonLabels,
    CommonAnnotations: g.commonAnnotations,
    ExternalURL: g.externalURL || externalURL,
    Alerts: alerts,
    Firing: alerts.filter((a) => a.Status === 'firing'),
    Resolved: alerts.filter((a) => a.Status === 'resolved'),
    TruncatedAlerts: g.truncatedAlerts,
    IsTest: n.kind === 'test',
    Message: n.kind === 'test' ? n.message : '',
  };
}

function toTemplateAlert(a: AlertPayload): TemplateAlert {
  return {
    Status: a.status,
    Labels: a.labels,
    Annotations: a.annotations,
    StartsAt: a.startsAt,
    EndsAt: a.endsAt,
    GeneratorURL: a.generatorURL,
    Fingerprint: a.fingerprint,
    Value: a.value ?? null,
  };
}

/** A realistic notification for previews when the caller gives no sample. */
export function sampleNotification(now: Date, externalURL: string): AlertGroupNotification {
  return {
    kind: 'alert-group',
    groupKey: '{}/{severity="critical"}:{alertname="HighErrorRate"}',
    status: 'firing',
    receiver: 'team-web',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', severity: 'critical', job: 'web' },
    commonAnnotations: { summary: 'Error rate above 5% for 10 minutes' },
    externalURL,
    alerts: ['web-1:9100', 'web-2:9100'].map((instance, i) => ({
      fingerprint: `a1b2c3d4e5f6000${i}`,
      status: 'firing' as const,
      labels: { alertname: 'HighErrorRate', severity: 'critical', job: 'web', instance },
      annotations: {
        summary: 'Error rate above 5% for 10 minutes',
        description: `5xx ratio on ${instance} is 7.${i}%`,
      },
      startsAt: new Date(now.getTime() - 10 * 60_000).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: `${externalURL}/alerts`,
      value: 0.07 + i / 1000,
    })),
    truncatedAlerts: 0,
  };
}
