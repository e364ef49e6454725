import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

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
  // Unspecified, loopback and the deprecated IPv4-compatible form (::10.0.0.1).
  ['::', 96],
  ['64:ff9b:1::', 48],
  // Teredo tunnels to an IPv4 address hidden (inverted) in the low bits: never a webhook host.
  ['2001::', 32],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/**
 * IPv6 forms that carry an IPv4 address and reach it: IPv4-mapped (::ffff:10.0.0.1, also written
 * ::ffff:a00:1), SIIT (::ffff:0:10.0.0.1), NAT64 (64:ff9b::10.0.0.1) and 6to4 (2002:0a00:0001::).
 * They are judged as the IPv4 address inside, or a private host hides behind a public-looking one.
 */
const IPV4_INSIDE: readonly { range: [ipaddr.IPv6, number]; at: number }[] = [
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), at: 6 },
  { range: ipaddr.IPv6.parseCIDR('2002::/16'), at: 1 },
];

function embeddedIPv4(address: string): string | undefined {
  const parsed = ipaddr.IPv6.parse(address);
  const inside = IPV4_INSIDE.find(({ range }) => parsed.match(range));
  if (!inside) return undefined;
  const [high, low] = parsed.parts.slice(inside.at, inside.at + 2);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const inner = embeddedIPv4(address);
    if (inner !== undefined) return isPublicAddress(inner);
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
