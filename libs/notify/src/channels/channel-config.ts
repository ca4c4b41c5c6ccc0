import { AppError } from '@tocsin/graphql';
import type { AnyNotifier } from '../notifier';
import { SecretBox } from '../secrets/secret-box';
import { SECRET_MASK, secretFields } from '../secrets/secret-field';

type Config = Record<string, unknown>;

function aad(orgId: string, kind: string, field: string): string {
  return `${orgId}:${kind}:${field}`;
}

/**
 * The one place channel configs cross the trust boundary: validation against the provider's
 * schema, sealing secrets for storage, opening them for sending and masking them for the API.
 */
export class ChannelConfigCodec {
  constructor(private readonly box: SecretBox) {}

  /**
   * Validates what a person entered. A secret sent back as the mask (or left out on update)
   * keeps its stored value, so editing a channel never requires re-typing its secrets.
   */
  validate(
    notifier: AnyNotifier,
    input: unknown,
    previous?: { orgId: string; stored: Config },
  ): Config {
    if (!input || typeof input !== 'object' || Array.isArray(input))
      throw AppError.badInput('config must be an object');
    const candidate: Config = { ...(input as Config) };
    if (previous) {
      const open = this.open(notifier, previous.orgId, previous.stored);
      for (const field of secretFields(notifier.configSchema)) {
        if (candidate[field] === undefined || candidate[field] === SECRET_MASK) {
          if (open[field] === undefined) delete candidate[field];
          else candidate[field] = open[field];
        }
      }
    } else {
      for (const field of secretFields(notifier.configSchema)) {
        if (candidate[field] === SECRET_MASK)
          throw AppError.badInput(`config.${field}: enter the secret itself`);
      }
    }
    const parsed = notifier.configSchema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({
        path: ['config', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
      throw AppError.badInput(
        `Invalid ${notifier.kind} config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        { issues },
      );
    }
    return parsed.data as Config;
  }

  seal(notifier: AnyNotifier, orgId: string, config: Config): Config {
    const out = { ...config };
    for (const field of secretFields(notifier.configSchema)) {
      const v = out[field];
      if (typeof v === 'string') out[field] = this.box.seal(v, aad(orgId, notifier.kind, field));
    }
    return out;
  }

  open(notifier: AnyNotifier, orgId: string, stored: Config): Config {
    const out = { ...stored };
    for (const field of secretFields(notifier.configSchema)) {
      const v = out[field];
      if (SecretBox.isSealed(v)) out[field] = this.box.open(v, aad(orgId, notifier.kind, field));
    }
    return out;
  }

  mask(notifier: AnyNotifier, stored: Config): Config {
    const out = { ...stored };
    for (const field of secretFields(notifier.configSchema)) {
      if (out[field] !== undefined && out[field] !== null) out[field] = SECRET_MASK;
    }
    return out;
  }
}
