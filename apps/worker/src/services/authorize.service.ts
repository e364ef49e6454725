import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AcquirerRouter,
  type AcquirerAdapter,
  type AcquirerRoutes,
  type AuthorizationResult,
  type InquiryResult,
} from '@app/acquirers';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CardDataSealer, LinkSigner, unsealCard } from '@app/crypto';
import {
  ReasonCode,
  directSendBackstopAt,
  inquiryBudgetMs,
  isCardType,
  watchdogFireTime,
  watchdogIsEarly,
  type AttemptStatus,
} from '@app/domain';
import {
  AttemptRepository,
  ThreeDsRepository,
  type AttemptPatch,
  type AttemptWithPayment,
} from '@app/persistence';
import { JobProducer } from '@app/queue';
import { AttemptPatchService } from './attempt-patch.service';
import { decide, refused, threeDsRequired, timedOut } from './patch-body';
import { RetryLaterError } from './retry-later.error';

type Decided = Extract<AuthorizationResult, { kind: 'approved' | 'declined' | 'soft-declined' }>;

/** The delivery job behind a direct PATCH waits this much beyond the send's retry budget. */
const DIRECT_SEND_MARGIN_MS = 2_000;
const CLOSED_PAYMENT = new Set(['EXPIRED', 'INVALIDATED', 'CANCELLED', 'FAILED']);
const OPEN_ATTEMPT = new Set<AttemptStatus>([
  'RECEIVED',
  'AUTHORIZING',
  'THREE_DS_PENDING',
  'THREE_DS_AUTHENTICATED',
]);

/**
 * Moves money at most once per attempt and per payment: the claim is atomic and checks the
 * payment's other attempts under a row lock, the acquirer request carries a deterministic
 * idempotency reference, and a re-run after a crash asks the acquirer (inquiry) before it would
 * ever send a second authorization. An approval that arrives too late is reversed.
 */
@Injectable()
export class AuthorizeService {
  private readonly logger = new Logger(AuthorizeService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly attempts: AttemptRepository,
    private readonly threeDs: ThreeDsRepository,
    private readonly router: AcquirerRouter,
    private readonly sealer: CardDataSealer,
    private readonly links: LinkSigner,
    private readonly jobs: JobProducer,
    private readonly patches: AttemptPatchService,
  ) {}

  async authorize(attemptId: string): Promise<void> {
    const attempt = await this.attempts.findWithPayment(attemptId);
    if (!attempt) return;
    switch (attempt.status) {
      case 'RECEIVED':
      case 'THREE_DS_AUTHENTICATED':
        if (CLOSED_PAYMENT.has(attempt.payment.status)) return this.refuseClosed(attempt);
        return this.claimAndRun(attempt);
      case 'AUTHORIZING':
        return this.run(attempt, true);
      case 'THREE_DS_PENDING':
      case 'AUTHORIZED':
      case 'DECLINED':
      case 'SUCCEEDED':
      case 'FAILED':
        return;
    }
  }

  /**
   * Called shortly before MobilePay's deadline: whatever is still open gets a failure PATCH now.
   * The attempt's stored deadline decides, not when the watchdog was scheduled: one scheduled at
   * intake that finds the attempt in a 3-D Secure challenge (or re-authorizing after it) is early,
   * and only makes sure a watchdog for the current deadline exists.
   */
  async enforceDeadline(attemptId: string): Promise<void> {
    const attempt = await this.attempts.findWithPayment(attemptId);
    if (!attempt) return;
    const { patchDeadlineMs } = this.config.payments;
    if (OPEN_ATTEMPT.has(attempt.status) && watchdogIsEarly(attempt.deadlineAt, patchDeadlineMs)) {
      await this.jobs.deadlineWatchdog(
        attempt.id,
        watchdogFireTime(attempt.deadlineAt, patchDeadlineMs),
      );
      return;
    }
    const acquirer = this.acquirerFor(attempt);
    switch (attempt.status) {
      case 'RECEIVED':
      case 'THREE_DS_AUTHENTICATED':
        return this.failOpen(
          attempt,
          timedOut(attempt, acquirer, 'authorization not completed before the deadline').patch,
          [attempt.status],
        );
      case 'THREE_DS_PENDING':
        // The shopper never finished the challenge: the app is told to let them try another card.
        return this.failOpen(
          attempt,
          refused(
            attempt,
            acquirer,
            ReasonCode.Rejected,
            '3-D Secure challenge not completed in time',
          ).patch,
          ['THREE_DS_PENDING'],
        );
      case 'AUTHORIZING':
        return this.resolveInFlight(attempt, acquirer);
      case 'AUTHORIZED':
      case 'DECLINED':
      case 'SUCCEEDED':
      case 'FAILED':
        return;
    }
  }

