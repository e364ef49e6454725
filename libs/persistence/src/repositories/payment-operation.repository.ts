import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type {
  Payment,
  PaymentOperation,
  PaymentOperationKind,
  PaymentStatus,
  Prisma,
} from '../generated/prisma/client';
import { recordIdempotentResource } from './idempotency.repository';
import { appendEvent } from './payment-events';

type Tx = Prisma.TransactionClient;

export interface OperationReservation {
  id: string;
  merchantId: string;
  paymentId: string;
  kind: PaymentOperationKind;
  /** Undefined: all that is left (capture the rest, cancel the rest, refund all captured). */
  amount: bigint | undefined;
  acquirer: string;
  authorizationReference: string;
}

export type ReserveOutcome =
  | { kind: 'reserved'; operation: PaymentOperation; payment: Payment }
  | { kind: 'not-found' }
  | { kind: 'invalid-state'; status: PaymentStatus }
  | { kind: 'exceeds'; available: bigint };

/** The report MobilePay gets, kept in the outbox until it has accepted it. */
export interface OperationReport {
  /** Null on the ePayment channel: the report goes to the ePayment API (`epayment`) instead. */
  mobilePayPaymentId: string | null;
  epayment?: { msn: string; reference: string; currency: string };
  operationId: string;
  kind: 'capture' | 'cancel' | 'refund';
  body: {
    amount: number;
    timestamp: string;
    captureIdentifier?: string;
    cancelIdentifier?: string;
    refundIdentifier?: string;
    authorizationAttemptId?: string;
  };
}

interface LockedPayment {
  status: PaymentStatus;
  authorizedAmount: bigint;
  capturedAmount: bigint;
  pendingCaptureAmount: bigint;
  refundedAmount: bigint;
  cancelledAmount: bigint;
}

const OUTBOX_KIND = {
  CAPTURE: 'REPORT_CAPTURE',
  CANCEL: 'REPORT_CANCEL',
  REFUND: 'REPORT_REFUND',
} as const;

const EVENT_TYPE = {
  CAPTURE: 'payment.captured',
  CANCEL: 'payment.cancelled',
  REFUND: 'payment.refunded',
} as const;

/**
 * Captures, cancels and refunds. The amount is reserved on the payment under a row lock before the
 * acquirer is asked, and released if it declines, so concurrent operations can never together
 * exceed what was authorized (captures + cancels) or captured (refunds).
 */
@Injectable()
export class PaymentOperationRepository {
  constructor(private readonly prisma: PrismaService) {}

  async reserve(
    reservation: OperationReservation,
    idempotencyRecordId?: string,
  ): Promise<ReserveOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<LockedPayment[]>`
        SELECT status, "authorizedAmount", "capturedAmount", "pendingCaptureAmount",
               "refundedAmount", "cancelledAmount"
          FROM "Payment"
         WHERE id = ${reservation.paymentId}::uuid AND "merchantId" = ${reservation.merchantId}::uuid
           FOR UPDATE`;
      const locked = rows[0];
      if (!locked) return { kind: 'not-found' };
      if (locked.status !== 'AUTHORIZED') return { kind: 'invalid-state', status: locked.status };
      const available = availableFor(reservation.kind, locked);
      // A cancel always voids all that is left uncaptured.
      const amount = reservation.kind === 'CANCEL' ? available : (reservation.amount ?? available);
      if (available <= 0n || amount > available) return { kind: 'exceeds', available };

