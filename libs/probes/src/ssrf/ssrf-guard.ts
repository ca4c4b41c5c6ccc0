import { lookup as dnsLookup } from 'node:dns/promises';
import { isBlockedAddress, literalAddress } from './address-policy';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a DNS name to all its addresses. Injected in tests so they never query real DNS. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const all = await dnsLookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export class SsrfBlockedError extends Error {
  readonly code = 'ESSRF';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a private, loopback or reserved address; refused`);
  }
}

export class SsrfResolveError extends Error {
  readonly code = 'ERESOLVE';
}

export interface SsrfGuardOptions {
  /** TOCSIN_ALLOW_PRIVATE_TARGETS (self-hosted deployments probing their own network, tests). */
  allowPrivate: boolean;
  resolver?: HostResolver;
}

/**
 * The one decision every outbound request made for a tenant goes through (scrapes, checks,
 * webhooks): resolve the host once, refuse if ANY answer is private (a name answering both a
 * public and a private address is an attack, not an accident), and hand back the address to
 * connect to, so the socket never triggers a second lookup that could answer differently.
 */
export class SsrfGuard {
  readonly allowPrivate: boolean;
  private readonly resolver: HostResolver;

  constructor(options: SsrfGuardOptions) {
    this.allowPrivate = options.allowPrivate;
    this.resolver = options.resolver ?? systemResolver;
  }

  /** Throws SsrfBlockedError or SsrfResolveError; otherwise the first address to connect to. */
  async resolve(host: string): Promise<ResolvedAddress> {
    return (await this.resolveAll(host))[0];
  }

  /**
   * Every address of the host, all checked, in the resolver's order: a socket tries them in turn
   * (as a browser or curl would), so one unreachable answer — an IPv6 address on a v4-only
   * network — does not fail the request while another answer would work.
   */
  async resolveAll(host: string): Promise<ResolvedAddress[]> {
    const literal = literalAddress(host);
    let addresses: ResolvedAddress[];
    if (literal) {
      addresses = [literal];
    } else {
      if (!host || /[\s/\\@]/.test(host)) throw new SsrfResolveError(`"${host}" is not a host name`);
      try {
        addresses = await this.resolver(host);
      } catch (err) {
        throw new SsrfResolveError(`cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      if (addresses.length === 0) throw new SsrfResolveError(`${host} has no address`);
    }
    if (!this.allowPrivate) {
      const bad = addresses.find((a) => isBlockedAddress(a.address));
      if (bad) throw new SsrfBlockedError(host, bad.address);
    }
    return addresses;
  }

  /** The decision alone, for validating a target when it is saved. */
  async check(host: string): Promise<{ allowed: true; address: string } | { allowed: false; reason: string }> {
    try {
      return { allowed: true, address: (await this.resolve(host)).address };
    } catch (err) {
      return { allowed: false, reason: (err as Error).message };
    }
  }
}