  /** Voids an authorization that must not stand (late approval, PATCH refused by MobilePay). */
  async reverse(attemptId: string): Promise<void> {
    const attempt = await this.attempts.findWithPayment(attemptId);
    if (!attempt?.reversalRequiredAt || attempt.reversedAt) return;
    const acquirer =
      (attempt.acquirer && this.router.byName(attempt.acquirer)) || this.acquirerFor(attempt);
    if (acquirer.addressedByAcquirerId) return this.reverseById(attempt, acquirer);
    // The last request sent is the one that may still be on its way.
    const latest = await this.latestReference(attempt.id);
    let latestFound = false;
    for (const reference of new Set([latest, attempt.id])) {
      const result = await acquirer.reverse(reference);
      if (result.kind === 'failed') throw new RetryLaterError(result.error);
      if (reference === latest) latestFound = result.kind === 'reversed';
    }
    const lateArrivalUntil =
      attempt.reversalRequiredAt.getTime() + this.config.acquirer.lateArrivalWindowMs;
    if (!latestFound && Date.now() < lateArrivalUntil) {
      // A request we gave up on may still land: look again until it no longer can.
      throw new RetryLaterError('nothing to reverse yet; an abandoned request may still land');
    }
    if (!(await this.attempts.markReversed(attempt.id, attempt.reversalRequiredAt))) {
      throw new RetryLaterError('a newer reversal requirement came in while reversing');
    }
    this.logger.warn({ attemptId }, 'authorization reversed');
  }

  /**
   * An acquirer that knows authorizations only by its own id: the one recorded is voided; without
   * one nothing can be found there, and the attempt goes to reconciliation instead.
   */
  private async reverseById(attempt: AttemptWithPayment, acquirer: AcquirerAdapter): Promise<void> {
    const requiredAt = attempt.reversalRequiredAt!;
    if (attempt.acquirerReference) {
      const result = await acquirer.reverse(attempt.acquirerReference);
      if (result.kind === 'failed') throw new RetryLaterError(result.error);
    } else {
      await this.attempts.requireReconciliation(
        attempt.id,
        `${acquirer.name}: a reversal is required but no authorization id is known`,
      );
    }
    if (!(await this.attempts.markReversed(attempt.id, requiredAt))) {
      throw new RetryLaterError('a newer reversal requirement came in while reversing');
    }
    this.logger.warn({ attemptId: attempt.id }, 'authorization reversed');
  }

  private async claimAndRun(attempt: AttemptWithPayment): Promise<void> {
    const claim = await this.attempts.claimForAuthorization(attempt.id);
    switch (claim) {
      case 'claimed':
        return this.run(attempt, false);
      case 'sibling-in-flight':
        throw new RetryLaterError('another attempt of this payment is being authorized');
      case 'sibling-authorized': {
        const { patch } = refused(
          attempt,
          this.acquirerFor(attempt),
          ReasonCode.PermanentError,
          'payment is already authorized',
        );
        return this.failOpen(attempt, patch, ['RECEIVED', 'THREE_DS_AUTHENTICATED']);
      }
      case 'not-claimable':
        return;
    }
  }

  private async run(attempt: AttemptWithPayment, afterCrash: boolean): Promise<void> {
    const acquirer = this.acquirerFor(attempt);
    const sealed = await this.attempts.findSealed(attempt.id);
    if (!sealed)
      throw new RetryLaterError(
        'sealed card data is gone; leaving the attempt to the deadline watchdog',
      );
    const { threeDS, ...card } = unsealCard(this.sealer, sealed, attempt.id);
    const reference = threeDS ? threeDsReference(attempt.id) : attempt.id;
    if (afterCrash) {
      const inquiry = await acquirer.inquire(reference, expectedOf(attempt));
      if (inquiry.kind === 'unknown') throw new RetryLaterError(inquiry.error);
      if (inquiry.kind === 'unresolvable')
        return this.failUnresolvable(attempt, acquirer, inquiry.error);
      if (inquiry.kind !== 'not-found' && inquiry.kind !== 'not-sent')
        return this.record(attempt, acquirer, inquiry, { reference, mayChallenge: !threeDS });
    }
    const result = await acquirer.authorize({
      reference,
      acquirerMerchantId: attempt.payment.merchant.acquirerMerchantId,
      amount: attempt.payment.amount,
      currency: attempt.payment.currency,
      cardType: attempt.cardType as Parameters<AcquirerRouter['route']>[0],
      card,
      textOnStatement: attempt.payment.merchant.displayName,
      ...(threeDS ? { threeDS } : {}),
    });
    if (result.kind === 'not-sent' || result.kind === 'unknown') {
      throw new RetryLaterError(`${result.kind}: ${result.error}`);
    }
    return this.record(attempt, acquirer, result, { reference, mayChallenge: !threeDS });
  }

