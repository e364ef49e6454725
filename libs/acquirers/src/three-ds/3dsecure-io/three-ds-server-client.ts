/**
 * Client of the 3dsecure.io 3-D Secure Server API (EMV 3DS v2): `/preauth`, `/auth`, `/postauth`.
 * Every call is a JSON POST with the `APIKey` header; an answer with `messageType: "Erro"` or a
 * status other than 200 is a failed call (JSON in all but the rarest cases; a wrong key is a 401
 * in plain text).
 *
 * Decisions where the documentation is silent:
 * - The message version is the highest one we, the Directory Server and the ACS all support,
 *   from the `/preauth` card range (`acsStartProtocolVersion`..`acsEndProtocolVersion`, within
 *   `dsStartProtocolVersion`..`dsEndProtocolVersion`); no common version means "not enrolled".
 * - A `threeDSServerTransID` lives 80 s: `preauthExpiresAt` says until when `/auth` may use it.
 * - Only the browser channel (`deviceChannel: 02`) and payments (`messageCategory: 01`) are built.
 */
export const SUPPORTED_MESSAGE_VERSIONS = ['2.1.0', '2.2.0', '2.3.1'] as const;
export type MessageVersion = (typeof SUPPORTED_MESSAGE_VERSIONS)[number];

/** How long a `threeDSServerTransID` from `/preauth` may be used by `/auth`. */
export const TRANS_ID_LIFETIME_MS = 80_000;
/** 3DS Method: the completion notification must arrive within 10 s, else `threeDSCompInd: N`. */
export const THREE_DS_METHOD_TIMEOUT_MS = 10_000;

export interface ThreeDsServerClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export interface ThreeDsError {
  errorCode: string;
  errorComponent?: string;
  errorDescription?: string;
  errorDetail?: string;
}

export type PreauthResult =
  | {
      kind: 'enrolled';
      threeDSServerTransID: string;
      messageVersion: MessageVersion;
      threeDSMethodURL?: string;
      expiresAt: Date;
    }
  | { kind: 'not-enrolled' }
  | { kind: 'failed'; error: string };

/** What a browser told us about itself (collected by the challenge page) and its request. */
export interface BrowserInfo {
  acceptHeader: string;
  userAgent: string;
  ip: string;
  javaEnabled: boolean;
  javascriptEnabled: boolean;
  language: string;
  colorDepth: string;
  screenHeight: string;
  screenWidth: string;
  tz: string;
}

export interface AuthRequest {
  threeDSServerTransID: string;
  messageVersion: MessageVersion;
  /** `Y` the 3DS Method completed, `N` it timed out, `U` there was none. */
  threeDSCompInd: 'Y' | 'N' | 'U';
  acctNumber: string;
  cardExpiryDate: string;
  notificationURL: string;
  threeDSRequestorURL: string;
  acquirerBIN: string;
  acquirerMerchantID: string;
  mcc: string;
  merchantCountryCode: string;
  merchantName: string;
  purchaseAmount: bigint;
  purchaseCurrency: string;
  purchaseExponent: number;
  purchaseDate: Date;
  browser: BrowserInfo;
}

/** The EMV fields of an ARes or RReq the acquirer needs; `message` is the JSON as received. */
export interface AuthenticationMessage {
  messageType: 'ARes' | 'RReq';
  messageVersion: string;
  transStatus: string;
  transStatusReason?: string;
  threeDSServerTransID: string;
  acsTransID?: string;
  dsTransID?: string;
  eci?: string;
  authenticationValue?: string;
  acsURL?: string;
  message: string;
}

export type AuthResult =
  | { kind: 'frictionless'; ares: AuthenticationMessage }
  | { kind: 'challenge'; ares: AuthenticationMessage; acsURL: string; acsTransID: string }
  | { kind: 'not-authenticated'; ares: AuthenticationMessage }
  | { kind: 'failed'; error: string };

export type PostauthResult =
  { kind: 'result'; rreq: AuthenticationMessage } | { kind: 'failed'; error: string };

const VERSION_ORDER = (v: string) =>
  v
    .split('.')
    .map((part) => part.padStart(3, '0'))
    .join('.');
const within = (v: string, low?: string, high?: string) =>
  (!low || VERSION_ORDER(v) >= VERSION_ORDER(low)) &&
  (!high || VERSION_ORDER(v) <= VERSION_ORDER(high));

