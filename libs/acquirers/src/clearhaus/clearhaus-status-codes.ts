import type { DeclineReason } from '@app/domain';

/** What one Clearhaus transaction status code means for a MobilePay authorization attempt. */
export type ClearhausMeaning =
  | { kind: 'approved' }
  /** 40416: the issuer wants the cardholder authenticated — the 3-D Secure fallback (PATCH 1008). */
  | { kind: 'soft-declined' }
  | { kind: 'declined'; reason: DeclineReason };

interface Row {
  meaning: string;
  outcome: ClearhausMeaning;
}

const declined = (reason: DeclineReason): ClearhausMeaning => ({ kind: 'declined', reason });

/**
 * Every status code of Clearhaus' "Transaction status codes" table, with what it becomes at
 * MobilePay (reason code via DeclineReason: 1000 rejected, 1001 insufficient funds, 1003 expired,
 * 1004 fraud, 1005 soft blocked, 1006 hard blocked, 2001 permanent error, 2002 temporary error).
 *
 * Where the table's meaning and MobilePay's codes do not line up one to one:
 * - the input errors (40000–40150) are ours to fix, never the shopper's: 2001, don't try again;
 * - 40200 (a rule of the merchant's Clearhaus account refused it): 1000, another card may pass;
 * - 40300 (the 3-D Secure data we passed was unusable): 2001; 40310 (authentication failed): 1000;
 * - 40411 card restricted and 40412 lost or stolen: 1006 hard blocked;
 * - 40415 amount limit exceeded: 1000 (not "insufficient funds": the limit is the card's);
 * - 40420 merchant blocked by cardholder: 1005 soft blocked (the cardholder can lift it);
 * - 40400 backend problem and 50000 Clearhaus error: 2002, a later attempt may succeed.
 */
export const CLEARHAUS_STATUS_CODES: Readonly<Record<number, Row>> = {
  20000: { meaning: 'Approved', outcome: { kind: 'approved' } },
  40000: { meaning: 'General input error', outcome: declined('INVALID_REQUEST') },
  40110: { meaning: 'Invalid card number', outcome: declined('INVALID_REQUEST') },
  40111: { meaning: 'Unsupported card scheme', outcome: declined('INVALID_REQUEST') },
  40120: { meaning: 'Invalid CSC', outcome: declined('INVALID_REQUEST') },
  40130: { meaning: 'Invalid expire date', outcome: declined('INVALID_REQUEST') },
  40135: { meaning: 'Card expired', outcome: declined('EXPIRED_CARD') },
  40140: { meaning: 'Invalid currency', outcome: declined('INVALID_REQUEST') },
  40150: { meaning: 'Invalid text on statement', outcome: declined('INVALID_REQUEST') },
  40200: { meaning: 'Clearhaus rule violation', outcome: declined('DO_NOT_HONOR') },
  40300: { meaning: '3-D Secure problem', outcome: declined('INVALID_REQUEST') },
  40310: { meaning: '3-D Secure authentication failure', outcome: declined('DO_NOT_HONOR') },
  40400: { meaning: 'Backend problem', outcome: declined('TEMPORARY_ERROR') },
  40410: { meaning: 'Declined by issuer or card scheme', outcome: declined('DO_NOT_HONOR') },
  40411: { meaning: 'Card restricted', outcome: declined('HARD_BLOCKED') },
  40412: { meaning: 'Card lost or stolen', outcome: declined('HARD_BLOCKED') },
  40413: { meaning: 'Insufficient funds', outcome: declined('INSUFFICIENT_FUNDS') },
  40414: { meaning: 'Suspected fraud', outcome: declined('FRAUD_SUSPECTED') },
  40415: { meaning: 'Amount limit exceeded', outcome: declined('DO_NOT_HONOR') },
  40416: { meaning: 'Additional authentication required', outcome: { kind: 'soft-declined' } },
  40420: { meaning: 'Merchant blocked by cardholder', outcome: declined('SOFT_BLOCKED') },
  50000: { meaning: 'Clearhaus error', outcome: declined('TEMPORARY_ERROR') },
};

/** "Status code 20000 is the only code for which the transaction is approved": others decline. */
export function clearhausMeaning(code: number): ClearhausMeaning & { description: string } {
  const row = CLEARHAUS_STATUS_CODES[code];
  if (row) return { ...row.outcome, description: row.meaning };
  return { kind: 'declined', reason: 'ERROR', description: 'undocumented status code' };
}
