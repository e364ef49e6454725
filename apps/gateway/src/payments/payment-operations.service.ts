import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  AcquirerRouter,
  runOperation,
  supportsOperation,
  type AcquirerAdapter,
  type AuthorizationOperationKind,
} from '@app/acquirers';
import { DomainError, ErrorCode, isCardType } from '@app/domain';
import {
  PaymentOperationRepository,
  PaymentRepository,
  type Merchant,
  type PaymentOperation,
} from '@app/persistence';
import { JobProducer } from '@app/queue';
import type { IdempotencyContext } from '../idempotency/idempotency.service';
import { type OperationView, toOperationView } from './payment.view';

export type OperationKind = PaymentOperation['kind'];

const ADAPTER_METHOD: Record<OperationKind, AuthorizationOperationKind> = {
  CAPTURE: 'captureAuthorization',
  CANCEL: 'cancelAuthorization',
  REFUND: 'refundAuthorization',
};

/**
 * Capture, cancel and refund: the amount is reserved on the payment, the acquirer acts, and only
 * then is the report to MobilePay written to the outbox (with the operation's result, in one
 * transaction). A declined operation releases its reservation; one with an unknown outcome stays
 * pending (reserved) until a retry with the same Idempotency-Key or the worker's janitor settles it.
 */
@Injectable()
export class PaymentOperationsService {
  private readonly logger = new Logger(PaymentOperationsService.name);

  constructor(
    private readonly payments: PaymentRepository,
    private readonly operations: PaymentOperationRepository,
    private readonly router: AcquirerRouter,
    private readonly jobs: JobProducer,
  ) {}

  async perform(
    merchant: Merchant,
    paymentId: string,
    kind: OperationKind,
    amount: number | undefined,
    idempotency?: IdempotencyContext,
  ): Promise<OperationView> {
    const payment = await this.payments.findForMerchant(merchant.id, paymentId);
    if (!payment) throw new DomainError(ErrorCode.NotFound, 'payment not found');
    if (idempotency?.resourceId) {
      const earlier = await this.operations.findForMerchant(merchant.id, idempotency.resourceId);
      if (earlier) return this.settle(earlier, payment.currency, false);
    }
    const attempt = await this.payments.findSucceededAttempt(payment.id);
    if (payment.status !== 'AUTHORIZED' || !attempt || !attempt.acquirer) {
      throw invalidState(payment.status);
    }
    const adapter = this.adapterFor(attempt.acquirer, attempt.cardType);
    if (!adapter || !supportsOperation(adapter, ADAPTER_METHOD[kind])) {
      throw new DomainError(
        ErrorCode.OperationNotSupported,
        `the acquirer of this payment cannot ${kind.toLowerCase()}`,
      );
    }
    const reserved = await this.operations.reserve(
      {
        id: randomUUID(),
        merchantId: merchant.id,
        paymentId: payment.id,
        kind,
        amount: amount === undefined ? undefined : BigInt(amount),
        acquirer: adapter.name,
        // An acquirer that knows authorizations only by its own id is addressed by that id.
        authorizationReference: adapter.addressedByAcquirerId
          ? (attempt.acquirerReference ?? attempt.id)
          : (attempt.authorizationReference ?? attempt.id),
      },
      idempotency?.recordId,
    );
    switch (reserved.kind) {
      case 'not-found':
        throw new DomainError(ErrorCode.NotFound, 'payment not found');
      case 'invalid-state':
        throw invalidState(reserved.status);
      case 'exceeds':
        throw new DomainError(
          ErrorCode.AmountExceedsAvailable,
          `${kind.toLowerCase()} exceeds what is available: ${reserved.available} left`,
          { available: Number(reserved.available) },
        );
      case 'reserved':
        return this.settle(reserved.operation, payment.currency, true);
    }
  }

  /**
   * Asks the acquirer (again: the operation id is its idempotency reference) and settles. An
   * acquirer without idempotency is asked once only (`firstSend`): a repeat could act twice.
   */
  private async settle(
    operation: PaymentOperation,
    currency: string,
    firstSend: boolean,
  ): Promise<OperationView> {
    if (operation.status === 'FAILED') throw declined(operation.failureReason);
    if (operation.status === 'SUCCEEDED') return toOperationView(operation);
    const adapter = this.router.byName(operation.acquirer);
    if (!adapter) {
      throw new DomainError(ErrorCode.AcquirerUnavailable, 'acquirer is not configured');
    }
    if (!firstSend && adapter.addressedByAcquirerId) {
      throw new DomainError(
        ErrorCode.AcquirerUnavailable,
        'the acquirer did not answer and cannot be asked again safely; the operation stays pending for reconciliation',
        { operationId: operation.id },
      );
    }
    const result = await runOperation(adapter, ADAPTER_METHOD[operation.kind], {
      authorizationReference: operation.authorizationReference,
      reference: operation.id,
      amount: operation.amount,
      currency,
    });
    switch (result.kind) {
      case 'approved': {
        const outboxId = await this.operations.succeed(operation.id, result.acquirerReference);
        // A lost enqueue is found by the janitor: the report is in the outbox already.
        if (outboxId) await this.jobs.deliverReport(outboxId).catch(() => undefined);
        this.logger.log(
          { operationId: operation.id, kind: operation.kind, amount: Number(operation.amount) },
          'payment operation succeeded',
        );
        return this.current(operation);
      }
      case 'declined':
        await this.operations.fail(operation.id, result.reason);
        throw declined(result.reason);
      case 'not-sent':
      case 'unknown':
        this.logger.warn(
          { operationId: operation.id, outcome: result.kind, error: result.error },
          'acquirer outcome unknown; operation stays pending',
        );
        throw new DomainError(
          ErrorCode.AcquirerUnavailable,
          'the acquirer did not answer; the operation is pending — retry with the same Idempotency-Key',
          { operationId: operation.id },
        );
    }
  }

  private async current(operation: PaymentOperation): Promise<OperationView> {
    return toOperationView((await this.operations.findById(operation.id)) ?? operation);
  }

  private adapterFor(name: string, cardType: string): AcquirerAdapter | undefined {
    return (
      this.router.byName(name) ?? (isCardType(cardType) ? this.router.route(cardType) : undefined)
    );
  }
}

function invalidState(status: string): DomainError {
  return new DomainError(
    ErrorCode.InvalidPaymentState,
    `payment is ${status.toLowerCase()}; only an authorized payment can be captured, cancelled or refunded`,
    { status },
  );
}

function declined(reason: string | null): DomainError {
  return new DomainError(ErrorCode.AcquirerDeclined, 'the acquirer declined the operation', {
    reason: reason ?? 'declined',
  });
}
