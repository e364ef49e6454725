import { BlockList, isIP } from 'node:net';

export interface SenderPolicySettings {
  allowedCidrs: string[];
  clientCertCommonName?: string;
  clientCertCommonNameHeader?: string;
  /** Proxies (addresses or CIDRs) whose CN header is believed: the ingress that verified the certificate. */
  trustedProxies?: string[];
}

export interface SenderFacts {
  /** The client, as the trusted proxies report it (X-Forwarded-For), or the peer. */
  ip: string;
  /** The address this connection really comes from (the socket's peer). */
  peerIp: string;
  /** CN of a client certificate verified by our own TLS listener, if any. */
  peerCommonName?: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Who may call the callback endpoints: MobilePay's IP ranges (the guide lists 212.93.32.0/19 and
 * 185.218.228.0/22) and/or the Common Name of MobilePay's client certificate — checked here when
 * TLS terminates in this process, or read from a header the ingress sets after verifying it.
 * Every configured check must pass; nothing configured means no sender check (development).
 */
export class SenderPolicy {
  private readonly allowed: BlockList | undefined;
  private readonly proxies: BlockList;

  constructor(private readonly settings: SenderPolicySettings) {
    if (settings.allowedCidrs.length > 0) {
      this.allowed = blockListOf('CALLBACK_ALLOWED_CIDRS', settings.allowedCidrs);
    }
    this.proxies = blockListOf('GATEWAY_TRUSTED_PROXIES', settings.trustedProxies ?? []);
  }

  /** Undefined when the sender may call; otherwise the reason (for the log, never the response). */
  reject(facts: SenderFacts): string | undefined {
    if (this.allowed && !inList(this.allowed, facts.ip)) {
      return `address ${facts.ip} is not allow-listed`;
    }
    const expectedCn = this.settings.clientCertCommonName;
    if (expectedCn) {
      const header = this.settings.clientCertCommonNameHeader;
      // Anyone can send the header; only the ingress that verified the certificate is believed.
      if (header && !inList(this.proxies, facts.peerIp)) {
        return `certificate header from ${facts.peerIp}, which is not a trusted proxy`;
      }
      const presented = header ? single(facts.headers[header]) : facts.peerCommonName;
      if (presented !== expectedCn) return 'client certificate common name does not match';
    }
    return undefined;
  }
}

function blockListOf(setting: string, cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(address)) throw new Error(`${setting}: "${cidr}" is not an address or CIDR`);
    const bits = prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix);
    list.addSubnet(address, bits, family);
  }
  return list;
}

function inList(list: BlockList, ip: string): boolean {
  const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  const family = isIP(plain);
  if (family === 0) return false;
  return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