/** The highest version we, the DS and the ACS support (the documented determination). */
export function determineMessageVersion(crd: Record<string, unknown>): MessageVersion | undefined {
  const text = (key: string) => (typeof crd[key] === 'string' ? crd[key] : undefined);
  const dsVersions = Array.isArray(crd.dsProtocolVersions)
    ? (crd.dsProtocolVersions as unknown[]).filter((v): v is string => typeof v === 'string')
    : undefined;
  const acsVersions = Array.isArray(crd.acsProtocolVersions)
    ? (crd.acsProtocolVersions as unknown[])
        .map((entry) =>
          entry && typeof entry === 'object' ? (entry as { version?: unknown }).version : undefined,
        )
        .filter((v): v is string => typeof v === 'string')
    : undefined;
  const acsStart = text('acsStartProtocolVersion');
  const acsEnd = text('acsEndProtocolVersion');
  if (!acsEnd && !acsVersions?.length) return undefined;
  return [...SUPPORTED_MESSAGE_VERSIONS]
    .reverse()
    .find(
      (v) =>
        within(v, acsStart, acsEnd) &&
        within(v, text('dsStartProtocolVersion'), text('dsEndProtocolVersion')) &&
        (!dsVersions?.length || dsVersions.includes(v)) &&
        (!acsVersions?.length || acsVersions.includes(v)),
    );
}

