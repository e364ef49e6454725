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
const RETRY_PAUSE_MS = 500;
const MAX_TRIES = 20;
const IN_FLIGHT_WAIT_MS = 100;

/**
 * Invalidation, in the order the guide requires: close the payment here (a racing callback is
 * then refused with 1010), fail every open attempt with PATCH 1010, then ask MobilePay — retrying
 * on 2101 while our 1010 PATCH is still on its way, a bounded number of times.
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
    await this.askMobilePay(payment);
    await this.invalidations.recordInvalidated(payment);
    return { id: payment.id, status: 'INVALIDATED' };
  }

  /** Attempts no worker holds are failed with 1010 now; one being authorized is waited for. */
  private async stopOpenAttempts(merchant: Merchant, payment: Payment): Promise<void> {
    for (let i = 0; i < MAX_TRIES * 5; i++) {
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
      await sleep(IN_FLIGHT_WAIT_MS);
    }
  }

  private async askMobilePay(payment: Payment): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.mobilePay.invalidatePayment(payment.mobilePayPaymentId!, {
          correlationId: payment.id,
        });
        this.logger.log({ paymentId: payment.id }, 'payment invalidated');
        return;
      } catch (error) {
        if (!(error instanceof MobilePayError)) throw error;
        if (error.code === ALREADY_AUTHORIZED) {
          await this.invalidations.reopen(payment.id);
          throw alreadyAuthorized();
        }
        if (error.code === ATTEMPT_NOT_PATCHED && attempt < MAX_TRIES) {
          await sleep(RETRY_PAUSE_MS);
          continue;
        }
        if (error.code === ATTEMPT_NOT_PATCHED) {
          throw new DomainError(
            ErrorCode.InvalidationPending,
            'an authorization attempt is still open at MobilePay; retry shortly',
          );
        }
        if (error.transient)
          throw new DomainError(ErrorCode.MobilePayUnavailable, 'MobilePay is unavailable; retry');
        throw new DomainError(
          ErrorCode.MobilePayRejected,
          `MobilePay refused the invalidation: ${error.message}`,
        );
      }
    }
  }
}

function alreadyAuthorized(): DomainError {
  return new DomainError(
    ErrorCode.PaymentAlreadyAuthorized,
    'payment is already authorized; cancel it instead',
  );
}
