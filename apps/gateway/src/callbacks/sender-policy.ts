import { BlockList, isIP } from 'node:net';

export interface SenderPolicySettings {
  allowedCidrs: string[];
  clientCertCommonName?: string;
  clientCertCommonNameHeader?: string;
}

export interface SenderFacts {
  ip: string;
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

  constructor(private readonly settings: SenderPolicySettings) {
    if (settings.allowedCidrs.length > 0) {
      this.allowed = new BlockList();
      for (const cidr of settings.allowedCidrs) {
        const [address, prefix] = cidr.split('/');
        const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
        if (!isIP(address))
          throw new Error(`CALLBACK_ALLOWED_CIDRS: "${cidr}" is not an address or CIDR`);
        const bits = prefix === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefix);
        this.allowed.addSubnet(address, bits, family);
      }
    }
  }

  /** Undefined when the sender may call; otherwise the reason (for the log, never the response). */
  reject(facts: SenderFacts): string | undefined {
    if (this.allowed && !this.ipAllowed(facts.ip)) return `address ${facts.ip} is not allow-listed`;
    const expectedCn = this.settings.clientCertCommonName;
    if (expectedCn) {
      const header = this.settings.clientCertCommonNameHeader;
      const presented = header ? single(facts.headers[header]) : facts.peerCommonName;
      if (presented !== expectedCn) return 'client certificate common name does not match';
    }
    return undefined;
  }

  private ipAllowed(ip: string): boolean {
    const plain = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    const family = isIP(plain);
    if (family === 0) return false;
    return this.allowed!.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
