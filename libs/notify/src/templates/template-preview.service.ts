import { Injectable } from '@nestjs/common';
import { loadConfig } from '@tocsin/config';
import { AppError } from '@tocsin/graphql';
import type { AlertGroupNotification, AlertPayload } from '@tocsin/queue';
import { ChannelsService } from '../channels/channels.service';
import type { ChannelTemplates } from './default-templates';
import { renderNotification } from './render-notification';
import { sampleNotification } from './template-data';
import { TemplateError } from './template-engine';

export interface PreviewRequest {
  channelId?: string | null;
  kind?: string | null;
  template?: { title?: string | null; body?: string | null } | null;
  sample?: Record<string, unknown> | null;
}

/** Renders templates the way a delivery would, without sending anything. */
@Injectable()
export class TemplatePreviewService {
  constructor(private readonly channels: ChannelsService) {}

  async preview(req: PreviewRequest): Promise<{ title: string; text: string; html: string }> {
    let kind = req.kind ?? undefined;
    let saved: ChannelTemplates | null = null;
    if (req.channelId) {
      const row = await this.channels.getRow(req.channelId);
      kind = row.kind;
      saved = row.templates;
    }
    if (!kind) throw AppError.badInput('Give a channelId or a kind');
    const notifier = this.channels.notifier(kind);
    const templates: ChannelTemplates = {
      title: req.template?.title || saved?.title || undefined,
      body: req.template?.body || saved?.body || undefined,
    };
    const config = loadConfig();
    const now = new Date();
    const notification = req.sample
      ? coerceSample(req.sample, config.PUBLIC_WEB_URL)
      : sampleNotification(now, config.PUBLIC_WEB_URL);
    try {
      const r = renderNotification(notification, {
        kindDefaults: notifier.defaultTemplates,
        templates,
        voice: notifier.kind === 'twilio-voice',
        externalURL: config.PUBLIC_WEB_URL,
        now,
      });
      return { title: r.title, text: r.text, html: r.html };
    } catch (err) {
      if (err instanceof TemplateError)
        throw AppError.badInput(`Template error: ${err.message}`, { reason: 'TEMPLATE_ERROR' });
      throw err;
    }
  }
}

function strings(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string'),
  ) as Record<string, string>;
}

/** A caller's sample in Alertmanager's webhook shape, with anything missing filled in. */
export function coerceSample(
  s: Record<string, unknown>,
  externalURL: string,
): AlertGroupNotification {
  const status = s.status === 'resolved' ? 'resolved' : 'firing';
  const alerts = (Array.isArray(s.alerts) ? s.alerts : [])
    .slice(0, 100)
    .map((raw, i): AlertPayload => {
      const a = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      return {
        fingerprint: typeof a.fingerprint === 'string' ? a.fingerprint : `sample-${i}`,
        status: a.status === 'resolved' ? 'resolved' : 'firing',
        labels: strings(a.labels),
        annotations: strings(a.annotations),
        startsAt: typeof a.startsAt === 'string' ? a.startsAt : new Date().toISOString(),
        endsAt: typeof a.endsAt === 'string' ? a.endsAt : '0001-01-01T00:00:00Z',
        generatorURL: typeof a.generatorURL === 'string' ? a.generatorURL : externalURL,
        value: typeof a.value === 'number' ? a.value : undefined,
      };
    });
  return {
    kind: 'alert-group',
    groupKey: typeof s.groupKey === 'string' ? s.groupKey : 'preview',
    status,
    receiver: typeof s.receiver === 'string' ? s.receiver : 'preview',
    groupLabels: strings(s.groupLabels),
    commonLabels: strings(s.commonLabels),
    commonAnnotations: strings(s.commonAnnotations),
    externalURL: typeof s.externalURL === 'string' ? s.externalURL : externalURL,
    alerts,
    truncatedAlerts: typeof s.truncatedAlerts === 'number' ? s.truncatedAlerts : 0,
  };
}
