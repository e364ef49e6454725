import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { allPublic, bareHost, isPublicAddress, NonPublicAddressError } from '@app/domain';

/**
 * A DNS lookup for the connection itself: with `publicOnly`, a name with any non-public address
 * fails here, at connect time — so what was checked is what is connected to (a name re-pointed
 * between a check and the request, DNS rebinding, cannot slip through).
 */
export function guardedLookup(publicOnly: boolean): LookupFunction {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, options.all ? [] : '', 4);
      if (publicOnly && !allPublic(addresses)) {
        return callback(new NonPublicAddressError(hostname), options.all ? [] : '', 4);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return callback(null, first.address, first.family);
    });
  };
}

const agents = new Map<string, HttpAgent>();

function agentFor(https: boolean, publicOnly: boolean): HttpAgent {
  const key = `${https}:${publicOnly}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    agents.set(key, agent);
  }
  return agent;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * POSTs a JSON body and resolves with the status code (redirects are not followed: they count as
 * an answer that is not 2xx). Rejects on no answer: timeout, refused, or a non-public address.
 */
export function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; publicOnly: boolean },
): Promise<number> {
  const host = bareHost(url.hostname);
  // An IP literal is connected to without a lookup: checked here instead.
  if (options.publicOnly && isIP(host) && !isPublicAddress(host)) {
    return Promise.reject(new NonPublicAddressError(url.hostname));
  }
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.publicOnly),
        // Kept-alive sockets are reused only under the policy they were checked with.
        agent: agentFor(https, options.publicOnly),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        response.resume(); // the answer's body is not read, only drained
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
