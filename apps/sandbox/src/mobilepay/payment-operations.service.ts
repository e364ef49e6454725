import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { conflict, MobilePayCode } from './mobilepay-codes';
import type { OperationKind, OperationRequest } from './online-api.types';
import {
  type OnlineSchemaName,
  OpenApiValidatorService,
} from './openapi/openapi-validator.service';
import type { Payment } from './payment.model';

const SCHEMA: Record<OperationKind, OnlineSchemaName> = {
  capture: 'CreateCaptureRequest',
  cancel: 'CreateCancelRequest',
  refund: 'CreateRefundRequest',
};

/**
 * Captures, cancels and refunds the PSP reports after authorization. Idempotent per identifier;
 * the amount checks run synchronously with the update, so concurrent reports cannot overdraw.
 */
@Injectable()
export class PaymentOperationsService {
  constructor(private readonly validator: OpenApiValidatorService) {}

  report(payment: Payment, kind: OperationKind, body: unknown): { id: string } {
    const raw = this.validator.assert<Record<string, unknown>>(SCHEMA[kind], body);
    const request: OperationRequest = {
      identifier: raw[`${kind}Identifier`] as string,
      amount: raw.amount as number,
      timestamp: raw.timestamp as string,
    };
    const operations = payment.operations[kind];
    const existing = operations.get(request.identifier);
    if (existing) {
      if (existing.amount !== request.amount) throw conflict(MobilePayCode.IdentifierReused);
      return { id: existing.id };
    }
    if (payment.status !== 'AUTHORIZED') throw conflict(MobilePayCode.PaymentNotAuthorized);
    assertWithinLimits(payment, kind, request.amount);
    const operation = { ...request, id: randomUUID(), at: new Date().toISOString() };
    operations.set(request.identifier, operation);
    apply(payment, kind, request.amount);
    return { id: operation.id };
  }
}

function assertWithinLimits(payment: Payment, kind: OperationKind, amount: number): void {
  const uncaptured = payment.authorizedAmount - payment.capturedAmount - payment.cancelledAmount;
  switch (kind) {
    case 'capture':
      if (amount > uncaptured)
        throw conflict(MobilePayCode.CaptureExceedsAuthorized, `${uncaptured} left`);
      return;
    case 'cancel':
      if (amount > uncaptured)
        throw conflict(MobilePayCode.CancelExceedsRemaining, `${uncaptured} left`);
      return;
    case 'refund': {
      const refundable = payment.capturedAmount - payment.refundedAmount;
      if (amount > refundable)
        throw conflict(MobilePayCode.RefundExceedsCaptured, `${refundable} left`);
      return;
    }
  }
}

function apply(payment: Payment, kind: OperationKind, amount: number): void {
  switch (kind) {
    case 'capture':
      payment.capturedAmount += amount;
      return;
    case 'cancel':
      payment.cancelledAmount += amount;
      return;
    case 'refund':
      payment.refundedAmount += amount;
      return;
  }
}
