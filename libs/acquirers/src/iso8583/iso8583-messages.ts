import { createHash } from 'node:crypto';
import type { AuthorizationRequest } from '../acquirer-adapter';
import { Iso8583FormatError, type IsoMessage } from './iso8583-codec';
import { encodeTlv, type Tlv } from './iso8583-tlv';

export const Mti = {
  AuthorizationRequest: '0100',
  AuthorizationResponse: '0110',
  /** Capture: a financial advice for an amount authorized earlier (matched by RRN). */
  AdviceRequest: '0220',
  AdviceResponse: '0230',
  ReversalRequest: '0400',
  ReversalResponse: '0410',
  /**
   * Status inquiry by RRN, as an administrative message rather than a 0100 with a special
   * processing code: a host that ignored the processing code would authorize an inquiry.
   */
  InquiryRequest: '0600',
  InquiryResponse: '0610',
} as const;

export const ProcessingCode = { Purchase: '000000', Refund: '200000' } as const;

/** Field 25: card not present, e-commerce over a public network. */
export const POS_CONDITION_ECOMMERCE = '59';

/** Dankort delegated authentication, exactly as the PSP guide words it. */
export const DANKORT_POS_DATA_CODE = 'K005K0K00130';
export const DANKORT_DELEGATED_AUTHENTICATION: Tlv = new Map([
  ['7R', '8844101001'],
  ['V!', '23'],
]);

/** Our tags in field 48 (additional data, private). */
export const PrivateTag = {
  /** Our full reference (the authorization attempt id); field 37 only holds a digest of it. */
  Reference: 'RF',
  Cryptogram: 'CR',
  Eci: 'EC',
  TokenMethod: 'TM',
  /** The token service's delegated-authentication verdict (VTS): `Y` or `N`; absent: unknown. */
  DelegatedAuthentication: 'DA',
  /** Idempotency key of a capture or refund advice. */
  Operation: 'OP',
  /** 3-D Secure result on a re-authorization after a soft decline. */
  ThreeDsAuthenticationValue: 'AV',
  ThreeDsEci: 'AE',
  ThreeDsVersion: 'AS',
  ThreeDsTransactionId: 'AT',
} as const;

const NUMERIC_CURRENCY: Readonly<Record<string, string>> = {
  DKK: '208',
  EUR: '978',
  NOK: '578',
  SEK: '752',
  USD: '840',
  GBP: '826',
};

export function currencyToNumeric(alpha: string): string {
  const numeric = Object.hasOwn(NUMERIC_CURRENCY, alpha) ? NUMERIC_CURRENCY[alpha] : undefined;
  if (!numeric) throw new Iso8583FormatError(`currency ${alpha} has no ISO 4217 numeric code here`);
  return numeric;
}

export function currencyFromNumeric(numeric: string): string | undefined {
  return Object.keys(NUMERIC_CURRENCY).find((alpha) => NUMERIC_CURRENCY[alpha] === numeric);
}

/**
 * Field 37 for our reference: 12 base-32 characters of its SHA-256 (60 bits), the same in every
 * worker pod and after a restart, so inquiries, reversals and captures find the authorization.
 */
export function retrievalReferenceNumber(reference: string): string {
  const digest = createHash('sha256').update(reference).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = digest.readBigUInt64BE(0) >> 4n;
  let rrn = '';
  for (let i = 0; i < 12; i++, bits >>= 5n) rrn = alphabet[Number(bits & 31n)] + rrn;
  return rrn;
}

/** Per-message data the adapter supplies: trace number, clock and our identifiers. */
export interface Envelope {
  stan: string;
  at: Date;
  terminalId: string;
  acquirerMerchantId?: string;
}

/** What identifies an earlier message in field 90 (unknown after a restart: zero-filled). */
export interface OriginalMessage {
  stan: string;
  at: Date;
}

