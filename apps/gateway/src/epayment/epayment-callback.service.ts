import { Inject, Injectable, Logger } from '@nestjs/common';
import { AcquirerRouter, type AcquirerRoutes } from '@app/acquirers';
import { APP_CONFIG, type AppConfig, type EpaymentConfig } from '@app/config';
import { CardDataSealer, LinkSigner, sealCard, unsealCard, type SealedCard } from '@app/crypto';
import { DomainError, ErrorCode, ReasonCode, notExpired, watchdogFireTime } from '@app/domain';
import type { CardCallback } from '@app/epayment';
import {
  AttemptRepository,
  EpaymentRepository,
  failurePatch,
  type EpaymentCallbackPayment,
} from '@app/persistence';
import { AttemptOutcomeNotifier, JobProducer } from '@app/queue';
import { answerFor } from './epayment-answer';
import { attemptIdFor } from './epayment-attempt-id';

export type CallbackReply = { status: number; body: unknown };

/** How often a waiting callback looks at Postgres even without a notification. */
const POLL_MS = 250;

const CLOSED = new Set(['AUTHORIZED', 'EXPIRED', 'CANCELLED', 'FAILED', 'INVALIDATED']);

/**
 * The synchronous card callback. The card is sealed and stored and the authorization runs in the
 * worker, exactly as for MobilePay Online; this request stays open until the attempt has an
 * outcome, within the configured budget (under Vipps MobilePay's 20 s), and answers RESERVE, FAIL
 * or SOFT_DECLINE. When the budget runs out first, the attempt is failed on the spot and an
 * approval that arrives later is reversed by the worker's late-arrival logic. A repeated callback
 * for the same attempt waits for, and gets, the same answer; the second callback after 3-D Secure
 * brings a fresh cryptogram and triggers the re-authorization.
 */
@Injectable()
export class EpaymentCallbackService {
  private readonly logger = new Logger(EpaymentCallbackService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly payments: EpaymentRepository,
    private readonly attempts: AttemptRepository,
    private readonly sealer: CardDataSealer,
    private readonly links: LinkSigner,
    private readonly jobs: JobProducer,
    private readonly outcomes: AttemptOutcomeNotifier,
    private readonly router: AcquirerRouter,
  ) {}

  private get epayment(): EpaymentConfig {
    if (!this.config.epayment)
      throw new DomainError(ErrorCode.NotFound, 'the ePayment channel is not configured');
    return this.config.epayment;
  }

  async accept(callback: CardCallback): Promise<CallbackReply> {
    const answerBy = Date.now() + this.epayment.callback.budgetMs;
    const payment = await this.payments.findPaymentByPspReference(callback.pspReference);
    if (!payment || payment.epaymentMsn !== callback.merchantSerialNumber)
      throw new DomainError(ErrorCode.UnknownPayment, 'payment is not known here');
    if (
      callback.amount &&
      (callback.amount.currency !== payment.currency ||
        BigInt(callback.amount.value) !== payment.amount)
    )
      throw new DomainError(ErrorCode.ValidationFailed, 'amount differs from the payment');
    const id = attemptIdFor(payment.id, callback.authorizationAttemptId);
    const existing = await this.payments.findAttempt(id);
    if (!existing) {
      const refused = await this.admit(payment, id, callback, answerBy);
      if (refused) return refused;
    } else if (existing.status === 'THREE_DS_AUTHENTICATED') {
      await this.resume(id, callback);
    }
    return this.awaitOutcome(id, payment.id, answerBy);
  }

  /** A new attempt: sealed, stored, queued. Returns an answer when it is refused at once. */
  private async admit(
    payment: EpaymentCallbackPayment,
    id: string,
    callback: CardCallback,
    answerBy: number,
  ): Promise<CallbackReply | undefined> {
    const fail = (errorCode: number, errorMessage: string) => ({
      status: 200,
      body: { status: 'FAIL', errorCode, errorMessage },
    });
    if (CLOSED.has(payment.status)) return fail(307, `payment is ${payment.status.toLowerCase()}`);
    if (!payment.allowedCardTypes.includes(callback.cardType))
      return fail(308, 'card type is not allowed for this payment');
    if (callback.card.kind === 'PAN')
      // Standalone Dankort: the encryptedPan format is not published (see the README).
      return fail(309, 'encrypted card numbers are not accepted yet');
    const card = toSealedToken(callback);
    if (!notExpired(card.expiryMonth, card.expiryYear)) return fail(302, 'Expired card');
    const receivedAt = new Date();
    const deadlineAt = new Date(answerBy);
    const created = await this.payments.recordReceived(
      {
        id,
        paymentId: payment.id,
        cardType: callback.cardType,
        kind: 'NETWORK_TOKEN',
        maskedCardNumber: masked(callback.maskedCardNumber),
        tokenMethod: card.tokenMethod,
        cardIssuedInCountryCode: callback.cardIssuedInCountryCode ?? null,
        callbackReceivedAt: receivedAt,
        deadlineAt,
        externalAttemptId: callback.authorizationAttemptId,
        softDeclineCompletedRedirectUrl: callback.softDeclineCompletedRedirectUrl ?? null,
      },
      sealCard(this.sealer, card, id),
    );
    if (created)
      await this.jobs.authorizeWithWatchdog(
        id,
        watchdogFireTime(deadlineAt, this.epayment.callback.budgetMs),
      );
    return undefined;
  }

