import { describeChannelKinds } from '../channel-kinds';
import { notifierFor } from '../providers/registry';
import { SecretBox } from '../secrets/secret-box';
import { SECRET_MASK } from '../secrets/secret-field';
import { ChannelConfigCodec } from './channel-config';

describe('channel config codec', () => {
  const codec = new ChannelConfigCodec(new SecretBox('k'.repeat(40)));
  const webhook = notifierFor('webhook')!;
  const org = '00000000-0000-4000-8000-00000000000a';

  it('seals secret fields, masks them for the API and keeps them on masked updates', () => {
    const valid = codec.validate(webhook, {
      url: 'https://r.example/h',
      secret: 'sixteen-chars-secret',
    });
    const stored = codec.seal(webhook, org, valid);
    expect(String(stored.url)).toMatch(/^enc:v1:/);
    expect(JSON.stringify(stored)).not.toContain('sixteen-chars-secret');
    expect(codec.mask(webhook, stored)).toEqual({
      url: SECRET_MASK,
      secret: SECRET_MASK,
      maxAlerts: 0,
    });
    const updated = codec.validate(
      webhook,
      { url: SECRET_MASK, secret: SECRET_MASK, maxAlerts: 5 },
      { orgId: org, stored },
    );
    expect(updated).toEqual({
      url: 'https://r.example/h',
      secret: 'sixteen-chars-secret',
      maxAlerts: 5,
    });
  });

  it('rejects invalid configs with field paths, and the mask on create', () => {
    expect(() => codec.validate(webhook, { url: 'nope', secret: 'x' })).toThrow(/config\.url/);
    expect(() =>
      codec.validate(webhook, { url: SECRET_MASK, secret: 'sixteen-chars-secret' }),
    ).toThrow(/enter the secret/);
  });

  it('describes every kind with a JSON Schema that flags secrets', () => {
    const kinds = describeChannelKinds();
    expect(kinds.map((k) => k.kind).sort()).toEqual(
      [
        'dingtalk',
        'email',
        'feishu',
        'pagerduty',
        'slack',
        'teams',
        'telegram',
        'twilio-sms',
        'twilio-voice',
        'webhook',
        'wecom',
      ].sort(),
    );
    const slack = kinds.find((k) => k.kind === 'slack')!;
    expect(slack.secretFields).toEqual(['webhookUrl']);
    expect(
      (slack.configSchema.properties as Record<string, { secret?: boolean }>).webhookUrl.secret,
    ).toBe(true);
    expect(kinds.find((k) => k.kind === 'email')!.secretFields).toEqual(['smtpUrl']);
  });
});
