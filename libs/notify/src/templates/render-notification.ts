import type { ChannelNotification } from '@tocsin/queue';
import type { RenderedNotification } from '../notifier';
import { resolveTemplates, type ChannelTemplates } from './default-templates';
import { templateData } from './template-data';
import { compileTemplate } from './template-engine';

export interface RenderOptions {
  /** The provider's defaults (Notifier.defaultTemplates). */
  kindDefaults?: ChannelTemplates;
  templates?: ChannelTemplates | null;
  /** Voice reads the body itself; others speak the title and first line. */
  voice?: boolean;
  externalURL: string;
  now: Date;
}

/** Runs a channel's templates (or its kind's defaults) over a notification. Throws TemplateError. */
export function renderNotification(
  n: ChannelNotification,
  opts: RenderOptions,
): RenderedNotification {
  const data = templateData(n, opts.externalURL, opts.now);
  const t = resolveTemplates(opts.kindDefaults, opts.templates);
  const title = compileTemplate(t.title).render(data).trim().replace(/\s+/g, ' ');
  const text = compileTemplate(t.body).render(data).trim();
  const link = data.ExternalURL;
  return {
    title: title.slice(0, 250),
    text,
    html: toHtml(title, text, link),
    link,
    status: data.Status,
    voiceText: opts.voice ? text : `${title}. ${text.split('\n')[0] ?? ''}`.slice(0, 500),
    source: n,
  };
}

/** Checks that templates parse, for validation on save. */
export function checkTemplates(t: ChannelTemplates | null | undefined): void {
  if (t?.title) compileTemplate(t.title);
  if (t?.body) compileTemplate(t.body);
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Email's HTML part is the text part, escaped: a template can never inject markup. */
function toHtml(title: string, text: string, link: string): string {
  const lines = escapeHtml(text).split('\n').join('<br>\n');
  const safeLink = /^https?:\/\//i.test(link) ? escapeHtml(link) : '';
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(title)}</h2>`,
    `<p>${lines}</p>`,
    safeLink ? `<p><a href="${safeLink}">Open in Tocsin</a></p>` : '',
    '</body></html>',
  ].join('\n');
}
