import { Inject, Injectable, Logger } from '@nestjs/common';
import { AcquirerRouter } from '@app/acquirers';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CardDataSealer, sealCard, type SealedCard } from '@app/crypto';
import { DomainError, ErrorCode, ReasonCode, watchdogFireTime, type CardType } from '@app/domain';
import {
  AttemptRepository,
  failurePatch,
  IntakeRepository,
  type IntakeView,
  type Payment,
  type ReceivedAttempt,
} from '@app/persistence';
import { JobProducer } from '@app/queue';

export type CallbackAck = { status: 'accepted' | 'duplicate' | 'rejected'; attemptId: string };

export interface AttemptFacts {
  id: string;
  cardType: CardType;
  kind: ReceivedAttempt['kind'];
  maskedCardNumber: string | null;
  tokenMethod?: string | null;
  cardIssuedInCountryCode?: string | null;
}

type IntakePayment = NonNullable<IntakeView['payment']>;

export type OpenedAttempt =
  { kind: 'duplicate'; ack: CallbackAck } | { kind: 'new'; payment: IntakePayment };

/** Why a payment cannot take a new attempt, as MobilePay's reason codes. */
const CLOSED: Partial<Record<Payment['status'], { reasonCode: number; message: string }>> = {
  INVALIDATED: {
    reasonCode: ReasonCode.RejectedForInvalidation,
    message: 'payment was invalidated',
  },
  EXPIRED: { reasonCode: ReasonCode.PermanentError, message: 'payment expired' },
  AUTHORIZED: { reasonCode: ReasonCode.PermanentError, message: 'payment is already authorized' },
  CANCELLED: { reasonCode: ReasonCode.PermanentError, message: 'payment was cancelled' },
  FAILED: { reasonCode: ReasonCode.PermanentError, message: 'payment failed' },
};

/**
 * The part every card-bearing callback shares: duplicate detection, one atomic statement for the
 * attempt and its sealed card data, then the authorize job and the deadline watchdog.
 */
@Injectable()
export class AttemptIntakeService {
  private readonly logger = new Logger(AttemptIntakeService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sealer: CardDataSealer,
    private readonly intake: IntakeRepository,
    private readonly attempts: AttemptRepository,
    private readonly jobs: JobProducer,
    private readonly router: AcquirerRouter,
  ) {}

  /** A redelivered callback is acked again (and its job re-queued); a new one needs its payment. */
  async open(
    mobilePayPaymentId: string,
    attemptId: string,
    cardType: string,
  ): Promise<OpenedAttempt> {
    const { payment, existingAttempt } = await this.intake.lookup(mobilePayPaymentId, attemptId);
    if (existingAttempt) {
      if (!existingAttempt.sameMobilePayPayment) {
        throw new DomainError(ErrorCode.UnknownPayment, 'attempt belongs to another payment');
      }
      if (existingAttempt.status === 'RECEIVED') await this.jobs.authorize(attemptId);
      return { kind: 'duplicate', ack: { status: 'duplicate', attemptId } };
    }
    if (!payment) throw new DomainError(ErrorCode.UnknownPayment, 'payment is not known here');
    if (!payment.allowedCardTypes.includes(cardType)) {
      throw new DomainError(
        ErrorCode.UnsupportedCardType,
        'card type was not allowed for this payment',
      );
    }
    return { kind: 'new', payment };
  }

  /** Seals and stores the card data, then queues the work. Nothing here calls the acquirer. */
  async admit(payment: IntakePayment, facts: AttemptFacts, card: SealedCard): Promise<CallbackAck> {
    const closed = CLOSED[payment.status];
    if (closed) return this.reject(payment, facts, closed.reasonCode, closed.message);
    const attempt = this.receivedAttempt(payment, facts);
    const created = await this.intake.recordReceived(
      attempt,
      sealCard(this.sealer, card, facts.id),
    );
    if (!created) return { status: 'duplicate', attemptId: facts.id };
    await this.jobs.authorizeWithWatchdog(
      facts.id,
      watchdogFireTime(attempt.deadlineAt, this.config.payments.patchDeadlineMs),
    );
    return { status: 'accepted', attemptId: facts.id };
  }

  /**
   * Card data that fails its checks: acked (so MobilePay stops retrying) and failed at once with a
   * reason code through the outbox. No card data is stored.
   */
  async reject(
    payment: IntakePayment,
    facts: AttemptFacts,
    reasonCode: number,
    message: string,
  ): Promise<CallbackAck> {
    const { created, outboxId } = await this.attempts.recordRejectedAtIntake(
      this.receivedAttempt(payment, facts),
      failurePatch(
        {
          id: facts.id,
          mobilePayPaymentId: payment.mobilePayPaymentId,
          acquirerMerchantId: payment.acquirerMerchantId,
        },
        this.router.vatNumberFor(facts, payment.acquirerRoutes),
        reasonCode,
        message,
      ),
    );
    if (!created) return { status: 'duplicate', attemptId: facts.id };
    await this.jobs.deliverReport(outboxId!);
    this.logger.warn(
      { attemptId: facts.id, reasonCode, reason: message },
      'attempt rejected at intake',
    );
    return { status: 'rejected', attemptId: facts.id };
  }

  private receivedAttempt(payment: IntakePayment, facts: AttemptFacts): ReceivedAttempt {
    const receivedAt = new Date();
    return {
      id: facts.id,
      paymentId: payment.id,
      cardType: facts.cardType,
      kind: facts.kind,
      maskedCardNumber: facts.maskedCardNumber,
      tokenMethod: facts.tokenMethod ?? null,
      cardIssuedInCountryCode: facts.cardIssuedInCountryCode ?? null,
      callbackReceivedAt: receivedAt,
      deadlineAt: new Date(receivedAt.getTime() + this.config.payments.patchDeadlineMs),
    };
  }
}
