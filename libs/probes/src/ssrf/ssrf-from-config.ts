import { loadConfig } from '@tocsin/config';
import { SsrfGuard, type HostResolver } from './ssrf-guard';

/** The deployment's guard for scrapes and checks (TOCSIN_ALLOW_PRIVATE_TARGETS). */
export function ssrfGuardFromConfig(resolver?: HostResolver): SsrfGuard {
  return new SsrfGuard({ allowPrivate: loadConfig().TOCSIN_ALLOW_PRIVATE_TARGETS, resolver });
}
