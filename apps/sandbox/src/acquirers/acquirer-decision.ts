import { luhnValid } from '../mobilepay/payment-rules';
import type { AuthorizationRequest } from './authorization-request.schema';
import { type AuthorizationStatus, type DeclineCode, testCardBehaviour } from './test-cards';

export interface Decision {
  status: AuthorizationStatus;
  declineCode?: DeclineCode;
  responseDelayMs?: number;
}

/**
 * The issuer's answer: magic test cards first, then expiry, then the "…51" amount rule. A network
 * token is judged as the card it stands for (`detokenize`), as the issuer sees it.
 */
export function decide(
  request: AuthorizationRequest,
  now: Date = new Date(),
  detokenize: (token: string) => string | undefined = () => undefined,
): Decision {
  const { card } = request;
  const number = card.kind === 'pan' ? card.number : (detokenize(card.token) ?? card.token);
  const magic = testCardBehaviour(number);
  if (magic?.status === 'SOFT_DECLINED' && magic.approvedWithThreeDs && request.threeDS) {
    return { status: 'APPROVED' };
  }
  if (magic) return magic;
  if (request.card.kind === 'pan' && !luhnValid(number)) {
    return { status: 'DECLINED', declineCode: 'DO_NOT_HONOR' };
  }
  if (expired(request.card.expiryMonth, request.card.expiryYear, now)) {
    return { status: 'DECLINED', declineCode: 'EXPIRED_CARD' };
  }
  if (request.amount % 100 === 51) return { status: 'DECLINED', declineCode: 'INSUFFICIENT_FUNDS' };
  return { status: 'APPROVED' };
}

function expired(month: number, year: number, now: Date): boolean {
  const fullYear = year < 100 ? 2000 + year : year;
  const currentYear = now.getUTCFullYear();
  return fullYear < currentYear || (fullYear === currentYear && month < now.getUTCMonth() + 1);
}
