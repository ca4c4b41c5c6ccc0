import { loadConfig } from '@tocsin/config';
import { signLink } from '../links/signed-links';
import { escapeXml } from '../oncall.util';

/** How long a one-click link in a page works. */
export const LINK_TTL_SECONDS = 24 * 3600;

export function actionLink(
  orgId: string,
  incidentId: string,
  userId: string,
  ttlSeconds = LINK_TTL_SECONDS,
): string {
  const token = signLink({
    p: 'incident-action',
    o: orgId,
    u: userId,
    i: incidentId,
    x: Math.floor(Date.now() / 1000) + ttlSeconds,
  });
  return `${loadConfig().PUBLIC_API_URL.replace(/\/+$/, '')}/api/v1/oncall/links/${token}`;
}

export function voiceUrl(orgId: string, incidentId: string, userId: string): string {
  const token = signLink({
    p: 'voice',
    o: orgId,
    u: userId,
    i: incidentId,
    x: Math.floor(Date.now() / 1000) + LINK_TTL_SECONDS,
  });
  return `${loadConfig().PUBLIC_API_URL.replace(/\/+$/, '')}/api/v1/oncall/twilio/voice/${token}`;
}

export function pageMessage(input: {
  orgId: string;
  userId: string;
  incident: { id: string; number: number; title: string; urgency: string };
}) {
  const { incident } = input;
  const link = actionLink(input.orgId, incident.id, input.userId);
  const head = `Tocsin #${incident.number} [${incident.urgency}] ${incident.title}`;
  return {
    subject: `[Tocsin #${incident.number}] ${incident.title}`,
    text: `${head}\nReply ACK ${incident.number} or RES ${incident.number}.\nAcknowledge or resolve: ${link}`,
    html: `<p>${escapeXml(head)}</p><p><a href="${escapeXml(link)}">Acknowledge or resolve</a></p>`,
    voiceText: `Tocsin incident ${incident.number}. ${incident.title}.`,
    voiceUrl: voiceUrl(input.orgId, incident.id, input.userId),
  };
}
