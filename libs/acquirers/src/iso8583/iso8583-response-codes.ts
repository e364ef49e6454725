import type { DeclineReason } from '@app/domain';

/** What a field 39 response code means for the money, independent of the message type. */
export type ResponseMeaning =
  | { kind: 'approved' }
  | { kind: 'declined'; reason: DeclineReason }
  | { kind: 'soft-declined' }
  /** The host refused to process the message: nothing happened, asking again is safe. */
  | { kind: 'not-processed' }
  /** The host cannot say what happened (e.g. a duplicate of something it may have done). */
  | { kind: 'unknown' }
  | { kind: 'not-found' };

const APPROVED = new Set(['00', '10', '11']);

const DECLINES: Readonly<Record<string, DeclineReason>> = {
  '05': 'DO_NOT_HONOR',
  '14': 'DO_NOT_HONOR',
  '33': 'EXPIRED_CARD',
  '34': 'FRAUD_SUSPECTED',
  '41': 'HARD_BLOCKED',
  '43': 'HARD_BLOCKED',
  '51': 'INSUFFICIENT_FUNDS',
  '54': 'EXPIRED_CARD',
  '57': 'WEB_PAYMENTS_DISABLED',
  '59': 'FRAUD_SUSPECTED',
  '62': 'HARD_BLOCKED',
  '78': 'SOFT_BLOCKED',
};

/** Strong customer authentication required: '1A' (Visa, Nets), '65' (Mastercard in the EEA). */
const SOFT_DECLINES = new Set(['1A', '65']);

/** Format error, issuer or switch inoperative, system malfunction: refused before acting. */
const NOT_PROCESSED = new Set(['30', '91', '92', '96']);

/** Duplicate transmission, response received too late: the original may have been approved. */
const UNKNOWN = new Set(['68', '94']);

const NOT_FOUND = '25';

/** Any other code is a decline: the host answered, and it did not approve. */
export function responseMeaning(code: string): ResponseMeaning {
  if (APPROVED.has(code)) return { kind: 'approved' };
  if (SOFT_DECLINES.has(code)) return { kind: 'soft-declined' };
  if (NOT_PROCESSED.has(code)) return { kind: 'not-processed' };
  if (UNKNOWN.has(code)) return { kind: 'unknown' };
  if (code === NOT_FOUND) return { kind: 'not-found' };
  return { kind: 'declined', reason: DECLINES[code] ?? 'DO_NOT_HONOR' };
}