  private async record(
    attempt: AttemptWithPayment,
    acquirer: AcquirerAdapter,
    result: Decided,
    /** `reference`: what the acquirer knows this authorization by; a soft decline after 3DS is final. */
    { reference, mayChallenge }: { reference: string; mayChallenge: boolean },
  ): Promise<void> {
    if (result.kind === 'soft-declined' && mayChallenge)
      return this.startChallenge(attempt, acquirer);
    const { outcome, patch } = decide(attempt, acquirer, result, reference);
    const outboxId = await this.attempts.recordAcquirerOutcome(attempt, outcome, patch);
    if (outboxId) {
      this.logger.log(
        { attemptId: attempt.id, outcome: outcome.status },
        'acquirer outcome recorded',
      );
      await this.patchNow(attempt, outboxId, patch);
    } else if (result.kind === 'approved') {
      // The attempt was closed meanwhile (deadline, invalidation): this approval must not stand.
      await this.attempts.requireReversal(attempt.id, result.acquirerReference);
      await this.jobs.reverseAuthorization(attempt.id);
      this.logger.warn({ attemptId: attempt.id }, 'late approval; reversing');
    }
  }

  private async startChallenge(
    attempt: AttemptWithPayment,
    acquirer: AcquirerAdapter,
  ): Promise<void> {
    const url = `${this.config.publicBaseUrl}/3ds/${attempt.id}?token=${this.links.sign('3ds', attempt.id)}`;
    const patch = threeDsRequired(attempt, acquirer, url);
    const deadlineAt = new Date(Date.now() + this.config.threeDs.windowMs);
    const outboxId = await this.threeDs.requireChallenge(attempt, patch, deadlineAt);
    if (!outboxId) return;
    await this.jobs.deliverReport(outboxId);
    // Fires before the window ends, with time for the PATCH 1000 (the same job the janitor keeps).
    await this.jobs.deadlineWatchdog(
      attempt.id,
      watchdogFireTime(deadlineAt, this.config.payments.patchDeadlineMs),
    );
  }

  /**
   * The PATCH is committed to the outbox already; sending it right here saves a queue hop on the
   * path the shopper waits for. Its delivery job is queued first, due only after this send's
   * whole retry budget: the janitor then sees live work and leaves it alone (no second, parallel
   * delivery), and a crash mid-send is still covered. If MobilePay does not take the PATCH now,
   * that job is moved to the later delivery time — never run at once. The job is never due after
   * the attempt's deadline while the deadline can still be met (see directSendBackstopAt): a
   * worker killed mid-send must not leave the final PATCH to a job that comes too late.
   */
  private async patchNow(
    attempt: AttemptWithPayment,
    outboxId: string,
    patch: AttemptPatch,
  ): Promise<void> {
    const afterBudget = new Date(Date.now() + this.patches.budgetMs + DIRECT_SEND_MARGIN_MS);
    const backstop = directSendBackstopAt(
      attempt.deadlineAt,
      this.config.payments.patchDeadlineMs,
      {
        afterBudget,
        tryTimeoutMs: this.config.mobilePay.timeoutMs,
      },
    );
    await this.jobs.deliverReportAt(outboxId, backstop);
    let next: Date | undefined;
    try {
      next = await this.patches.deliver(outboxId, patch);
    } catch {
      next = new Date();
    }
    if (next) await this.jobs.deliverReportAt(outboxId, next);
  }

