import type { AnyNotifier, ChannelKind } from '../notifier';
import { emailNotifier } from './email/email.notifier';
import { webhookNotifier } from './webhook/webhook.notifier';
import { slackNotifier } from './slack/slack.notifier';
import { teamsNotifier } from './teams/teams.notifier';
import { telegramNotifier } from './telegram/telegram.notifier';
import { pagerdutyNotifier } from './pagerduty/pagerduty.notifier';
import { twilioSmsNotifier } from './twilio-sms/twilio-sms.notifier';
import { twilioVoiceNotifier } from './twilio-voice/twilio-voice.notifier';
import { dingtalkNotifier } from './dingtalk/dingtalk.notifier';
import { feishuNotifier } from './feishu/feishu.notifier';
import { wecomNotifier } from './wecom/wecom.notifier';

/** Every provider. Adding one touches two files: its own folder under providers/ and this list. */
export const notifiers: readonly AnyNotifier[] = [
  emailNotifier,
  webhookNotifier,
  slackNotifier,
  teamsNotifier,
  telegramNotifier,
  pagerdutyNotifier,
  twilioSmsNotifier,
  twilioVoiceNotifier,
  dingtalkNotifier,
  feishuNotifier,
  wecomNotifier,
];

const byKind = new Map<string, AnyNotifier>(notifiers.map((n) => [n.kind, n]));

export function notifierFor(kind: string): AnyNotifier | undefined {
  return byKind.get(kind);
}

export function isChannelKind(kind: string): kind is ChannelKind {
  return byKind.has(kind);
}
