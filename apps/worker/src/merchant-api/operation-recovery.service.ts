import { Injectable, Logger } from '@nestjs/common';
import { AcquirerRouter, runOperation, type AuthorizationOperationKind } from '@app/acquirers';
import { PaymentOperationRepository, type PaymentOperation } from '@app/persistence';
import { JobProducer } from '@app/queue';

const ADAPTER_METHOD: Record<PaymentOperation['kind'], AuthorizationOperationKind> = {
  CAPTURE: 'captureAuthorization',
  CANCEL: 'cancelAuthorization',
  REFUND: 'refundAuthorization',
};

/**
 * Settles captures, cancels and refunds whose acquirer answer never came (gateway crash, timeout):
 * the request is repeated with the same reference — the acquirer is idempotent on it, so this can
 * never act twice — and the answer settles the operation as the gateway would have. Acquirers
 * without idempotency (`addressedByAcquirerId`) are never asked twice.
 */
@Injectable()
export class OperationRecoveryService {
  private readonly logger = new Logger(OperationRecoveryService.name);

  constructor(
    private readonly operations: PaymentOperationRepository,
    private readonly router: AcquirerRouter,
    private readonly jobs: JobProducer,
  ) {}

  async recover(olderThan: Date, limit: number): Promise<number> {
    // No idempotency at these acquirers: repeating could act twice, so theirs are left pending
    // (amount still reserved) for an operator to settle at the acquirer.
    const notRepeatable = this.router
      .adapterNames()
      .filter((name) => this.router.byName(name)?.addressedByAcquirerId);
    const stale = await this.operations.findStalePending(olderThan, limit, notRepeatable);
    for (const operation of stale) {
      const adapter = this.router.byName(operation.acquirer);
      if (!adapter) continue;

      const result = await runOperation(adapter, ADAPTER_METHOD[operation.kind], {
        authorizationReference: operation.authorizationReference,
        reference: operation.id,
        amount: operation.amount,
        currency: operation.payment.currency,
      });
      switch (result.kind) {
        case 'approved': {
          const outboxId = await this.operations.succeed(operation.id, result.acquirerReference);
          if (outboxId) await this.jobs.deliverReport(outboxId);
          break;
        }
        case 'declined':
          await this.operations.fail(operation.id, result.reason);
          break;
        case 'not-sent':
        case 'unknown':
          // Still unknown: the next sweep asks again; the amount stays reserved meanwhile.
          break;
      }
      this.logger.warn(
        { operationId: operation.id, kind: operation.kind, outcome: result.kind },
        'pending payment operation re-checked at the acquirer',
      );
    }
    return stale.length;
  }
}
