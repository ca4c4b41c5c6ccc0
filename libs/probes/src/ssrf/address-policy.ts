import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a tenant-supplied target may never reach unless the deployment allows it:
 * everything that is not the public Internet. Decided on addresses only, after resolution, so a
 * friendly-looking name that resolves inward is refused like the literal.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
  ['100::', 64], // discard-only
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): a translator into the operator's own IPv4
  ['2001::', 32], // Teredo: tunnels to an IPv4 host through any relay
  ['2001:db8::', 32], // documentation
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/**
 * Parses an IPv4 address the way inet_aton (and so getaddrinfo, curl and browsers) does:
 * 1–4 parts, each decimal, octal (leading 0) or hex (0x), the last part filling the remaining
 * bytes. `2130706433`, `0x7f000001`, `0177.0.0.1` and `127.1` are all 127.0.0.1. Returns the
 * dotted quad, or null when the string is not such a number.
 */
export function parseLooseIpv4(host: string): string | null {
  const parts = host.split('.');
  if (parts.length === 0 || parts.length > 4) return null;
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // a trailing dot is allowed
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) n = p.length === 1 ? 0 : parseInt(p.slice(1), 8);
    else if (/^[1-9][0-9]*$/.test(p)) n = parseInt(p, 10);
    else return null;
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255)) return null;
  const lastBytes = 4 - nums.length;
  if (last >= 2 ** (8 * lastBytes)) return null;
  const bytes = [...nums];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes.join('.');
}

/** The IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIpv4(ipv6: string): string | null {
  const words = expandIpv6(ipv6);
  if (!words) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated but still routed by some stacks),
  // ::ffff:0:a.b.c.d (translated).
  if (zero(0, 5) && (words[5] === 0xffff || words[5] === 0)) return v4(words[6], words[7]);
  if (zero(0, 4) && words[4] === 0xffff && words[5] === 0) return v4(words[6], words[7]);
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6], words[7]); // NAT64
  if (words[0] === 0x2002) return v4(words[1], words[2]); // 6to4
  return null;
}

function expandIpv6(address: string): number[] | null {
  let a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const q = dotted[1].split('.').map(Number);
    a = `${a.slice(0, -dotted[1].length)}${((q[0] << 8) | q[1]).toString(16)}:${((q[2] << 8) | q[3]).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const words = [...head, ...Array(Math.max(fill, 0)).fill('0'), ...tail].map((w) => parseInt(w, 16));
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : null;
}

/**
 * Whether an address is loopback, private, link-local, CGNAT, multicast, unspecified or
 * otherwise reserved. Anything that is not a well-formed address counts as blocked.
 */
export function isBlockedAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  const family = isIP(a);
  if (family === 4) return blocked.check(a, 'ipv4');
  if (family === 6) {
    const inner = embeddedIpv4(a);
    if (inner !== null && blocked.check(inner, 'ipv4')) return true;
    return blocked.check(a.replace(/%.*$/, ''), 'ipv6');
  }
  const loose = parseLooseIpv4(a);
  return loose === null ? true : blocked.check(loose, 'ipv4');
}

/**
 * The literal IP a host names, in canonical form, or null when it is a DNS name. Encoded IPv4
 * forms are decoded here so they can never reach a resolver that would decode them silently.
 */
export function literalAddress(host: string): { address: string; family: 4 | 6 } | null {
  const h = host.replace(/^\[|\]$/g, '');
  if (isIP(h) === 6) return { address: h, family: 6 };
  if (isIP(h) === 4) return { address: h, family: 4 };
  const loose = parseLooseIpv4(h);
  return loose ? { address: loose, family: 4 } : null;
}
