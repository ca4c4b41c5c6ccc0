/** A channel's message templates; any field left out uses the kind's default. */
export interface ChannelTemplates {
  title?: string;
  body?: string;
}

export const DEFAULT_TITLE =
  '[{{ if eq .Status "firing" }}FIRING:{{ len .Firing }}{{ else }}RESOLVED{{ end }}] {{ .CommonLabels.alertname }}' +
  '{{ with .CommonLabels.severity }} ({{ . }}){{ end }}';

export const DEFAULT_BODY = `{{ if .IsTest }}{{ .Message }}
{{ else }}{{ with .CommonAnnotations.summary }}{{ . }}
{{ end }}{{ range .Alerts }}
- [{{ .Status }}] {{ with .Annotations.summary }}{{ . }}{{ else }}{{ .Labels.alertname }}{{ end }}{{ with .Labels.instance }} on {{ . }}{{ end }}{{ with .Annotations.description }}
  {{ . }}{{ end }}{{ end }}{{ if .TruncatedAlerts }}
… and {{ .TruncatedAlerts }} more{{ end }}
{{ end }}`;

/** Chat robots and SMS want fewer lines: one per alert, no descriptions. */
export const SHORT_BODY = `{{ if .IsTest }}{{ .Message }}{{ else }}{{ range .Alerts }}{{ .Status }}: {{ with .Annotations.summary }}{{ . }}{{ else }}{{ .Labels.alertname }}{{ end }}{{ with .Labels.instance }} ({{ . }}){{ end }}
{{ end }}{{ end }}`;

/** Spoken aloud: no lists, no URLs. */
export const VOICE_BODY =
  '{{ if .IsTest }}{{ .Message }}{{ else }}{{ .Status }}: {{ len .Alerts }} alerts, {{ .CommonLabels.alertname }}. {{ .CommonAnnotations.summary }}{{ end }}';

export function resolveTemplates(
  kindDefaults: ChannelTemplates | undefined,
  overrides: ChannelTemplates | null | undefined,
): Required<ChannelTemplates> {
  return {
    title: overrides?.title || kindDefaults?.title || DEFAULT_TITLE,
    body: overrides?.body || kindDefaults?.body || DEFAULT_BODY,
  };
}
