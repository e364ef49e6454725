import { Inject, Injectable } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { badRequest } from '../common/sandbox-error';
import { SchedulerService } from '../common/scheduler.service';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { conflict, MobilePayCode } from './mobilepay-codes';
import type { UpdateAuthorizationAttemptRequest } from './online-api.types';
import { OpenApiValidatorService } from './openapi/openapi-validator.service';
import {
  type Attempt,
  type AttemptState,
  OPEN_ATTEMPT_STATES,
  type Payment,
} from './payment.model';
import { PaymentLifecycleService } from './payment-lifecycle.service';
import { PaymentsStore } from './payments.store';

const THREE_DS_STEP_UP = 1008;
const THREE_DS_RETRYING = 1009;
/** Attempts the PSP never received (or never acked) a card/token callback for. */
const NO_CARD_CALLBACK: readonly AttemptState[] = ['callback-failed', 'checkout', 'abandoned'];

/** The PATCH state machine of one authorization attempt, and its deadline. */
@Injectable()
export class AuthorizationAttemptsService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PaymentsStore,
    private readonly validator: OpenApiValidatorService,
    private readonly scheduler: SchedulerService,
    private readonly lifecycle: PaymentLifecycleService,
  ) {}

  patch(payment: Payment, attemptId: string, body: unknown): void {
    const request = this.validator.assert<UpdateAuthorizationAttemptRequest>(
      'UpdateAuthorizationAttemptRequest',
      body,
    );
    assertReasons(request);
    const attempt = this.store.getAttempt(attemptId);
    if (!attempt || attempt.paymentId !== payment.paymentId)
      throw conflict(MobilePayCode.AttemptNotFound);
    const record = (status: number, late = false): void => {
      attempt.patches.push({ at: new Date().toISOString(), body: request, status, late });
    };

    if (attempt.final && attempt.state !== 'deadline-missed') {
      // A retried PATCH must not fail the PSP; a contradicting one must.
      const same =
        attempt.final.succeeded === request.succeeded &&
        attempt.final.reasonCode === (request.succeeded ? null : (request.reasonCode ?? null));
      record(same ? 204 : 409);
      if (!same) throw conflict(MobilePayCode.AttemptAlreadyFinal);
      return;
    }
    if (
      attempt.state === 'deadline-missed' ||
      (attempt.deadlineAt !== null && Date.now() > attempt.deadlineAt)
    ) {
      attempt.late = true;
      record(409, true);
      this.missDeadline(attempt);
      throw conflict(MobilePayCode.AttemptDeadlinePassed);
    }
    if (NO_CARD_CALLBACK.includes(attempt.state)) {
      record(409);
      throw conflict(MobilePayCode.AttemptClosed);
    }
    record(204);
    this.apply(payment, attempt, request);
  }

  /** Starts the PATCH deadline once the card-data callback was acked. */
  startDeadline(attempt: Attempt): void {
    this.setDeadline(attempt, this.config.payments.patchDeadlineMs);
  }

  private apply(
    payment: Payment,
    attempt: Attempt,
    request: UpdateAuthorizationAttemptRequest,
  ): void {
    if (request.succeeded) {
      attempt.state = 'succeeded';
      attempt.final = { succeeded: true, reasonCode: null };
      payment.status = 'AUTHORIZED';
      payment.authorizedAmount = payment.amount;
      this.lifecycle.cancelExpiry(payment);
      this.scheduler.cancel(deadlineKey(attempt));
      return;
    }
    const reasonCode = request.reasonCode ?? null;
    if (reasonCode === THREE_DS_STEP_UP || reasonCode === THREE_DS_RETRYING) {
      attempt.state = 'three-ds';
      const url = request.threeDSecureUrl ?? '';
      // A new challenge URL means a fresh web view; a retried PATCH keeps the current one.
      if (reasonCode === THREE_DS_STEP_UP && attempt.threeDs?.url !== url) {
        attempt.threeDs = { url, opened: false, landedOnDone3ds: false };
      }
      // The shopper is in a challenge: the short PATCH deadline restarts once the PSP retries.
      const { threeDsWindowMs, patchDeadlineMs } = this.config.payments;
      this.setDeadline(
        attempt,
        reasonCode === THREE_DS_STEP_UP ? threeDsWindowMs : patchDeadlineMs,
      );
      return;
    }
    attempt.state = 'failed';
    attempt.final = { succeeded: false, reasonCode };
    this.scheduler.cancel(deadlineKey(attempt));
  }

  private setDeadline(attempt: Attempt, ms: number): void {
    attempt.deadlineAt = Date.now() + ms;
    this.scheduler.schedule(deadlineKey(attempt), ms, () => this.missDeadline(attempt));
  }

  private missDeadline(attempt: Attempt): void {
    if (!OPEN_ATTEMPT_STATES.includes(attempt.state)) return;
    attempt.state = 'deadline-missed';
    attempt.final = { succeeded: false, reasonCode: null, reason: 'deadline missed' };
    this.scheduler.cancel(deadlineKey(attempt));
  }
}

function assertReasons(request: UpdateAuthorizationAttemptRequest): void {
  if (request.succeeded) return;
  if (request.reasonCode === undefined || !request.reasonMessage) {
    throw badRequest('reasonCode and reasonMessage are required when succeeded is false');
  }
  if (request.reasonCode === THREE_DS_STEP_UP && !request.threeDSecureUrl) {
    throw badRequest('threeDSecureUrl is required with reasonCode 1008');
  }
  // "Must be given for all reason codes in the 1000 range" (UpdateAuthorizationAttemptRequest).
  const acquirerFields = [
    'acquirerVatNumber',
    'acquirerMerchantId',
    'acquirerPaymentReference',
  ] as const;
  if (request.reasonCode >= 1000 && request.reasonCode < 2000) {
    const missing = acquirerFields.filter((field) => !request[field]);
    if (missing.length > 0) {
      throw badRequest(`${missing.join(', ')} required with reasonCode ${request.reasonCode}`);
    }
  }
}

function deadlineKey(attempt: Attempt): string {
  return `deadline:${attempt.authorizationAttemptId}`;
}
