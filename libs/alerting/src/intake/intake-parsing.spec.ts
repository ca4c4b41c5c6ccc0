import { parseAlertmanagerBody, parseWebhookBody } from './intake.service';

describe('alert intake parsing', () => {
  it('reads Alertmanager postable alerts', () => {
    const [a] = parseAlertmanagerBody([
      {
        labels: { alertname: 'Down', job: 'api' },
        annotations: { summary: 's' },
        startsAt: '2026-11-26T20:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prom/graph',
      },
    ]);
    expect(a).toMatchObject({
      labels: { alertname: 'Down', job: 'api' },
      annotations: { summary: 's' },
      endsAt: null,
      generatorURL: 'http://prom/graph',
    });
    expect(a.startsAt?.toISOString()).toBe('2026-11-26T20:00:00.000Z');
  });

  it('refuses bad bodies with the place of the error', () => {
    expect(() => parseAlertmanagerBody({})).toThrow('JSON array');
    expect(() => parseAlertmanagerBody([{}])).toThrow('alerts[0].labels is required');
    expect(() => parseAlertmanagerBody([{ labels: {} }])).toThrow('must not be empty');
    expect(() => parseAlertmanagerBody([{ labels: { a: 1 } }])).toThrow(
      'alerts[0].labels.a must be a string',
    );
    expect(() => parseAlertmanagerBody([{ labels: { 'bad-name': 'x' } }])).toThrow('invalid name');
    expect(() => parseAlertmanagerBody([{ labels: { a: 'b' }, startsAt: 'soon' }])).toThrow(
      'RFC 3339',
    );
    expect(() =>
      parseAlertmanagerBody([
        { labels: { a: 'b' }, startsAt: '2026-11-26T20:00:00Z', endsAt: '2026-11-26T19:00:00Z' },
      ]),
    ).toThrow('before startsAt');
    expect(() =>
      parseAlertmanagerBody(Array.from({ length: 1001 }, () => ({ labels: { a: 'b' } }))),
    ).toThrow('at most 1000');
  });

  it('reads the generic webhook, keyed by its dedup key', () => {
    expect(
      parseWebhookBody({
        dedup_key: 'k1',
        status: 'trigger',
        title: 'Disk full',
        labels: { host: 'db1' },
      }),
    ).toEqual({
      dedupKey: 'k1',
      status: 'firing',
      labels: { alertname: 'Disk full', host: 'db1', dedup_key: 'k1' },
      annotations: { summary: 'Disk full' },
    });
    expect(parseWebhookBody({ dedupKey: 'k1', status: 'RESOLVED' }).status).toBe('resolved');
    expect(() => parseWebhookBody({ status: 'firing' })).toThrow('dedupKey is required');
    expect(() => parseWebhookBody({ dedupKey: 'k', status: 'maybe' })).toThrow('status must be');
    expect(() => parseWebhookBody([])).toThrow('JSON object');
  });
});