  /** The second callback after a passed challenge: fresh cryptogram, same 3-D Secure result. */
  private async resume(id: string, callback: CardCallback): Promise<void> {
    const sealed = await this.attempts.findSealed(id);
    if (!sealed || callback.card.kind !== 'TOKEN') return;
    const { threeDS } = unsealCard(this.sealer, sealed, id);
    const fresh = { ...toSealedToken(callback), ...(threeDS ? { threeDS } : {}) };
    if (await this.payments.replaceSealed(id, sealCard(this.sealer, fresh, id)))
      await this.jobs.reauthorize(id);
  }

  private async awaitOutcome(
    id: string,
    paymentId: string,
    answerBy: number,
  ): Promise<CallbackReply> {
    for (;;) {
      const attempt = await this.payments.findAttempt(id);
      if (!attempt) throw new DomainError(ErrorCode.UnknownPayment, 'attempt is not known here');
      const answer = answerFor(attempt, () => this.softDeclineUrl(id));
      if (answer.kind === 'answer') return { status: 200, body: answer.body };
      if (answer.kind === 'timed-out') return this.timedOut();
      const left = answerBy - Date.now();
      if (left <= 0) {
        await this.closeAtBudget(id, paymentId);
        continue;
      }
      await this.outcomes.wake(id, Math.min(POLL_MS, left));
    }
  }

  private async closeAtBudget(id: string, paymentId: string): Promise<void> {
    const attempt = await this.attempts.findWithPayment(id);
    if (!attempt) return;
    const patch = failurePatch(
      {
        id,
        mobilePayPaymentId: null,
        acquirerMerchantId: attempt.payment.merchant.acquirerMerchantId,
      },
      this.router.vatNumberFor(
        attempt,
        attempt.payment.merchant.acquirerRoutes as AcquirerRoutes | null,
      ),
      ReasonCode.Timeout,
      'no authorization outcome within the answer budget',
    );
    const closed = await this.payments.closeAtBudget({ id, paymentId }, patch);
    if (!closed) return;
    this.logger.warn(
      { attemptId: id, reversal: closed.reversal },
      'card callback budget exhausted',
    );
    await this.jobs.deliverReport(closed.outboxId);
    if (closed.reversal) await this.jobs.reverseAuthorization(id);
  }

  private timedOut(): CallbackReply {
    const { budgetExhaustedAnswer, timeoutErrorCode } = this.epayment.callback;
    return budgetExhaustedAnswer === 'fail'
      ? {
          status: 200,
          body: {
            status: 'FAIL',
            errorCode: timeoutErrorCode,
            errorMessage: 'Authorization timed out',
          },
        }
      : {
          status: 500,
          body: { code: 'authorization_timed_out', message: 'no authorization outcome in time' },
        };
  }

  private softDeclineUrl(id: string): string {
    return `${this.config.publicBaseUrl}/3ds/${id}?token=${this.links.sign('3ds', id)}`;
  }
}

type SealedToken = Extract<SealedCard, { kind: 'network-token' }>;

function toSealedToken(callback: CardCallback): SealedToken {
  if (callback.card.kind !== 'TOKEN') throw new Error('not a token callback');
  const token = callback.card.networkToken;
  const year = Number(token.expiryYear);
  return {
    kind: 'network-token',
    // Visa tokens come from the Visa Token Service, Mastercard's from MDES (MobilePay's names).
    tokenMethod: callback.cardType.startsWith('MC') ? 'MC S4C' : 'VTS',
    token: token.number,
    expiryMonth: Number(token.expiryMonth),
    expiryYear: year < 100 ? 2000 + year : year,
    cryptogram: token.cryptogram,
    eci: token.eci,
  };
}

/** Vipps MobilePay masks as first 8 + last 4 ("47969485XXXX1234"); we keep first 6 + last 4. */
function masked(value: string | undefined): string | null {
  if (!value) return null;
  return `${value.slice(0, 6)}${'*'.repeat(Math.max(value.length - 10, 0))}${value.slice(-4)}`;
}