/** The 3DS Method URL of the card range, for the chosen version when listed per ACS version. */
function methodUrlFor(crd: Record<string, unknown>, version: string): string | undefined {
  if (Array.isArray(crd.acsProtocolVersions)) {
    for (const entry of crd.acsProtocolVersions as unknown[]) {
      const e = entry as { version?: unknown; threeDSMethodURL?: unknown } | null;
      if (e?.version === version) {
        return typeof e.threeDSMethodURL === 'string' && e.threeDSMethodURL
          ? e.threeDSMethodURL
          : undefined;
      }
    }
  }
  return typeof crd.threeDSMethodURL === 'string' && crd.threeDSMethodURL
    ? crd.threeDSMethodURL
    : undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** `purchaseDate`: UTC, `YYYYMMDDHHMMSS`. */
export function purchaseDate(at: Date): string {
  return `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
}

/** Base64-URL without padding (the 3DS Method data and CReq); decoding accepts padding. */
export const base64url = {
  encode: (text: string) => Buffer.from(text, 'utf8').toString('base64url'),
  decode: (value: string) => Buffer.from(value.replace(/=+$/, ''), 'base64url').toString('utf8'),
};

function describe(error: ThreeDsError): string {
  const detail = error.errorDetail ? ` (${error.errorDetail})` : '';
  return `${error.errorCode} ${error.errorDescription ?? ''}${detail}`.trim();
}

function parseMessage(
  raw: string,
  body: Record<string, unknown>,
  type: 'ARes' | 'RReq',
): AuthenticationMessage | undefined {
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
  if (body.messageType !== type) return undefined;
  const transStatus = text('transStatus');
  const transID = text('threeDSServerTransID');
  const version = text('messageVersion');
  if (!transStatus || !transID || !version) return undefined;
  return {
    messageType: type,
    messageVersion: version,
    transStatus,
    transStatusReason: text('transStatusReason'),
    threeDSServerTransID: transID,
    acsTransID: text('acsTransID'),
    dsTransID: text('dsTransID'),
    eci: text('eci'),
    authenticationValue: text('authenticationValue'),
    acsURL: text('acsURL'),
    message: raw,
  };
}

export class ThreeDsServerClient {
  readonly configured = true;

  constructor(private readonly options: ThreeDsServerClientOptions) {}

  async preauth(acctNumber: string, now = new Date()): Promise<PreauthResult> {
    const answer = await this.post('/preauth', { acctNumber });
    if (answer.kind === 'failed') return answer;
    const { body } = answer;
    if (body.messageType === 'Erro') {
      return String(body.errorCode) === '305'
        ? { kind: 'not-enrolled' }
        : { kind: 'failed', error: describe(body as unknown as ThreeDsError) };
    }
    const transID = body.threeDSServerTransID;
    if (typeof transID !== 'string' || body.messageType !== 'CRD')
      return { kind: 'failed', error: 'unexpected /preauth answer' };
    const messageVersion = determineMessageVersion(body);
    if (!messageVersion) return { kind: 'not-enrolled' };
    const threeDSMethodURL = methodUrlFor(body, messageVersion);
    return {
      kind: 'enrolled',
      threeDSServerTransID: transID,
      messageVersion,
      ...(threeDSMethodURL ? { threeDSMethodURL } : {}),
      expiresAt: new Date(now.getTime() + TRANS_ID_LIFETIME_MS),
    };
  }

  async auth(request: AuthRequest): Promise<AuthResult> {
    const answer = await this.post('/auth', authBody(request));
    if (answer.kind === 'failed') return answer;
    if (answer.body.messageType === 'Erro')
      return { kind: 'failed', error: describe(answer.body as unknown as ThreeDsError) };
    const ares = parseMessage(answer.raw, answer.body, 'ARes');
    if (!ares || ares.threeDSServerTransID !== request.threeDSServerTransID)
      return { kind: 'failed', error: 'unexpected /auth answer' };
    if (ares.transStatus === 'C') {
      if (!ares.acsURL || !ares.acsTransID)
        return { kind: 'failed', error: 'challenge without acsURL' };
      return { kind: 'challenge', ares, acsURL: ares.acsURL, acsTransID: ares.acsTransID };
    }
    if ((ares.transStatus === 'Y' || ares.transStatus === 'A') && ares.eci) {
      return { kind: 'frictionless', ares };
    }
    return { kind: 'not-authenticated', ares };
  }

  async postauth(threeDSServerTransID: string): Promise<PostauthResult> {
    const answer = await this.post('/postauth', { threeDSServerTransID });
    if (answer.kind === 'failed') return answer;
    if (answer.body.messageType === 'Erro')
      return { kind: 'failed', error: describe(answer.body as unknown as ThreeDsError) };
    const rreq = parseMessage(answer.raw, answer.body, 'RReq');
    if (!rreq || rreq.threeDSServerTransID !== threeDSServerTransID)
      return { kind: 'failed', error: 'unexpected /postauth answer' };
    return { kind: 'result', rreq };
  }

  private async post(
    path: string,
    body: unknown,
  ): Promise<
    { kind: 'ok'; raw: string; body: Record<string, unknown> } | { kind: 'failed'; error: string }
  > {
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          apikey: this.options.apiKey,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch {
      return { kind: 'failed', error: `3-D Secure server unreachable (${path})` };
    }
    const raw = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { kind: 'failed', error: `3-D Secure server answered ${response.status} (${path})` };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return { kind: 'failed', error: `3-D Secure server answered ${response.status} (${path})` };
    const record = parsed as Record<string, unknown>;
    if (response.status !== 200 && record.messageType !== 'Erro')
      return { kind: 'failed', error: `3-D Secure server answered ${response.status} (${path})` };
    return { kind: 'ok', raw, body: record };
  }
}

/** The AReq for a browser payment: the keys the documentation's browser example carries. */
export function authBody(request: AuthRequest): Record<string, unknown> {
  const b = request.browser;
  return {
    messageType: 'AReq',
    messageVersion: request.messageVersion,
    messageCategory: '01',
    deviceChannel: '02',
    threeDSServerTransID: request.threeDSServerTransID,
    threeDSCompInd: request.threeDSCompInd,
    threeDSRequestorAuthenticationInd: '01',
    threeDSRequestorURL: request.threeDSRequestorURL,
    notificationURL: request.notificationURL,
    acctNumber: request.acctNumber,
    cardExpiryDate: request.cardExpiryDate,
    acquirerBIN: request.acquirerBIN,
    acquirerMerchantID: request.acquirerMerchantID,
    mcc: request.mcc,
    merchantCountryCode: request.merchantCountryCode,
    merchantName: request.merchantName,
    purchaseAmount: request.purchaseAmount.toString(),
    purchaseCurrency: request.purchaseCurrency,
    purchaseExponent: String(request.purchaseExponent),
    purchaseDate: purchaseDate(request.purchaseDate),
    transType: '01',
    browserAcceptHeader: b.acceptHeader,
    browserIP: b.ip,
    browserJavaEnabled: b.javaEnabled,
    browserJavascriptEnabled: b.javascriptEnabled,
    browserLanguage: b.language,
    browserColorDepth: b.colorDepth,
    browserScreenHeight: b.screenHeight,
    browserScreenWidth: b.screenWidth,
    browserTZ: b.tz,
    browserUserAgent: b.userAgent,
  };
}
