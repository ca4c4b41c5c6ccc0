export { embeddedIpv4, isBlockedAddress, literalAddress, parseLooseIpv4 } from './ssrf/address-policy';
export { SsrfBlockedError, SsrfGuard, SsrfResolveError, systemResolver } from './ssrf/ssrf-guard';
export type { HostResolver, ResolvedAddress, SsrfGuardOptions } from './ssrf/ssrf-guard';
export { GuardedFetchError, guardedConnect, guardedFetch, pinnedLookup } from './ssrf/guarded-fetch';
export type { FetchFailureKind, GuardedRequest, GuardedResponse } from './ssrf/guarded-fetch';
export { ssrfGuardFromConfig } from './ssrf/ssrf-from-config';