      const payment = await tx.payment.update({
        where: { id: reservation.paymentId },
        data: reserveData(reservation.kind, amount),
      });
      const operation = await tx.paymentOperation.create({
        data: {
          id: reservation.id,
          paymentId: reservation.paymentId,
          merchantId: reservation.merchantId,
          kind: reservation.kind,
          amount,
          acquirer: reservation.acquirer,
          authorizationReference: reservation.authorizationReference,
          identifier: reservation.id,
        },
      });
      await recordIdempotentResource(tx, idempotencyRecordId, operation.id);
      return { kind: 'reserved', operation, payment };
    });
  }

  /**
   * The acquirer did it: the operation succeeds, the MobilePay report goes into the outbox and the
   * merchant event is appended, atomically. Returns the outbox id (undefined when already settled).
   */
  async succeed(
    operationId: string,
    acquirerReference: string | null,
  ): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const now = new Date();
      const { count } = await tx.paymentOperation.updateMany({
        where: { id: operationId, status: 'PENDING' },
        data: { status: 'SUCCEEDED', acquirerReference, completedAt: now },
      });
      if (count === 0) return undefined;
      const operation = await tx.paymentOperation.findUniqueOrThrow({
        where: { id: operationId },
        include: { payment: true },
      });
      const payment = await this.settlePayment(tx, operation);
      const attempt = await tx.authorizationAttempt.findFirst({
        where: { paymentId: payment.id, status: 'SUCCEEDED' },
        select: { id: true },
      });
      const report = reportOf(operation, payment, now, attempt?.id ?? null);
      await appendEvent(tx, payment, EVENT_TYPE[operation.kind], `operation:${operation.id}`, {
        operationId: operation.id,
        amount: Number(operation.amount),
        currency: payment.currency,
        capturedAmount: Number(payment.capturedAmount),
        refundedAmount: Number(payment.refundedAmount),
        cancelledAmount: Number(payment.cancelledAmount),
      });
      return this.enqueueReport(tx, operation, report);
    });
  }

  /** The acquirer refused: the reserved amount is released. False when already settled. */
  async fail(operationId: string, reason: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.paymentOperation.updateMany({
        where: { id: operationId, status: 'PENDING' },
        data: { status: 'FAILED', failureReason: reason.slice(0, 500), completedAt: new Date() },
      });
      if (count === 0) return false;
      const operation = await tx.paymentOperation.findUniqueOrThrow({ where: { id: operationId } });
      await tx.payment.update({
        where: { id: operation.paymentId },
        data: releaseData(operation.kind, operation.amount),
      });
      return true;
    });
  }

  findForMerchant(merchantId: string, id: string): Promise<PaymentOperation | null> {
    return this.prisma.paymentOperation.findFirst({ where: { id, merchantId } });
  }

  findById(id: string): Promise<PaymentOperation | null> {
    return this.prisma.paymentOperation.findUnique({ where: { id } });
  }

  /** Operations whose acquirer answer never came back (crash, timeout): for the janitor. */
  /** `exceptAcquirers`: acquirers whose operations are never repeated (left for reconciliation). */
  findStalePending(
    olderThan: Date,
    limit: number,
    exceptAcquirers: readonly string[] = [],
  ): Promise<(PaymentOperation & { payment: Payment })[]> {
    return this.prisma.paymentOperation.findMany({
      where: {
        status: 'PENDING',
        updatedAt: { lt: olderThan },
        ...(exceptAcquirers.length > 0 ? { acquirer: { notIn: [...exceptAcquirers] } } : {}),
      },
      include: { payment: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  private async settlePayment(tx: Tx, operation: PaymentOperation): Promise<Payment> {
    switch (operation.kind) {
      case 'CAPTURE':
        return tx.payment.update({
          where: { id: operation.paymentId },
          data: { pendingCaptureAmount: { decrement: operation.amount } },
        });
      case 'CANCEL':
        // Voided before anything was captured: the payment as a whole is cancelled.
        await tx.payment.updateMany({
          where: { id: operation.paymentId, capturedAmount: 0n, status: 'AUTHORIZED' },
          data: { status: 'CANCELLED' },
        });
        return tx.payment.findUniqueOrThrow({ where: { id: operation.paymentId } });
      case 'REFUND':
        return tx.payment.findUniqueOrThrow({ where: { id: operation.paymentId } });
    }
  }

  private async enqueueReport(
    tx: Tx,
    operation: PaymentOperation,
    report: OperationReport,
  ): Promise<string> {
    const dedupeKey = `report:${operation.id}`;
    const row = await tx.outboxMessage.upsert({
      where: { dedupeKey },
      create: {
        id: randomUUID(),
        kind: OUTBOX_KIND[operation.kind],
        dedupeKey,
        paymentId: operation.paymentId,
        payload: report as unknown as Prisma.InputJsonValue,
      },
      update: {},
      select: { id: true },
    });
    return row.id;
  }
}

function availableFor(kind: PaymentOperationKind, p: LockedPayment): bigint {
  switch (kind) {
    case 'CAPTURE':
    case 'CANCEL':
      return p.authorizedAmount - p.capturedAmount - p.cancelledAmount;
    case 'REFUND':
      // A capture still waiting for the acquirer may yet fail: it is not refundable.
      return p.capturedAmount - p.pendingCaptureAmount - p.refundedAmount;
  }
}

function reserveData(kind: PaymentOperationKind, amount: bigint): Prisma.PaymentUpdateInput {
  switch (kind) {
    case 'CAPTURE':
      return {
        capturedAmount: { increment: amount },
        pendingCaptureAmount: { increment: amount },
      };
    case 'CANCEL':
      return { cancelledAmount: { increment: amount } };
    case 'REFUND':
      return { refundedAmount: { increment: amount } };
  }
}

function releaseData(kind: PaymentOperationKind, amount: bigint): Prisma.PaymentUpdateInput {
  switch (kind) {
    case 'CAPTURE':
      return {
        capturedAmount: { decrement: amount },
        pendingCaptureAmount: { decrement: amount },
      };
    case 'CANCEL':
      return { cancelledAmount: { decrement: amount } };
    case 'REFUND':
      return { refundedAmount: { decrement: amount } };
  }
}

function reportOf(
  operation: PaymentOperation,
  payment: Payment,
  at: Date,
  authorizationAttemptId: string | null,
): OperationReport {
  const base = { amount: Number(operation.amount), timestamp: at.toISOString() };
  const target = {
    mobilePayPaymentId: payment.mobilePayPaymentId,
    operationId: operation.id,
    ...(payment.channel === 'EPAYMENT'
      ? {
          epayment: {
            msn: payment.epaymentMsn!,
            reference: payment.epaymentReference!,
            currency: payment.currency,
          },
        }
      : {}),
  };
  switch (operation.kind) {
    case 'CAPTURE':
      return {
        ...target,
        kind: 'capture',
        body: {
          ...base,
          captureIdentifier: operation.identifier,
          ...(authorizationAttemptId ? { authorizationAttemptId } : {}),
        },
      };
    case 'CANCEL':
      return {
        ...target,
        kind: 'cancel',
        body: { ...base, cancelIdentifier: operation.identifier },
      };
    case 'REFUND':
      return {
        ...target,
        kind: 'refund',
        body: { ...base, refundIdentifier: operation.identifier },
      };
  }
}
