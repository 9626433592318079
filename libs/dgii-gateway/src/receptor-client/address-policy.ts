import { BlockList, isIP } from 'node:net';
import type { ReceptorSettings } from '@app/config';

/**
 * Addresses a receptor call never connects to outside development: URLs come from DGII's
 * directory (or a caller), so they may point into our own network (SSRF). Loopback, RFC 1918
 * private, CGNAT, link-local (cloud metadata at 169.254.169.254), unique-local, multicast,
 * "this network", documentation and benchmarking ranges, broadcast.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 counts as two). */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (p: string | undefined): number[] => (p ? p.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const groups =
    tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : undefined;
}

const ipv4Of = (high: number, low: number): string => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * The IPv4 address an IPv6 address carries and a network may route to: IPv4-mapped and
 * -compatible (`::ffff:10.0.0.1`, `::a00:1`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
 */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const zeroPrefix = g.slice(0, 5).every((x) => x === 0);
  if (zeroPrefix && g[5] === 0xffff) return ipv4Of(g[6], g[7]);
  // IPv4-compatible, but not :: and ::1 themselves (the IPv6 list has those).
  if (zeroPrefix && g[5] === 0 && (g[6] !== 0 || g[7] > 1)) return ipv4Of(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Of(g[6], g[7]);
  if (g[0] === 0x2002) return ipv4Of(g[1], g[2]);
  return undefined;
}

/** True for an address a receptor call must not reach outside development. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  if (v4) return PRIVATE.check(v4, 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/** Why a receptor URL or address is refused; its text goes to the integrator as `receptor.error`. */
export class ReceptorRefusedError extends Error {
  readonly code = 'ERR_RECEPTOR_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'ReceptorRefusedError';
  }
}

/** What the policy allows: the scheme by environment, and every address a host resolves to. */
export class ReceptorAddressPolicy {
  constructor(private readonly settings: Pick<ReceptorSettings, 'httpsOnly' | 'allowPrivateAddresses'>) {}

  /** Parses and checks a receptor URL before any connection (scheme, credentials, literal IPs). */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ReceptorRefusedError('the receptor URL is not an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ReceptorRefusedError(`the receptor URL scheme ${url.protocol} is not http(s)`);
    }
    // PROTOCOL §8: receptors serve HTTPS with a public certificate; http only for the sandbox.
    if (this.settings.httpsOnly && url.protocol !== 'https:') {
      throw new ReceptorRefusedError('only https receptor URLs are called in production');
    }
    if (url.username || url.password) {
      throw new ReceptorRefusedError('the receptor URL carries credentials');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) this.checkAddress(host);
    return url;
  }

  checkAddress(address: string): void {
    if (!this.settings.allowPrivateAddresses && isPrivateAddress(address)) {
      throw new ReceptorRefusedError(
        `the receptor address ${address} is private, loopback or link-local; refused outside development`,
      );
    }
  }
}
