import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { AcquirerRouter, type AcquirerRoutes } from '@app/acquirers';
import { DomainError, ErrorCode, ReasonCode } from '@app/domain';
import { MobilePayClient, MobilePayError } from '@app/mobilepay';
import {
  AttemptRepository,
  InvalidationRepository,
  failurePatch,
  type Merchant,
  type Payment,
} from '@app/persistence';
import { JobProducer } from '@app/queue';

/** MobilePay's answers to PUT …/invalidate (PSP guide, "Invalidation of a payment"). */
const ALREADY_AUTHORIZED = '2100';
const ATTEMPT_NOT_PATCHED = '2101';
/** The worker's pick-up of the PATCH job, on top of the delivery's own retry budget. */
const PICK_UP_MARGIN_MS = 2_000;
/** How often Postgres is looked at while an authorization or a PATCH is on its way. */
const POLL_MS = 100;
/** An authorization in flight is waited for at most this long (the acquirer's answer). */
const MAX_IN_FLIGHT_POLLS = 100;

/**
 * Invalidation, in the order the guide requires ("the authorization attempt must be patched with
 * reasoncode 1010 before invalidation"): close the payment here (a racing callback is then
 * refused with 1010), fail every open attempt with PATCH 1010, wait until MobilePay has
 * acknowledged (204) every PATCH of the payment, and only then send PUT invalidate.
 *
 * The PATCH is waited for as long as one delivery with the guide's retry budget can take (plus
 * the worker picking it up); past that the merchant gets `invalidation_pending` and may call
 * again — the payment stays closed here, so a second call only repeats the wait and the PUT.
 * A 2101 after our PATCHes landed (MobilePay still catching up) is retried inside the client's
 * budget: the guide's 1 s pause, at most `MOBILEPAY_RETRIES` retries, never more than 6.
 */
@Injectable()
export class InvalidationService {
  private readonly logger = new Logger(InvalidationService.name);

  constructor(
    private readonly invalidations: InvalidationRepository,
    private readonly attempts: AttemptRepository,
    private readonly mobilePay: MobilePayClient,
    private readonly jobs: JobProducer,
    private readonly router: AcquirerRouter,
  ) {}

  async invalidate(
    merchant: Merchant,
    paymentId: string,
  ): Promise<{ id: string; status: 'INVALIDATED' }> {
    const closed = await this.invalidations.close(merchant.id, paymentId);
    if (!closed) throw new DomainError(ErrorCode.NotFound, 'payment not found');
    const { payment, previous } = closed;
    if (previous === 'AUTHORIZED') throw alreadyAuthorized();
    if (!['CREATED', 'INITIATED', 'INVALIDATED'].includes(previous)) {
      throw new DomainError(
        ErrorCode.PaymentNotPayable,
        `a ${previous.toLowerCase()} payment cannot be invalidated`,
      );
    }
    if (!payment.mobilePayPaymentId) return { id: payment.id, status: 'INVALIDATED' };
    await this.stopOpenAttempts(merchant, payment);
    await this.awaitAcknowledgedPatches(payment);
    await this.askMobilePay(payment);
    await this.invalidations.recordInvalidated(payment);
    return { id: payment.id, status: 'INVALIDATED' };
  }

  /** Attempts no worker holds are failed with 1010 now; one being authorized is waited for. */
  private async stopOpenAttempts(merchant: Merchant, payment: Payment): Promise<void> {
    for (let i = 0; i < MAX_IN_FLIGHT_POLLS; i++) {
      const open = await this.invalidations.openAttempts(payment.id);
      const idle = open.filter((a) => a.status !== 'AUTHORIZING');
      for (const attempt of idle) {
        const outboxId = await this.attempts.failUnstarted(
          attempt,
          failurePatch(
            {
              id: attempt.id,
              mobilePayPaymentId: payment.mobilePayPaymentId!,
              acquirerMerchantId: merchant.acquirerMerchantId,
            },
            this.router.vatNumberFor(attempt, merchant.acquirerRoutes as AcquirerRoutes | null),
            ReasonCode.RejectedForInvalidation,
            'payment invalidated',
          ),
          ['RECEIVED', 'THREE_DS_PENDING', 'THREE_DS_AUTHENTICATED'],
        );
        if (outboxId) await this.jobs.deliverReport(outboxId);
      }
      if (open.every((a) => a.status !== 'AUTHORIZING')) return;
      await sleep(POLL_MS);
    }
  }

  /** MobilePay must hold our 1010 (and any final PATCH a worker just sent) before the PUT. */
  private async awaitAcknowledgedPatches(payment: Payment): Promise<void> {
    const until = Date.now() + this.mobilePay.budgetMs + PICK_UP_MARGIN_MS;
    while ((await this.invalidations.unacknowledgedPatches(payment.id)) > 0) {
      if (Date.now() >= until) {
        this.logger.warn({ paymentId: payment.id }, 'PATCH not yet acknowledged; PUT not sent');
        throw invalidationPending();
      }
      await sleep(POLL_MS);
    }
  }

  private async askMobilePay(payment: Payment): Promise<void> {
    try {
      await this.mobilePay.invalidatePayment(payment.mobilePayPaymentId!, {
        correlationId: payment.id,
        retryOnCodes: [ATTEMPT_NOT_PATCHED],
      });
      this.logger.log({ paymentId: payment.id }, 'payment invalidated');
    } catch (error) {
      if (!(error instanceof MobilePayError)) throw error;
      if (error.code === ALREADY_AUTHORIZED) {
        await this.invalidations.reopen(payment.id);
        throw alreadyAuthorized();
      }
      if (error.code === ATTEMPT_NOT_PATCHED) throw invalidationPending();
      if (error.transient)
        throw new DomainError(ErrorCode.MobilePayUnavailable, 'MobilePay is unavailable; retry');
      throw new DomainError(
        ErrorCode.MobilePayRejected,
        `MobilePay refused the invalidation: ${error.message}`,
      );
    }
  }
}

function invalidationPending(): DomainError {
  return new DomainError(
    ErrorCode.InvalidationPending,
    'an authorization attempt is still open at MobilePay; retry shortly',
  );
}

function alreadyAuthorized(): DomainError {
  return new DomainError(
    ErrorCode.PaymentAlreadyAuthorized,
    'payment is already authorized; cancel it instead',
  );
}