  /** AUTHORIZING at the deadline: ask the acquirer; without an answer, fail in time and void later. */
  private async resolveInFlight(
    attempt: AttemptWithPayment,
    acquirer: AcquirerAdapter,
  ): Promise<void> {
    const reference = await this.latestReference(attempt.id);
    // The PATCH must still reach MobilePay in time: the inquiry gets what is left before that.
    const budgetMs = inquiryBudgetMs(attempt.deadlineAt, this.config.payments.patchDeadlineMs);
    const inquiry: InquiryResult =
      budgetMs > 0
        ? await acquirer.inquire(reference, expectedOf(attempt), { timeoutMs: budgetMs })
        : { kind: 'unknown', error: 'no time left to ask the acquirer' };
    if (inquiry.kind === 'unresolvable')
      return this.failUnresolvable(attempt, acquirer, inquiry.error);
    if (
      inquiry.kind === 'approved' ||
      inquiry.kind === 'declined' ||
      inquiry.kind === 'soft-declined'
    ) {
      return this.record(
        attempt,
        acquirer,
        inquiry.kind === 'soft-declined'
          ? {
              kind: 'declined',
              reason: 'SOFT_BLOCKED',
              acquirerReference: inquiry.acquirerReference,
            }
          : inquiry,
        { reference, mayChallenge: false },
      );
    }
    this.logger.warn(
      { attemptId: attempt.id, inquiry: inquiry.kind },
      'deadline reached with no acquirer answer',
    );
    const { outcome, patch } = timedOut(attempt, acquirer, 'acquirer did not answer in time');
    const outboxId = await this.attempts.recordAcquirerOutcome(attempt, outcome, patch);
    if (!outboxId) return;
    // The request may still land at the acquirer: void whatever it may have authorized.
    await this.attempts.requireReversal(attempt.id);
    await this.patchNow(attempt, outboxId, patch);
    await this.jobs.reverseAuthorization(attempt.id);
  }

  /**
   * The acquirer cannot be asked what became of the request (no lookup by our reference): asking
   * again cannot help, and sending it again could charge twice. The attempt fails now, in time,
   * and is flagged so an operator settles it at the acquirer (a late approval seen by the adapter
   * is voided there).
   */
  private async failUnresolvable(
    attempt: AttemptWithPayment,
    acquirer: AcquirerAdapter,
    error: string,
  ): Promise<void> {
    const { outcome, patch } = timedOut(attempt, acquirer, 'acquirer outcome unknown');
    const outboxId = await this.attempts.recordAcquirerOutcome(attempt, outcome, patch);
    if (!outboxId) return;
    await this.attempts.requireReconciliation(attempt.id, `${acquirer.name}: ${error}`);
    this.logger.warn(
      { attemptId: attempt.id, acquirer: acquirer.name, error },
      'acquirer outcome unknowable; attempt failed and flagged for reconciliation',
    );
    await this.patchNow(attempt, outboxId, patch);
  }

  /** The payment expired or was invalidated after the ack: no money may move for it any more. */
  private async refuseClosed(attempt: AttemptWithPayment): Promise<void> {
    const invalidated = attempt.payment.status === 'INVALIDATED';
    const { patch } = refused(
      attempt,
      this.acquirerFor(attempt),
      invalidated ? ReasonCode.RejectedForInvalidation : ReasonCode.PermanentError,
      `payment is ${attempt.payment.status.toLowerCase()}`,
    );
    return this.failOpen(attempt, patch, ['RECEIVED', 'THREE_DS_AUTHENTICATED']);
  }

  private async failOpen(
    attempt: AttemptWithPayment,
    patch: Parameters<AttemptRepository['failUnstarted']>[1],
    from: Parameters<AttemptRepository['failUnstarted']>[2],
  ): Promise<void> {
    const outboxId = await this.attempts.failUnstarted(attempt, patch, from);
    if (outboxId) await this.jobs.deliverReport(outboxId);
  }

  /** The reference of the last authorization request: after 3DS, the re-authorization's. */
  private async latestReference(attemptId: string): Promise<string> {
    return (await this.attempts.passedThreeDs(attemptId)) ? threeDsReference(attemptId) : attemptId;
  }

  private acquirerFor(attempt: AttemptWithPayment): AcquirerAdapter {
    if (!isCardType(attempt.cardType)) throw new Error(`unknown card type ${attempt.cardType}`);
    return this.router.route(
      attempt.cardType,
      attempt.payment.merchant.acquirerRoutes as AcquirerRoutes | null,
      attempt.kind === 'NETWORK_TOKEN' ? attempt.cardIssuedInCountryCode : null,
    );
  }
}

/** The re-authorization after 3-D Secure is a new request at the acquirer, with its own reference. */
export function threeDsReference(attemptId: string): string {
  return `${attemptId}.3ds`;
}

function expectedOf(attempt: AttemptWithPayment) {
  return { amount: attempt.payment.amount, currency: attempt.payment.currency };
}
