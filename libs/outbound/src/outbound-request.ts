import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import {
  Agent as HttpAgent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request as httpRequest,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  allPublic,
  bareHost,
  checkOutboundUrl,
  isPublicAddress,
  NonPublicAddressError,
} from '@app/domain';

/**
 * The one way the gateway and the worker reach a host a merchant named (its logo, its webhook
 * endpoints, and whatever comes later). In order:
 * 1. the URL rule (`checkOutboundUrl`): https, nothing a parser could read two ways;
 * 2. with `publicAddressesOnly`, the address policy (`isPublicAddress`, IANA's registries): an IP
 *    literal is judged as written; a name is resolved once, by the lookup of the connection
 *    itself, and refused unless every address it has is public — the socket connects to what was
 *    checked, so a name re-pointed between a check and the request (DNS rebinding) gains nothing;
 * 3. no redirect is ever followed: a 3xx is the answer, so no redirect can lead anywhere else.
 * Nothing is sent to a refused host: the refusal comes before the connection.
 */
export interface OutboundPolicy {
  publicAddressesOnly: boolean;
  /** Outside production: plain http to loopback (the development exception, never checked). */
  allowLoopbackHttp: boolean;
}

export interface OutboundRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** For the whole exchange, the answer's body included. */
  timeoutMs: number;
  /** Bytes of the answer's body to read (0: drained unread); more rejects with TooLarge. */
  maxResponseBytes: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class OutboundUrlError extends Error {
  constructor(reason: string) {
    super(`the URL ${reason}`);
    this.name = 'OutboundUrlError';
  }
}

export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export type Resolver = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** The connection's own DNS lookup; with `publicOnly`, a name with any non-public address fails. */
export function guardedLookup(publicOnly: boolean, resolve: Resolver = dnsLookup): LookupFunction {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
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

/** Kept-alive sockets are reused only under the policy they were checked with. */
function agentFor(https: boolean, publicOnly: boolean): HttpAgent {
  const key = `${https}:${publicOnly}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    agents.set(key, agent);
  }
  return agent;
}

export function outboundRequest(
  target: string | URL,
  request: OutboundRequest,
  policy: OutboundPolicy,
): Promise<OutboundResponse> {
  const check = checkOutboundUrl(typeof target === 'string' ? target : target.href, {
    allowLoopbackHttp: policy.allowLoopbackHttp,
  });
  if (!check.ok) return Promise.reject(new OutboundUrlError(check.reason));
  const { url } = check;
  const publicOnly = policy.publicAddressesOnly && !check.loopbackHttp;
  const host = bareHost(url.hostname);
  // An IP literal is connected to without a lookup: judged here instead.
  if (publicOnly && isIP(host) && !isPublicAddress(host)) {
    return Promise.reject(new NonPublicAddressError(url.hostname));
  }
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(request.body));
  }
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: request.method,
        headers,
        lookup: guardedLookup(publicOnly),
        agent: agentFor(https, publicOnly),
        signal: AbortSignal.timeout(request.timeoutMs),
      },
      (response) => {
        readAnswer(response, request.maxResponseBytes).then(resolve, reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function readAnswer(response: IncomingMessage, maxBytes: number): Promise<OutboundResponse> {
  const answer = (body: Buffer) => ({
    status: response.statusCode ?? 0,
    headers: response.headers,
    body,
  });
  if (maxBytes === 0) {
    response.resume();
    return Promise.resolve(answer(Buffer.alloc(0)));
  }
  if (Number(response.headers['content-length'] ?? NaN) > maxBytes) {
    response.destroy();
    return Promise.reject(new ResponseTooLargeError(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        response.destroy();
        reject(new ResponseTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(answer(Buffer.concat(chunks))));
    response.on('error', reject);
  });
}
