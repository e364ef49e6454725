/**
 * Lifecycle of one MobilePay authorization attempt on our side. Mirrors the Prisma enum, but the
 * domain owns the rules: every transition the services make is checked against this table.
 *
 *   RECEIVED ─▶ AUTHORIZING ─▶ AUTHORIZED ─▶ SUCCEEDED | FAILED
 *      │             │ └─────▶ DECLINED ───▶ FAILED
 *      │             └─▶ THREE_DS_PENDING ─▶ THREE_DS_AUTHENTICATED ─▶ AUTHORIZING (re-authorize)
 *      └─▶ DECLINED   (checks at intake, deadline, invalidation, cancelled 3DS challenge)
 */
export type AttemptStatus =
  | 'RECEIVED'
  | 'AUTHORIZING'
  | 'THREE_DS_PENDING'
  | 'THREE_DS_AUTHENTICATED'
  | 'AUTHORIZED'
  | 'DECLINED'
  | 'SUCCEEDED'
  | 'FAILED';

const TRANSITIONS: Record<AttemptStatus, readonly AttemptStatus[]> = {
  RECEIVED: ['AUTHORIZING', 'DECLINED'],
  AUTHORIZING: ['AUTHORIZED', 'DECLINED', 'THREE_DS_PENDING'],
  THREE_DS_PENDING: ['THREE_DS_AUTHENTICATED', 'DECLINED'],
  THREE_DS_AUTHENTICATED: ['AUTHORIZING', 'DECLINED'],
  // FAILED from AUTHORIZED: MobilePay refused the success PATCH; the authorization is reversed.
  AUTHORIZED: ['SUCCEEDED', 'FAILED'],
  DECLINED: ['FAILED'],
  SUCCEEDED: [],
  FAILED: [],
};

export function canTransition(from: AttemptStatus, to: AttemptStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States from which the attempt will never move again; sealed card data must be gone by then. */
export function isFinal(status: AttemptStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Statuses an attempt may have when `to` is entered; used to build conditional updates. */
export function predecessorsOf(to: AttemptStatus): AttemptStatus[] {
  return (Object.keys(TRANSITIONS) as AttemptStatus[]).filter((from) => canTransition(from, to));
}
