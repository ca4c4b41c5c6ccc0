import { alertGroup, FIXED_NOW } from '../testing/fixtures';
import { renderNotification } from './render-notification';

describe('renderNotification', () => {
  const opts = { externalURL: 'https://t.example', now: FIXED_NOW };

  it('renders default title, body and a link', () => {
    const r = renderNotification(alertGroup(), opts);
    expect(r.title).toBe('[FIRING:1] DiskFull (warning)');
    expect(r.text).toContain('Disk almost full');
    expect(r.text).toContain('on db-1:9100');
    expect(r.text).toContain('95% used on /var');
    expect(r.link).toBe('https://tocsin.example.com');
    expect(r.html).toContain('<a href="https://tocsin.example.com">');
  });

  it('applies overrides and escapes HTML in the email part', () => {
    const g = alertGroup();
    g.commonAnnotations.summary = '<script>alert(1)</script>';
    const r = renderNotification(g, {
      ...opts,
      templates: { title: '{{ .Status }}!', body: '{{ .CommonAnnotations.summary }}' },
    });
    expect(r.title).toBe('firing!');
    expect(r.text).toBe('<script>alert(1)</script>');
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;script&gt;');
  });

  it('renders test notifications as a one-alert group', () => {
    const r = renderNotification({ kind: 'test', message: 'hello there' }, opts);
    expect(r.title).toBe('[FIRING:1] TocsinTest (info)');
    expect(r.text).toBe('hello there');
    expect(r.link).toBe('https://t.example');
  });
});
