import { fromGrafana, parseDefinition } from './dashboard-definition';

describe('parseDefinition', () => {
  it('fills defaults and refuses bad input with its path', () => {
    expect(parseDefinition({})).toEqual({
      panels: [],
      variables: [],
      time: { rangeMs: 3_600_000, refreshSeconds: 0 },
    });
    expect(parseDefinition({ panels: [{ id: 'a', type: 'pie', query: 'up' }] })).toMatch(
      /^panels\.0\.type: /,
    );
    expect(parseDefinition({ variables: [{ name: 'bad name', label: 'job' }] })).toBe(
      'variables.0.name: a variable name is letters, digits and _',
    );
  });
});

describe('fromGrafana', () => {
  const grafana = {
    dashboard: {
      title: 'Node',
      refresh: '30s',
      templating: {
        list: [
          { name: 'job', type: 'query', query: 'label_values(up, job)' },
          { name: 'instance', type: 'query', query: { query: 'label_values(instance)' } },
          { name: 'ds', type: 'datasource', query: 'prometheus' },
        ],
      },
      panels: [
        {
          id: 1,
          type: 'timeseries',
          title: 'CPU',
          gridPos: { w: 12 },
          targets: [{ expr: 'rate(cpu[5m])' }],
        },
        { id: 2, type: 'text', title: 'Notes' },
        {
          type: 'row',
          title: 'More',
          panels: [
            {
              id: 3,
              type: 'singlestat',
              title: 'Up',
              gridPos: { w: 6 },
              targets: [{ expr: 'x', hide: true }, { expr: 'up{job="$job"}' }],
              fieldConfig: { defaults: { unit: 'percent', min: 0, max: 100 } },
            },
          ],
        },
      ],
    },
  };

  it('keeps Prometheus panels and label_values variables, and says what it skipped', () => {
    const result = fromGrafana(grafana);
    expect(typeof result).toBe('object');
    if (typeof result === 'string') return;
    expect(result.title).toBe('Node');
    expect(result.skipped).toEqual(['Notes']);
    expect(result.definition.panels).toEqual([
      { id: '1', title: 'CPU', type: 'timeseries', query: 'rate(cpu[5m])', width: 6 },
      {
        id: '3',
        title: 'Up',
        type: 'stat',
        query: 'up{job="$job"}',
        unit: 'percent',
        min: 0,
        max: 100,
        width: 3,
      },
    ]);
    expect(result.definition.variables).toEqual([
      { name: 'job', label: 'job', match: 'up' },
      { name: 'instance', label: 'instance' },
    ]);
    expect(result.definition.time.refreshSeconds).toBe(30);
  });

  it('explains input that is not a dashboard', () => {
    expect(fromGrafana('x')).toBe('That is not a Grafana dashboard JSON object.');
    expect(fromGrafana({ title: 'x' })).toMatch(/^No panels found/);
  });
});
