import {
  humanize,
  humanizeDuration,
  humanizePercentage,
  renderTemplate,
  validateTemplate,
} from './templates';

const data = { labels: { instance: 'web-1:9100', job: 'node' }, value: 1234567.891 };

describe('annotation templates', () => {
  it('substitutes labels and the value', () => {
    expect(renderTemplate('{{ $labels.instance }} is at {{ $value }}', data)).toBe(
      'web-1:9100 is at 1234567.891',
    );
    expect(
      renderTemplate('{{ .Labels.job }}/{{ .Value }}', { labels: { job: 'x' }, value: 2 }),
    ).toBe('x/2');
    expect(renderTemplate('[{{ $labels.missing }}]', data)).toBe('[]');
  });

  it('pipes and calls the humanize family', () => {
    expect(renderTemplate('{{ $value | humanize }}', data)).toBe('1.235M');
    expect(renderTemplate('{{ humanize $value }}', data)).toBe('1.235M');
    expect(renderTemplate('{{ humanizePercentage 0.1234 }}', data)).toBe('12.34%');
    expect(renderTemplate('{{ 3725 | humanizeDuration }}', data)).toBe('1h 2m 5s');
    expect(renderTemplate('{{ $value | humanize1024 }}', { labels: {}, value: 2048 })).toBe('2ki');
  });

  it('formats with printf', () => {
    expect(renderTemplate('{{ printf "%.2f" $value }}', data)).toBe('1234567.89');
    expect(renderTemplate('{{ printf "%s has %d%%" $labels.job 42.7 }}', data)).toBe(
      'node has 42%',
    );
    expect(renderTemplate('{{ $value | printf "%.1f" }}', { labels: {}, value: 0.25 })).toBe('0.3');
    expect(renderTemplate('{{ printf "%5s|%-4d|" "ab" 7 }}', data)).toBe('   ab|7   |');
  });

  it('trims whitespace with {{- and -}}', () => {
    expect(renderTemplate('a   {{- $labels.job -}}   b', data)).toBe('anodeb');
  });

  it('renders an error marker for unknown names instead of throwing, and never evaluates code', () => {
    expect(renderTemplate('{{ $labels.job }} {{ process.exit 1 }}', data)).toMatch(
      /^<error expanding template: /,
    );
    expect(renderTemplate('{{ constructor }}', data)).toMatch(/unknown name/);
    expect(validateTemplate('{{ $value | nope }}')).toMatch(/not a function/);
    expect(validateTemplate('{{ $value ')).toMatch(/unclosed/);
    expect(validateTemplate('plain {{ $labels.x }}')).toBeNull();
  });

  it('humanizes like Prometheus', () => {
    expect(humanize(0.0012)).toBe('1.2m');
    expect(humanize(999)).toBe('999');
    expect(humanize(0)).toBe('0');
    expect(humanizeDuration(0.5)).toBe('500ms');
    expect(humanizeDuration(90061)).toBe('1d 1h 1m 1s');
    expect(humanizePercentage(1)).toBe('100%');
  });
});
