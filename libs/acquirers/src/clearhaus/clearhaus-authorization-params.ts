import type { AuthorizationRequest, ThreeDsResult } from '../acquirer-adapter';
import type { ClearhausParams } from './clearhaus-form';

const METHOD = 'mobilepayonline';
const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})(.*)$/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const BASE64_28 = /^[A-Za-z0-9+/]{27}=?$|^[A-Za-z0-9+/]{28}$/;

/**
 * `reference` allows 30 printable characters; our attempt id is a 36-character UUID. Its 16 bytes
 * as base64url (22 characters) keep it unique and reversible, and leave room for `.3ds`.
 */
export function clearhausReference(reference: string): string {
  const match = UUID.exec(reference);
  if (!match) return reference.slice(0, 30);
  const bytes = Buffer.from(match.slice(1, 6).join(''), 'hex');
  return `${bytes.toString('base64url')}${match[6] ?? ''}`.slice(0, 30);
}

/**
 * The docs' rule for `text_on_statement`: 2–22 printable ASCII characters, not all digits, not
 * all the same character, not a run of sequential characters. Danish letters are spelled out;
 * a name that still breaks the rule is left out (Clearhaus then uses the account's descriptor).
 */
export function textOnStatement(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const ascii = name
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'Ae')
    .replace(/ø/g, 'oe')
    .replace(/Ø/g, 'Oe')
    .replace(/å/g, 'aa')
    .replace(/Å/g, 'Aa')
    .normalize('NFKD')
    .replace(/[^\x20-\x7E]/g, '')
    .trim()
    .slice(0, 22)
    .trim();
  if (ascii.length < 2) return undefined;
  if (/^\d+$/.test(ascii)) return undefined;
  if (new Set(ascii).size === 1) return undefined;
  if (isSequential(ascii)) return undefined;
  return ascii;
}

function isSequential(text: string): boolean {
  const codes = [...text.toLowerCase()].map((c) => c.charCodeAt(0));
  return codes.every((code, i) => i === 0 || code === codes[i - 1] + 1);
}

/** `POST /authorizations` with payment method `mobilepayonline`, in the docs' parameter names. */
export function authorizationParams(request: AuthorizationRequest): ClearhausParams {
  const params: [string, string][] = [
    ['amount', request.amount.toString()],
    ['currency', request.currency],
    ['reference', clearhausReference(request.reference)],
  ];
  const statement = textOnStatement(request.textOnStatement);
  if (statement) params.push(['text_on_statement', statement]);
  const card = request.card;
  const month = String(card.expiryMonth).padStart(2, '0');
  const year = String(card.expiryYear < 100 ? 2000 + card.expiryYear : card.expiryYear);
  params.push([`${METHOD}[pan]`, card.kind === 'pan' ? card.number : card.token]);
  params.push([`${METHOD}[expire_month]`, month], [`${METHOD}[expire_year]`, year]);
  if (card.kind === 'network-token' && card.paymentToken) {
    params.push([`${METHOD}[payment_token]`, card.paymentToken]);
  }
  if (request.threeDS) params.push(...threeDsParams(request.threeDS));
  return params;
}

/**
 * `[3dsecure][v2]`: the ARes or RReq as received when we have it (only one may be present), else
 * the raw values of the authentication. A result exists only for an authenticated cardholder, so
 * `trans_status` is `Y`; it came from a challenge, so the message is the RReq.
 */
function threeDsParams(threeDS: ThreeDsResult): [string, string][] {
  const prefix = `${METHOD}[3dsecure][v2]`;
  if (threeDS.rreq) return [[`${prefix}[rreq]`, threeDS.rreq]];
  if (threeDS.ares) return [[`${prefix}[ares]`, threeDS.ares]];
  const raw: [string, string][] = [
    [`${prefix}[raw][trans_status]`, 'Y'],
    [`${prefix}[raw][message_version]`, threeDS.version],
    [`${prefix}[raw][message_type]`, 'RReq'],
  ];
  if (/^\d{1,2}$/.test(threeDS.eci))
    raw.push([`${prefix}[raw][eci]`, threeDS.eci.padStart(2, '0')]);
  if (BASE64_28.test(threeDS.cryptogram)) raw.push([`${prefix}[raw][av]`, threeDS.cryptogram]);
  if (UUID_V4.test(threeDS.transactionId)) {
    raw.push([`${prefix}[raw][ds_trans_id]`, threeDS.transactionId]);
  }
  return raw;
}
