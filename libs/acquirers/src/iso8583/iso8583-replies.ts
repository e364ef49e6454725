import type { AuthorizationResult, InquiryResult } from '../acquirer-adapter';
import type { IsoMessage } from './iso8583-codec';
import { currencyFromNumeric } from './iso8583-messages';
import { responseMeaning } from './iso8583-response-codes';

/** The amount and currency an answer must be about. */
export interface Expected {
  amount: bigint;
  currency: string;
}

/** Outcome of a reversal (0400) or a capture/refund advice (0220). */
export type Iso8583OperationOutcome =
  | { kind: 'done'; acquirerReference: string }
  /** The acquirer holds no authorization under this reference: nothing to reverse or capture. */
  | { kind: 'not-found' }
  | { kind: 'rejected'; responseCode: string }
  | { kind: 'not-sent'; error: string }
  | { kind: 'unknown'; error: string };

export function authorizationOutcome(reply: IsoMessage, expected: Expected): AuthorizationResult {
  const code = reply.fields[39];
  if (!code) return { kind: 'unknown', error: 'answer without a response code' };
  const problem = echoProblem(reply, expected);
  if (problem) return { kind: 'unknown', error: problem };
  const acquirerReference = reply.fields[37] ?? null;
  const meaning = responseMeaning(code);
  switch (meaning.kind) {
    case 'approved':
      if (!acquirerReference) return { kind: 'unknown', error: 'approval without an RRN' };
      // Only these two: `expected` may be the whole request, card included.
      return {
        kind: 'approved',
        acquirerReference,
        amount: expected.amount,
        currency: expected.currency,
      };
    case 'declined':
      return { kind: 'declined', reason: meaning.reason, acquirerReference };
    case 'not-found':
      return { kind: 'declined', reason: 'DO_NOT_HONOR', acquirerReference };
    case 'soft-declined':
      return { kind: 'soft-declined', acquirerReference };
    case 'not-processed':
      return { kind: 'not-sent', error: `acquirer did not process the request (${code})` };
    case 'unknown':
      return { kind: 'unknown', error: `acquirer cannot tell the outcome (${code})` };
  }
}

/** The original outcome as the acquirer stored it; an inquiry that failed resolves nothing. */
export function inquiryOutcome(reply: IsoMessage, expected: Expected): InquiryResult {
  const code = reply.fields[39];
  if (code === '25') return { kind: 'not-found' };
  const outcome = authorizationOutcome(reply, expected);
  if (outcome.kind !== 'not-sent') return outcome;
  return { kind: 'unknown', error: `inquiry not processed: ${outcome.error}` };
}

/** `expected` undefined: a reversal sent without an amount, whatever the host held is reversed. */
export function operationOutcome(
  reply: IsoMessage,
  expected: Expected | undefined,
): Iso8583OperationOutcome {
  const code = reply.fields[39];
  if (!code) return { kind: 'unknown', error: 'answer without a response code' };
  if (code === '25') return { kind: 'not-found' };
  const problem = expected && echoProblem(reply, expected);
  if (problem) return { kind: 'unknown', error: problem };
  const meaning = responseMeaning(code);
  switch (meaning.kind) {
    case 'approved':
      return { kind: 'done', acquirerReference: reply.fields[37] ?? '' };
    case 'not-processed':
      return { kind: 'not-sent', error: `acquirer did not process the request (${code})` };
    case 'unknown':
      return { kind: 'unknown', error: `acquirer cannot tell the outcome (${code})` };
    case 'declined':
    case 'soft-declined':
    case 'not-found':
      return { kind: 'rejected', responseCode: code };
  }
}

/** An answer about another amount or currency is not an answer to what we asked. */
function echoProblem(reply: IsoMessage, expected: Expected): string | undefined {
  const amount = reply.fields[4];
  const currency = reply.fields[49];
  if (amount === undefined || currency === undefined) {
    return 'acquirer answer lacks the amount or currency';
  }
  if (BigInt(amount) !== expected.amount || currencyFromNumeric(currency) !== expected.currency) {
    return 'acquirer answered for a different amount or currency';
  }
  return undefined;
}
