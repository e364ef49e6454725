import ipaddr from 'ipaddr.js';

/**
 * The URL rule for every request made on a merchant's word (logo, webhooks): https, and only URLs
 * that every parser reads the same way. The WHATWG parser (Node's `URL`) turns `\` into `/`,
 * decodes `%`-escapes in hosts, reads `127.1`, `0x7f.0.0.1` or `2130706433` as 127.0.0.1 and drops
 * userinfo before `@`, where other parsers (proxies, our own checks, the merchant's tooling) read
 * another host — `https://93.184.215.14\@127.0.0.1/` is two hosts at once. Such URLs are refused
 * at input, not normalised: the host we check must be the host written.
 *
 * Decisions: hosts are ASCII (an internationalised name is given in its punycode form, `xn--…`);
 * an IPv4 literal only in dotted-decimal form (`127.1`, `0x7f.0.0.1` are refused; an IPv6 literal
 * may be written in any valid form, all parsers agree on its value); outside
 * production, plain http to the loopback interface (`127.0.0.1`, `localhost`, `[::1]`) is the
 * development exception (local shops, the demo and the tests serve logos there).
 */
export type OutboundUrlProblem = 'not_a_url' | 'ambiguous' | 'credentials' | 'not_https';

export type OutboundUrlCheck =
  | { ok: true; url: URL; loopbackHttp: boolean }
  | { ok: false; problem: OutboundUrlProblem; reason: string };

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(?:[/?#]|$)/;
const AUTHORITY = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** IPv6 parsers agree on the value of any valid form: `[::ffff:10.0.0.1]` is `[::ffff:a00:1]`. */
function sameIPv6(parsed: string, written: string): boolean {
  const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');
  if (!written.startsWith('[') || !ipaddr.IPv6.isValid(bare(written))) return false;
  return (
    ipaddr.IPv6.parse(bare(written)).toNormalizedString() ===
    ipaddr.IPv6.parse(bare(parsed)).toNormalizedString()
  );
}

function refuse(problem: OutboundUrlProblem, reason: string): OutboundUrlCheck {
  return { ok: false, problem, reason };
}

export function checkOutboundUrl(
  raw: string,
  options: { allowLoopbackHttp: boolean },
): OutboundUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not_a_url', 'is not a URL');
  }
  if (!PRINTABLE_ASCII.test(raw)) {
    return refuse('ambiguous', 'holds spaces, control or non-ASCII characters');
  }
  if (raw.includes('\\')) return refuse('ambiguous', 'holds a backslash');
  const shape = SHAPE.exec(raw);
  if (!shape) return refuse('not_a_url', 'is not an absolute URL with a host');
  const authority = shape[2];
  if (authority.includes('@')) return refuse('credentials', 'must not contain credentials');
  if (authority.includes('%')) return refuse('ambiguous', 'has a percent-encoded host');
  const parts = AUTHORITY.exec(authority);
  if (!parts) return refuse('ambiguous', 'has a host that is not a plain name or address');
  if (url.hostname !== parts[1].toLowerCase() && !sameIPv6(url.hostname, parts[1])) {
    return refuse('ambiguous', `has a host written in a non-canonical form (read as ${url.host})`);
  }
  if (url.protocol === 'https:') return { ok: true, url, loopbackHttp: false };
  if (url.protocol === 'http:' && options.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname)) {
    return { ok: true, url, loopbackHttp: true };
  }
  return refuse('not_https', 'must be an https URL');
}
