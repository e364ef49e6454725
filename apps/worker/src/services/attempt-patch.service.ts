import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ReasonCode } from '@app/domain';
import { MobilePayClient, MobilePayError } from '@app/mobilepay';
import { AttemptRepository, OutboxRepository, type AttemptPatch } from '@app/persistence';
import { AttemptOutcomeNotifier, JobProducer } from '@app/queue';
import { redeliveryAt } from './report-redelivery';

/**
 * Sends one PATCH of an authorization attempt to MobilePay (with the guide's retry budget inside
 * the client) and records what MobilePay said. A PATCH MobilePay refuses for good is not retried;
 * if it reported a success, the authorization behind it is reversed. When the budget runs out
 * without an answer, the time of the next delivery is returned (never an immediate job retry).
 */
@Injectable()
export class AttemptPatchService {
  private readonly logger = new Logger(AttemptPatchService.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly attempts: AttemptRepository,
    private readonly mobilePay: MobilePayClient,
    private readonly jobs: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outcomes: AttemptOutcomeNotifier,
  ) {}

  /** The longest one delivery can take: the client's whole retry budget. */
  get budgetMs(): number {
    return this.mobilePay.budgetMs;
  }

  /** Undefined when MobilePay answered (or the attempt is ePayment's); else when to deliver again. */
  async deliver(outboxId: string, patch: AttemptPatch): Promise<Date | undefined> {
    if (patch.mobilePayPaymentId === null) {
      await this.recordAnswered(outboxId, patch);
      return undefined;
    }
    try {
      await this.mobilePay.patchAuthorizationAttempt(
        patch.mobilePayPaymentId,
        patch.attemptId,
        patch.body,
        {
          correlationId: patch.attemptId,
        },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      if (!(error instanceof MobilePayError) || error.transient) {
        const { tries } = await this.outbox.recordFailure(outboxId, reason);
        const next = redeliveryAt(tries, new Date(), this.config.mobilePay);
        this.logger.warn(
          { attemptId: patch.attemptId, reason, failedDeliveries: tries, nextDeliveryAt: next },
          'PATCH not delivered; delivering again later',
        );
        return next;
      }
      await this.attempts.markPatchRefused(outboxId, patch, reason);
      this.logger.error({ attemptId: patch.attemptId, reason }, 'MobilePay refused the PATCH');
      if (patch.body.succeeded) await this.jobs.reverseAuthorization(patch.attemptId);
      await this.afterInterim(patch);
      return undefined;
    }
    await this.attempts.markPatched(outboxId, patch);
    await this.afterInterim(patch);
    this.logger.log(
      {
        attemptId: patch.attemptId,
        succeeded: patch.body.succeeded,
        reasonCode: patch.body.reasonCode,
      },
      'authorization attempt patched',
    );
    return undefined;
  }

  /**
   * ePayment: the outcome is the card callback's synchronous answer, which the gateway reads from
   * the attempt; here it is only recorded (final or interim, with the merchant's event) and the
   * waiting callback is woken. After 3-D Secure the re-authorization waits for the second
   * callback's fresh cryptogram instead of following 1009.
   */
  private async recordAnswered(outboxId: string, patch: AttemptPatch): Promise<void> {
    await this.attempts.markPatched(outboxId, patch);
    await this.outcomes.publish(patch.attemptId).catch((error: unknown) => {
      // The waiting callback also looks by itself a few times a second.
      this.logger.warn(
        { attemptId: patch.attemptId, error: String(error) },
        'outcome not announced',
      );
    });
  }

  /** After 1009 ("3DS done, retrying") the re-authorization follows; 1009 itself is optional. */
  private async afterInterim(patch: AttemptPatch): Promise<void> {
    if (patch.body.reasonCode === ReasonCode.ThreeDSecureCompleted)
      await this.jobs.reauthorize(patch.attemptId);
  }
}
