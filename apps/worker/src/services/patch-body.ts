import { ReasonCode, reasonCodeForDecline } from '@app/domain';
import type { AcquirerAdapter, AuthorizationResult } from '@app/acquirers';
import {
  failurePatch,
  type AcquirerOutcome,
  type AttemptPatch,
  type AttemptWithPayment,
} from '@app/persistence';

type Decided = Extract<AuthorizationResult, { kind: 'approved' | 'declined' | 'soft-declined' }>;

/** Turns an acquirer's final answer into the attempt's new state and the PATCH MobilePay gets. */
export function decide(
  attempt: AttemptWithPayment,
  acquirer: AcquirerAdapter,
  result: Decided,
  /** The reference the acquirer knows this authorization by. */
  authorizationReference: string,
): { outcome: AcquirerOutcome; patch: AttemptPatch } {
  const acquirerFields = {
    acquirerVatNumber: acquirer.vatNumber,
    acquirerMerchantId: attempt.payment.merchant.acquirerMerchantId,
    acquirerPaymentReference: result.acquirerReference ?? attempt.id,
  };
  const base = {
    acquirer: acquirer.name,
    acquirerMerchantId: acquirerFields.acquirerMerchantId,
    acquirerVatNumber: acquirer.vatNumber,
    acquirerReference: result.acquirerReference,
    authorizationReference,
  };
  const target = { mobilePayPaymentId: attempt.payment.mobilePayPaymentId!, attemptId: attempt.id };
  switch (result.kind) {
    case 'approved':
      return {
        outcome: {
          ...base,
          status: 'AUTHORIZED',
          reasonCode: null,
          reasonMessage: null,
          authorizedAmount: result.amount,
        },
        patch: { ...target, body: { succeeded: true, ...acquirerFields } },
      };
    case 'declined': {
      const reasonCode = reasonCodeForDecline(result.reason);
      const reasonMessage =
        `declined by acquirer: ${result.reason.toLowerCase().replace(/_/g, ' ')}` +
        (result.detail ? ` (${result.detail})` : '');
      return {
        outcome: { ...base, status: 'DECLINED', reasonCode, reasonMessage, authorizedAmount: 0n },
        patch: {
          ...target,
          body: { succeeded: false, reasonCode, reasonMessage, ...acquirerFields },
        },
      };
    }
    case 'soft-declined': {
      const reasonMessage = 'soft decline: issuer requires 3-D Secure';
      return {
        outcome: {
          ...base,
          status: 'DECLINED',
          reasonCode: ReasonCode.Rejected,
          reasonMessage,
          authorizedAmount: 0n,
        },
        patch: {
          ...target,
          body: {
            succeeded: false,
            reasonCode: ReasonCode.Rejected,
            reasonMessage,
            ...acquirerFields,
          },
        },
      };
    }
  }
}

/** The PATCH for an attempt that ran out of time without a known acquirer answer. */
export function timedOut(attempt: AttemptWithPayment, acquirer: AcquirerAdapter, message: string) {
  return refused(attempt, acquirer, ReasonCode.Timeout, message);
}

/** A failure PATCH decided on our side (no acquirer answer), with the acquirer fields MobilePay wants. */
export function refused(
  attempt: AttemptWithPayment,
  acquirer: AcquirerAdapter,
  reasonCode: number,
  message: string,
): { outcome: AcquirerOutcome; patch: AttemptPatch } {
  const acquirerMerchantId = attempt.payment.merchant.acquirerMerchantId;
  const outcome: AcquirerOutcome = {
    status: 'DECLINED',
    acquirer: acquirer.name,
    acquirerMerchantId,
    acquirerVatNumber: acquirer.vatNumber,
    acquirerReference: null,
    authorizationReference: null,
    reasonCode,
    reasonMessage: message,
    authorizedAmount: 0n,
  };
  const patch = failurePatch(patchTarget(attempt), acquirer.vatNumber, reasonCode, message);
  return { outcome, patch };
}

/** Soft decline: PATCH 1008 with the challenge page this gateway serves. Not final. */
export function threeDsRequired(
  attempt: AttemptWithPayment,
  acquirer: AcquirerAdapter,
  threeDSecureUrl: string,
): AttemptPatch {
  return failurePatch(
    patchTarget(attempt),
    acquirer.vatNumber,
    ReasonCode.ThreeDSecureRequired,
    'soft decline: 3-D Secure step-up required',
    threeDSecureUrl,
  );
}

function patchTarget(attempt: AttemptWithPayment) {
  return {
    id: attempt.id,
    mobilePayPaymentId: attempt.payment.mobilePayPaymentId!,
    acquirerMerchantId: attempt.payment.merchant.acquirerMerchantId,
  };
}
