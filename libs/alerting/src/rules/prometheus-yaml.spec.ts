import { parsePrometheusRules, toPrometheusYaml } from './prometheus-yaml';

const FILE = `
groups:
  - name: node
    interval: 30s
    rules:
      - record: job:node_cpu:avg
        expr: avg by (job) (rate(node_cpu_seconds_total[5m]))
        labels:
          team: infra
      - alert: HighCpu
        expr: job:node_cpu:avg > 0.9
        for: 5m
        keep_firing_for: 1m30s
        labels:
          severity: critical
          priority: 1
        annotations:
          summary: "CPU of {{ $labels.job }} at {{ $value | humanizePercentage }}"
  - name: defaults
    rules:
      - alert: Down
        expr: up == 0
`;

describe('Prometheus rule files', () => {
  it('reads alerting and recording rules with durations and string labels', () => {
    const groups = parsePrometheusRules(FILE);
    expect(groups.map((g) => [g.name, g.intervalMs, g.rules.length])).toEqual([
      ['node', 30_000, 2],
      ['defaults', 60_000, 1],
    ]);
    const [record, alert] = groups[0].rules;
    expect(record).toMatchObject({
      kind: 'recording',
      name: 'job:node_cpu:avg',
      labels: { team: 'infra' },
    });
    expect(alert).toMatchObject({
      kind: 'alerting',
      name: 'HighCpu',
      forMs: 300_000,
      keepFiringForMs: 90_000,
      labels: { severity: 'critical', priority: '1' },
    });
  });

  it('round-trips: export then import gives the same rules', () => {
    const groups = parsePrometheusRules(FILE);
    const text = toPrometheusYaml(groups);
    expect(text).toContain('keep_firing_for: 1m30s');
    expect(text).toContain('record: job:node_cpu:avg');
    expect(parsePrometheusRules(text)).toEqual(groups);
  });

  it.each([
    ['not yaml', 'groups: [', /not valid YAML/],
    ['no groups', 'rules: []', /groups/],
    [
      'unknown field',
      'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up\n        severity: high',
      /unknown field "severity"/,
    ],
    [
      'bad expr',
      'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: "up >"',
      /does not parse/,
    ],
    [
      'both alert and record',
      'groups:\n  - name: a\n    rules:\n      - alert: X\n        record: y\n        expr: up',
      /exactly one/,
    ],
    [
      'bad metric name',
      'groups:\n  - name: a\n    rules:\n      - record: "a-b"\n        expr: up',
      /valid metric name/,
    ],
    [
      'bad duration',
      'groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: up\n        for: soon',
      /duration/,
    ],
    ['duplicate group', 'groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []', /twice/],
    ['yaml tags', 'groups: !!js/function "function(){}"', /not valid YAML/],
  ])('refuses %s with a clear error', (_name, text, message) => {
    expect(() => parsePrometheusRules(text)).toThrow(message);
  });
});
