import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AcquirerRouter,
  THREE_DS_SERVER,
  type AcquirerRoutes,
  type ThreeDsServer,
} from '@app/acquirers';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CardDataSealer, LinkSigner, sealCard, unsealCard } from '@app/crypto';
import { DomainError, ErrorCode, ReasonCode, watchdogFireTime } from '@app/domain';
import {
  AttemptRepository,
  ThreeDsRepository,
  failurePatch,
  type AttemptPatch,
  type AttemptWithPayment,
} from '@app/persistence';
import { JobProducer } from '@app/queue';

export type ChallengeView =
  | {
      state: 'challenge';
      merchantName: string;
      amount: bigint;
      currency: string;
      maskedCard: string | null;
    }
  | { state: 'closed' };

/**
 * The 3-D Secure fallback on our side: the page MobilePay's app opens after PATCH 1008, the
 * cardholder's answer, and the steps that follow — 1009 and re-authorization, or 1000.
 */
@Injectable()
export class ThreeDsService {
  private readonly logger = new Logger(ThreeDsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(THREE_DS_SERVER) private readonly server: ThreeDsServer,
    private readonly links: LinkSigner,
    private readonly sealer: CardDataSealer,
    private readonly attempts: AttemptRepository,
    private readonly threeDs: ThreeDsRepository,
    private readonly jobs: JobProducer,
    private readonly router: AcquirerRouter,
  ) {}

  get doneUrl(): string {
    return this.config.threeDs.doneUrl;
  }

  /**
   * Where the browser goes after the challenge: MobilePay Online's done3ds page, or for an
   * ePayment attempt the callback's `softDeclineCompletedRedirectUrl` (the second callback follows).
   */
  async doneUrlFor(attemptId: string, token: string): Promise<string> {
    const attempt = await this.load(attemptId, token);
    return attempt.softDeclineCompletedRedirectUrl ?? this.config.threeDs.doneUrl;
  }

  async view(attemptId: string, token: string): Promise<ChallengeView> {
    const attempt = await this.load(attemptId, token);
    if (attempt.status !== 'THREE_DS_PENDING') return { state: 'closed' };
    return {
      state: 'challenge',
      merchantName: attempt.payment.merchant.displayName,
      amount: attempt.payment.amount,
      currency: attempt.payment.currency,
      maskedCard: attempt.maskedCardNumber,
    };
  }

  /** The cardholder approved or cancelled; either way the app is sent to done3ds next. */
  async complete(attemptId: string, token: string, approved: boolean): Promise<void> {
    const attempt = await this.load(attemptId, token);
    if (attempt.status !== 'THREE_DS_PENDING') return;
    const outcome = await this.server.complete(
      {
        attemptId,
        amount: attempt.payment.amount,
        currency: attempt.payment.currency,
        merchantName: attempt.payment.merchant.displayName,
        cardType: attempt.cardType,
      },
      approved,
    );
    if (outcome.status === 'failed') {
      const reason = approved
        ? `3-D Secure failed: ${outcome.reason}`
        : '3-D Secure challenge cancelled';
      const outboxId = await this.attempts.failUnstarted(
        attempt,
        this.patch(attempt, ReasonCode.Rejected, reason),
        ['THREE_DS_PENDING'],
      );
      if (outboxId) await this.jobs.deliverReport(outboxId);
      this.logger.log({ attemptId, approved }, '3-D Secure challenge not passed');
      return;
    }
    const sealed = await this.attempts.findSealed(attemptId);
    if (!sealed)
      throw new DomainError(ErrorCode.PaymentNotPayable, 'card data is no longer available');
    const card = unsealCard(this.sealer, sealed, attemptId);
    const { cryptogram, eci, version, transactionId } = outcome;
    const resealed = sealCard(
      this.sealer,
      { ...card, threeDS: { cryptogram, eci, version, transactionId } },
      attemptId,
    );
    const deadlineAt = new Date(Date.now() + this.config.payments.patchDeadlineMs);
    const outboxId = await this.threeDs.recordAuthenticated(
      attempt,
      resealed,
      this.patch(attempt, ReasonCode.ThreeDSecureCompleted, '3-D Secure passed; authorizing again'),
      deadlineAt,
    );
    if (!outboxId) return;
    // PATCH 1009 first (MobilePay then stops the shopper from switching card); its delivery queues
    // the re-authorization. The watchdog guards the new deadline.
    await this.jobs.deliverReport(outboxId);
    await this.jobs.deadlineWatchdog(
      attemptId,
      watchdogFireTime(deadlineAt, this.config.payments.patchDeadlineMs),
    );
  }

  private async load(attemptId: string, token: string): Promise<AttemptWithPayment> {
    const attempt = this.links.verify('3ds', attemptId, token)
      ? await this.attempts.findWithPayment(attemptId)
      : null;
    if (!attempt) throw new DomainError(ErrorCode.NotFound, 'no such 3-D Secure challenge');
    return attempt;
  }

  private patch(
    attempt: AttemptWithPayment,
    reasonCode: number,
    reasonMessage: string,
  ): AttemptPatch {
    return failurePatch(
      {
        id: attempt.id,
        mobilePayPaymentId: attempt.payment.mobilePayPaymentId!,
        acquirerMerchantId: attempt.payment.merchant.acquirerMerchantId,
      },
      this.router.vatNumberFor(
        attempt,
        attempt.payment.merchant.acquirerRoutes as AcquirerRoutes | null,
      ),
      reasonCode,
      reasonMessage,
    );
  }
}
