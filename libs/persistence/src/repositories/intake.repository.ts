import { Injectable } from '@nestjs/common';
import type { SealedBlob } from '@app/crypto';
import { PrismaService } from '../prisma.service';
import type { PaymentStatus } from '../generated/prisma/client';
import type { ReceivedAttempt } from './attempt.repository';

/** What callback intake needs to know about a payment and the attempt it is told about. */
export interface IntakeView {
  payment: {
    id: string;
    merchantId: string;
    mobilePayPaymentId: string;
    status: PaymentStatus;
    allowedCardTypes: string[];
    /** The merchant's: its id at the acquirer and its own acquirer routes, if any. */
    acquirerMerchantId: string;
    acquirerRoutes: Record<string, string> | null;
  } | null;
  existingAttempt: { status: string; sameMobilePayPayment: boolean } | null;
}

/**
 * The callback hot path in plain SQL on Prisma's own pool: one round trip to look up, one atomic
 * statement to store — where the ORM would spend several round trips and far more CPU.
 */
@Injectable()
export class IntakeRepository {
  constructor(private readonly prisma: PrismaService) {}

  async lookup(mobilePayPaymentId: string, attemptId: string): Promise<IntakeView> {
    const { rows } = await this.prisma.pool.query<{
      id: string | null;
      merchantId: string | null;
      status: PaymentStatus | null;
      allowedCardTypes: string[] | null;
      acquirerMerchantId: string | null;
      acquirerRoutes: Record<string, string> | null;
      attemptStatus: string | null;
      attemptMobilePayPaymentId: string | null;
    }>(
      `SELECT p.id, p."merchantId", p.status, p."allowedCardTypes",
              m."acquirerMerchantId", m."acquirerRoutes",
              a.status AS "attemptStatus", ap."mobilePayPaymentId" AS "attemptMobilePayPaymentId"
         FROM (SELECT 1) AS one
         LEFT JOIN "Payment" p ON p."mobilePayPaymentId" = $1
         LEFT JOIN "Merchant" m ON m.id = p."merchantId"
         LEFT JOIN "AuthorizationAttempt" a ON a.id = $2
         LEFT JOIN "Payment" ap ON ap.id = a."paymentId"`,
      [mobilePayPaymentId, attemptId],
    );
    const row = rows[0];
    return {
      payment: row.id
        ? {
            id: row.id,
            merchantId: row.merchantId!,
            mobilePayPaymentId,
            status: row.status!,
            allowedCardTypes: row.allowedCardTypes ?? [],
            acquirerMerchantId: row.acquirerMerchantId!,
            acquirerRoutes: row.acquirerRoutes,
          }
        : null,
      existingAttempt: row.attemptStatus
        ? {
            status: row.attemptStatus,
            sameMobilePayPayment: row.attemptMobilePayPaymentId === mobilePayPaymentId,
          }
        : null,
    };
  }

  /**
   * Stores a newly acked attempt, its sealed card data and its first history row in ONE statement
   * (atomic by itself). Returns false when the attempt id exists already: nothing is written then.
   */
  async recordReceived(attempt: ReceivedAttempt, sealed: SealedBlob): Promise<boolean> {
    const { rows } = await this.prisma.pool.query<{ created: string }>(
      `WITH attempt AS (
         INSERT INTO "AuthorizationAttempt"
           (id, "paymentId", "cardType", kind, "maskedCardNumber", "tokenMethod", "cardIssuedInCountryCode",
            status, "callbackReceivedAt", "deadlineAt", "updatedAt")
         VALUES ($1, $2, $3, $4::"CardDataKind", $5, $6, $7, 'RECEIVED', $8, $9, now())
         ON CONFLICT (id) DO NOTHING
         RETURNING id),
       sealed AS (
         INSERT INTO "SealedCardData" ("attemptId", "sealKeyId", iv, ciphertext, "authTag")
         SELECT id, $10, $11, $12, $13 FROM attempt),
       history AS (
         INSERT INTO "AttemptStatusChange" ("attemptId", "fromStatus", "toStatus", detail)
         SELECT id, NULL, 'RECEIVED', 'callback acked' FROM attempt)
       SELECT count(*) AS created FROM attempt`,
      [
        attempt.id,
        attempt.paymentId,
        attempt.cardType,
        attempt.kind,
        attempt.maskedCardNumber,
        attempt.tokenMethod,
        attempt.cardIssuedInCountryCode,
        attempt.callbackReceivedAt,
        attempt.deadlineAt,
        sealed.sealKeyId,
        sealed.iv,
        sealed.ciphertext,
        sealed.authTag,
      ],
    );
    return Number(rows[0].created) === 1;
  }
}
