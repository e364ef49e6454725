import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where we must never send a merchant-chosen request (webhooks): loopback, private networks, link
 * local (cloud metadata at 169.254.169.254), carrier-grade NAT, unique local, multicast and the
 * other special-purpose ranges (RFC 6890). Otherwise a merchant could make us call our own
 * cluster's services.
 */
const BLOCKED = new BlockList();
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
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    // IPv4-mapped (::ffff:10.0.0.1) is judged as the IPv4 address it is.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]);
    return !BLOCKED.check(address, 'ipv6');
  }
  return !BLOCKED.check(address, 'ipv4');
}

/** A URL's hostname without the brackets of an IPv6 literal (`[::1]` → `::1`). */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/** What a name resolved to is usable only if there is something and all of it is public. */
export function allPublic(addresses: readonly { address: string }[]): boolean {
  return addresses.length > 0 && addresses.every(({ address }) => isPublicAddress(address));
}

export class NonPublicAddressError extends Error {
  constructor(readonly hostname: string) {
    super(`${hostname} does not resolve to public addresses only`);
    this.name = 'NonPublicAddressError';
  }
}

/**
 * Resolves `hostname` (a name or an IP literal, brackets allowed) and throws unless every address
 * it has is public. A name that does not resolve throws the resolver's error.
 */
export async function assertPublicHost(
  hostname: string,
  resolve: (host: string) => Promise<{ address: string }[]> = (host) =>
    lookup(host, { all: true, verbatim: true }),
): Promise<void> {
  const host = bareHost(hostname);
  const addresses = isIP(host) ? [{ address: host }] : await resolve(host);
  if (!allPublic(addresses)) throw new NonPublicAddressError(hostname);
}