export function authorizationRequest(request: AuthorizationRequest, env: Envelope): IsoMessage {
  const { card } = request;
  const fields: Record<number, string> = {
    ...common(request.reference, env),
    ...amountFields(request.amount, request.currency),
    2: card.kind === 'pan' ? card.number : card.token,
    3: ProcessingCode.Purchase,
    14: `${twoDigits(card.expiryYear % 100)}${twoDigits(card.expiryMonth)}`,
    25: POS_CONDITION_ECOMMERCE,
    42: request.acquirerMerchantId,
  };
  // Strictly by the card type MobilePay sent: a co-branded card sent as VISA gets none of this.
  if (request.cardType === 'DANKORT') {
    fields[22] = DANKORT_POS_DATA_CODE;
    fields[47] = encodeTlv(DANKORT_DELEGATED_AUTHENTICATION);
  }
  const tags = new Map<string, string>([[PrivateTag.Reference, request.reference]]);
  if (card.kind === 'network-token') {
    tags.set(PrivateTag.TokenMethod, card.tokenMethod);
    tags.set(PrivateTag.Cryptogram, card.cryptogram);
    tags.set(PrivateTag.Eci, card.eci);
    if (card.delegatedAuthentication !== undefined) {
      tags.set(PrivateTag.DelegatedAuthentication, card.delegatedAuthentication ? 'Y' : 'N');
    }
  }
  if (request.threeDS) {
    tags.set(PrivateTag.ThreeDsAuthenticationValue, request.threeDS.cryptogram);
    tags.set(PrivateTag.ThreeDsEci, request.threeDS.eci);
    tags.set(PrivateTag.ThreeDsVersion, request.threeDS.version);
    tags.set(PrivateTag.ThreeDsTransactionId, request.threeDS.transactionId);
  }
  fields[48] = encodeTlv(tags);
  return { mti: Mti.AuthorizationRequest, fields };
}

export function inquiryRequest(
  reference: string,
  expected: { amount: bigint; currency: string },
  env: Envelope,
): IsoMessage {
  return {
    mti: Mti.InquiryRequest,
    fields: {
      ...common(reference, env),
      ...amountFields(expected.amount, expected.currency),
      48: encodeTlv(new Map([[PrivateTag.Reference, reference]])),
    },
  };
}

/**
 * Reversal of an authorization, found by RRN. Without an amount (another pod authorized it) the
 * host reverses whatever it holds; with an operation id it is a partial reversal that releases
 * `amount` of the uncaptured rest (our profile's stand-in for field 95 replacement amounts).
 */
export function reversalRequest(
  reference: string,
  release: { amount: bigint; currency: string; id?: string } | undefined,
  original: OriginalMessage | undefined,
  env: Envelope,
): IsoMessage {
  const tags = new Map<string, string>([[PrivateTag.Reference, reference]]);
  if (release?.id) tags.set(PrivateTag.Operation, release.id);
  return {
    mti: Mti.ReversalRequest,
    fields: {
      ...common(reference, env),
      ...(release ? amountFields(release.amount, release.currency) : {}),
      3: ProcessingCode.Purchase,
      48: encodeTlv(tags),
      90: originalDataElements(Mti.AuthorizationRequest, original),
    },
  };
}

export function adviceRequest(
  reference: string,
  operation: { id: string; amount: bigint; currency: string; refund: boolean },
  original: OriginalMessage | undefined,
  env: Envelope,
): IsoMessage {
  return {
    mti: Mti.AdviceRequest,
    fields: {
      ...common(reference, env),
      ...amountFields(operation.amount, operation.currency),
      3: operation.refund ? ProcessingCode.Refund : ProcessingCode.Purchase,
      25: POS_CONDITION_ECOMMERCE,
      48: encodeTlv(
        new Map([
          [PrivateTag.Reference, reference],
          [PrivateTag.Operation, operation.id],
        ]),
      ),
      90: originalDataElements(Mti.AuthorizationRequest, original),
    },
  };
}

function common(reference: string, env: Envelope): Record<number, string> {
  const at = env.at;
  const fields: Record<number, string> = {
    7: `${monthDay(at)}${time(at)}`,
    11: env.stan,
    12: time(at),
    13: monthDay(at),
    37: retrievalReferenceNumber(reference),
    41: env.terminalId,
  };
  if (env.acquirerMerchantId) fields[42] = env.acquirerMerchantId;
  return fields;
}

function amountFields(amount: bigint, currency: string): Record<number, string> {
  if (amount <= 0n || amount > 999_999_999_999n) {
    throw new Iso8583FormatError('amount does not fit field 4');
  }
  return { 4: amount.toString(), 49: currencyToNumeric(currency) };
}

/** Original MTI, STAN, transmission time, then two zero-filled institution ids (n11 each). */
function originalDataElements(mti: string, original: OriginalMessage | undefined): string {
  const stan = original?.stan ?? '000000';
  const at = original ? `${monthDay(original.at)}${time(original.at)}` : '0000000000';
  return `${mti}${stan}${at}`.padEnd(42, '0');
}

const twoDigits = (n: number) => String(n).padStart(2, '0');
const monthDay = (at: Date) => `${twoDigits(at.getUTCMonth() + 1)}${twoDigits(at.getUTCDate())}`;
const time = (at: Date) =>
  `${twoDigits(at.getUTCHours())}${twoDigits(at.getUTCMinutes())}${twoDigits(at.getUTCSeconds())}`;
