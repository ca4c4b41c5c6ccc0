import { z } from 'zod';

export const PANEL_TYPES = ['timeseries', 'stat', 'gauge', 'table', 'heatmap'] as const;

const panelSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string().max(200).default(''),
  type: z.enum(PANEL_TYPES),
  query: z.string().max(4000).default(''),
  unit: z.string().max(32).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** Columns of a 12-column grid. */
  width: z.number().int().min(1).max(12).default(6),
});

const variableSchema = z.object({
  /** Referenced in queries as $name. */
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a variable name is letters, digits and _'),
  /** The label whose values the variable offers. */
  label: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label name is letters, digits and _'),
  /** Series selector limiting the values, e.g. up{job="api"}. */
  match: z.string().max(1000).optional(),
});

/** What a dashboard holds besides its title; validated on every save. */
export const dashboardDefinitionSchema = z.object({
  panels: z.array(panelSchema).max(60).default([]),
  variables: z.array(variableSchema).max(20).default([]),
  time: z
    .object({
      rangeMs: z
        .number()
        .int()
        .min(60_000)
        .max(90 * 86_400_000)
        .default(3_600_000),
      refreshSeconds: z.number().int().min(0).max(86_400).default(0),
    })
    .default({ rangeMs: 3_600_000, refreshSeconds: 0 }),
});
export type DashboardDefinition = z.output<typeof dashboardDefinitionSchema>;
export type DashboardPanel = DashboardDefinition['panels'][number];

/** Parses a definition, or returns the first problem in words with its path. */
export function parseDefinition(input: unknown): DashboardDefinition | string {
  const result = dashboardDefinitionSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  return `${issue.path.join('.') || 'definition'}: ${issue.message}`;
}

const GRAFANA_TYPES: Record<string, DashboardPanel['type']> = {
  graph: 'timeseries',
  timeseries: 'timeseries',
  stat: 'stat',
  singlestat: 'stat',
  gauge: 'gauge',
  bargauge: 'gauge',
  table: 'table',
  'table-old': 'table',
  heatmap: 'heatmap',
};

interface GrafanaPanel {
  id?: number;
  title?: string;
  type?: string;
  gridPos?: { w?: number };
  targets?: Array<{ expr?: string; hide?: boolean }>;
  panels?: GrafanaPanel[];
  fieldConfig?: { defaults?: { unit?: string; min?: number; max?: number } };
}

export interface GrafanaImport {
  title: string;
  definition: DashboardDefinition;
  /** Panels left out (no Prometheus query, e.g. text panels), by title. */
  skipped: string[];
}

/**
 * A Grafana dashboard JSON (the export, or the API's { dashboard } wrapper) → ours. Panels keep
 * their first visible Prometheus query; rows are flattened; `label_values(…)` query variables
 * become label variables. Grafana's 24-column grid halves into our 12.
 */
export function fromGrafana(json: unknown): GrafanaImport | string {
  if (!json || typeof json !== 'object') return 'That is not a Grafana dashboard JSON object.';
  const root = json as Record<string, unknown>;
  const dash = (root.dashboard && typeof root.dashboard === 'object' ? root.dashboard : root) as {
    title?: string;
    panels?: GrafanaPanel[];
    rows?: Array<{ panels?: GrafanaPanel[] }>;
    templating?: { list?: Array<{ name?: string; type?: string; query?: unknown }> };
    refresh?: string | false;
  };
  if (!Array.isArray(dash.panels) && !Array.isArray(dash.rows))
    return 'No panels found: export the dashboard from Grafana with "Export → Save to file".';
  const flat: GrafanaPanel[] = [];
  const walk = (list: GrafanaPanel[] | undefined) => {
    for (const p of list ?? []) {
      if (p.type === 'row') walk(p.panels);
      else flat.push(p);
    }
  };
  walk(dash.panels);
  for (const row of dash.rows ?? []) walk(row.panels);

  const panels: DashboardPanel[] = [];
  const skipped: string[] = [];
  flat.forEach((p, i) => {
    const expr = p.targets?.find(
      (t) => !t.hide && typeof t.expr === 'string' && t.expr.trim(),
    )?.expr;
    if (!expr) {
      skipped.push(p.title || `panel ${i + 1}`);
      return;
    }
    const d = p.fieldConfig?.defaults ?? {};
    panels.push({
      id: String(p.id ?? i + 1),
      title: (p.title ?? '').slice(0, 200),
      type: GRAFANA_TYPES[p.type ?? ''] ?? 'timeseries',
      query: expr.slice(0, 4000),
      unit: typeof d.unit === 'string' ? d.unit.slice(0, 32) : undefined,
      min: typeof d.min === 'number' ? d.min : undefined,
      max: typeof d.max === 'number' ? d.max : undefined,
      width: Math.min(12, Math.max(1, Math.round((p.gridPos?.w ?? 12) / 2))),
    });
  });

  const variables: DashboardDefinition['variables'] = [];
  for (const v of dash.templating?.list ?? []) {
    if (v.type !== 'query' || !v.name) continue;
    const text =
      typeof v.query === 'string' ? v.query : (v.query as { query?: string } | null)?.query;
    const m = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(
      text ?? '',
    );
    if (!m || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v.name)) continue;
    variables.push({ name: v.name, label: m[2], match: m[1] || undefined });
  }
  const refresh = typeof dash.refresh === 'string' ? /^(\d+)([smh])$/.exec(dash.refresh) : null;
  const refreshSeconds = refresh
    ? Number(refresh[1]) * { s: 1, m: 60, h: 3600 }[refresh[2] as 's' | 'm' | 'h']
    : 0;
  const definition = parseDefinition({
    panels: panels.slice(0, 60),
    variables: variables.slice(0, 20),
    time: { rangeMs: 3_600_000, refreshSeconds },
  });
  if (typeof definition === 'string') return `The dashboard could not be converted: ${definition}`;
  return { title: (dash.title || 'Imported dashboard').slice(0, 200), definition, skipped };
}
