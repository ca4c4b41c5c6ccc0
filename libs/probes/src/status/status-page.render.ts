import type { StatusPageModel } from './status-page.service';
import type { StatusUpdateRow } from './status-incidents.repository';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function pct(r: number | null): string {
  return r === null ? 'no data' : `${(Math.floor(r * 10000) / 100).toFixed(2)}%`;
}

function barColour(up: number, total: number): string {
  if (total === 0) return '#d0d4d9';
  const r = up / total;
  return r >= 0.999 ? '#2da44e' : r >= 0.99 ? '#bf8700' : '#cf222e';
}

/** Plain HTML, no scripts: it must load when everything else is down. */
export function renderStatusPage(m: StatusPageModel): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const open = m.incidents.filter((i) => !i.endsAt || i.endsAt.getTime() > m.generatedAt);
  const past = m.incidents.filter((i) => i.endsAt && i.endsAt.getTime() <= m.generatedAt);
  const allUp = m.components.every((c) => c.status !== 'down') && !open.some((i) => i.kind === 'incident');
  const incident = (i: StatusPageModel['incidents'][number]) => `
  <article class="incident ${i.kind}" data-id="${i.id}">
    <h3>${escapeHtml(i.title)} <small>${escapeHtml(i.kind)} · ${escapeHtml(i.status)}</small></h3>
    ${i.updates.map((u) => `<p><time datetime="${u.createdAt.toISOString()}">${u.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</time> <b>${escapeHtml(u.status)}</b> — ${escapeHtml(u.body)}</p>`).join('\n    ')}
  </article>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(m.orgName)} status</title>
<link rel="alternate" type="application/atom+xml" href="/status/${escapeHtml(m.slug)}/feed.atom">
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1f2328}
.bars{display:flex;gap:1px;height:28px}.bars span{flex:1;border-radius:1px}.component{margin:1.2rem 0}
.banner{padding:.8rem 1rem;border-radius:6px;color:#fff;background:${allUp ? '#2da44e' : '#cf222e'}}small{color:#656d76;font-weight:normal}</style></head>
<body>
<h1>${escapeHtml(m.orgName)}</h1>
<p class="banner">${allUp ? 'All systems operational' : 'Some systems are having problems'}</p>
${open.length ? `<section><h2>Current incidents and maintenance</h2>${open.map(incident).join('')}</section>` : ''}
<section><h2>Components <small>uptime over ${m.components[0]?.days.length ?? 90} days</small></h2>
${m.components
  .map(
    (c) => `<div class="component" data-check="${c.id}" data-uptime="${c.uptime ?? ''}">
  <h3>${escapeHtml(c.name)} <small>${escapeHtml(c.status)} · ${pct(c.uptime)}</small></h3>
  <div class="bars">${c.days.map((d) => `<span style="background:${barColour(d.up, d.total)}" title="${day(d.day)}: ${d.total ? pct(d.up / d.total) : 'no data'}" data-day="${day(d.day)}" data-up="${d.up}" data-total="${d.total}"></span>`).join('')}</div>
</div>`,
  )
  .join('\n')}
</section>
${past.length ? `<section><h2>Past incidents</h2>${past.map(incident).join('')}</section>` : ''}
<footer><small>Updated ${new Date(m.generatedAt).toISOString()} · <a href="/status/${escapeHtml(m.slug)}/feed.atom">Atom feed</a></small></footer>
</body></html>
`;
}

export function renderAtomFeed(slug: string, baseUrl: string, orgName: string, entries: (StatusUpdateRow & { title: string; kind: string })[]): string {
  const x = escapeHtml;
  const updated = (entries[0]?.createdAt ?? new Date(0)).toISOString();
  const self = `${baseUrl}/status/${slug}/feed.atom`;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${x(orgName)} status</title>
  <id>${x(self)}</id>
  <link rel="self" href="${x(self)}"/>
  <link rel="alternate" href="${x(`${baseUrl}/status/${slug}`)}"/>
  <updated>${updated}</updated>
${entries
  .map(
    (e) => `  <entry>
    <id>urn:uuid:${e.id}</id>
    <title>${x(`${e.title} — ${e.status}`)}</title>
    <updated>${e.createdAt.toISOString()}</updated>
    <category term="${x(e.kind)}"/>
    <content type="text">${x(e.body)}</content>
  </entry>`,
  )
  .join('\n')}
</feed>
`;
}
