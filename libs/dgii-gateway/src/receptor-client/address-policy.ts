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

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (`::ffff:10.0.0.1`, `::ffff:a00:1`). */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
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
