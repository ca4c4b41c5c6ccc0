import { TemplateError, renderTemplate } from './template-engine';

const data = {
  Status: 'firing',
  CommonLabels: { alertname: 'HighLatency', 'team.name': 'web' },
  ExternalURL: 'https://t.example',
  Alerts: [
    { Status: 'firing', Labels: { instance: 'a:1' }, Annotations: { summary: 'slow' } },
    { Status: 'resolved', Labels: { instance: 'b:2' }, Annotations: {} },
  ],
  Empty: [],
  Count: 0,
};

describe('template engine', () => {
  it.each([
    ['{{ .Status }}', 'firing'],
    ['{{ .CommonLabels.alertname }}!', 'HighLatency!'],
    ['{{ .Missing.Deep }}|', '|'],
    ['{{ index .CommonLabels "team.name" }}', 'web'],
    [
      '{{ range .Alerts }}[{{ .Labels.instance }} {{ $.Status }}]{{ end }}',
      '[a:1 firing][b:2 firing]',
    ],
    ['{{ range .Empty }}x{{ else }}none{{ end }}', 'none'],
    ['{{ if eq .Status "firing" }}F{{ else }}R{{ end }}', 'F'],
    ['{{ if eq .Status "resolved" }}R{{ else if .Alerts }}has{{ else }}no{{ end }}', 'has'],
    ['{{ if .Count }}a{{ else if .Empty }}b{{ else }}c{{ end }}', 'c'],
    ['{{ with .CommonLabels.alertname }}<{{ . }}>{{ end }}', '<HighLatency>'],
    ['{{ with .Nope }}x{{ else }}y{{ end }}', 'y'],
    ['{{ .Status | upper }}', 'FIRING'],
    ['{{ len .Alerts }}', '2'],
    ['{{ .Nope | default "n/a" }}', 'n/a'],
    ['{{ "a b" | title }}', 'A B'],
    ['a  {{- .Status -}}  b', 'afiringb'],
    ['{{/* note */}}x', 'x'],
    ['{{ "}}" }}', '}}'],
    [
      '{{ range .Alerts }}{{ if eq .Status "resolved" }}{{ .Labels.instance }}{{ end }}{{ end }}',
      'b:2',
    ],
  ])('%s → %s', (src, out) => {
    expect(renderTemplate(src, data)).toBe(out);
  });

  it('does not reach prototypes or methods', () => {
    expect(
      renderTemplate('{{ .constructor }}{{ .Status.length }}{{ .__proto__ }}{{ .toString }}', data),
    ).toBe('');
  });

  it.each([
    ['{{ .Status', 'Unclosed'],
    ['{{ if .Status }}x', 'no {{ end }}'],
    ['{{ end }}', 'Unexpected'],
    ['{{ exec "rm" }}', 'Unknown function'],
    ['{{ .Status | .Other }}', 'function name'],
    ['{{ $x := 1 }}', 'not supported'],
    ['{{ template "x" }}', 'not supported'],
    ['{{ (len .Alerts) }}', 'Parentheses'],
  ])('rejects %s', (src, message) => {
    expect(() => renderTemplate(src, data)).toThrow(TemplateError);
    expect(() => renderTemplate(src, data)).toThrow(message);
  });

  it('bounds loops and output', () => {
    const big = { L: Array.from({ length: 200 }, (_, i) => i) };
    expect(() =>
      renderTemplate(
        '{{ range .L }}{{ range $.L }}{{ range $.L }}x{{ end }}{{ end }}{{ end }}',
        big,
      ),
    ).toThrow(/loops more than/);
    expect(() =>
      renderTemplate('{{ range .L }}{{ range $.L }}xxxxxxxxxx{{ end }}{{ end }}', big, {
        maxIterations: 1e9,
      }),
    ).toThrow(/output exceeds/);
    expect(() => renderTemplate('{{ if 1 }}'.repeat(40) + '{{ end }}'.repeat(40), {})).toThrow(
      /nests deeper/,
    );
  });
});
