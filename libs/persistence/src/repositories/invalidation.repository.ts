import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { AuthorizationAttempt, Payment, PaymentStatus } from '../generated/prisma/client';
import { appendEvent } from './payment-events';

const OPEN_ATTEMPT = [
  'RECEIVED',
  'AUTHORIZING',
  'THREE_DS_PENDING',
  'THREE_DS_AUTHENTICATED',
] as const;

/** Payment invalidation: closed here first, so a callback racing it is refused with 1010. */
@Injectable()
export class InvalidationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** INVALIDATED from CREATED/INITIATED (or already INVALIDATED); the status it had, or null. */
  async close(
    merchantId: string,
    paymentId: string,
  ): Promise<{ payment: Payment; previous: PaymentStatus } | null> {
    return this.prisma.$transaction(async (tx) => {
      const payment = await tx.payment.findFirst({ where: { id: paymentId, merchantId } });
      if (!payment) return null;
      if (payment.status === 'CREATED' || payment.status === 'INITIATED') {
        const { count } = await tx.payment.updateMany({
          where: { id: paymentId, status: payment.status },
          data: { status: 'INVALIDATED' },
        });
        if (count === 0)
          return {
            payment,
            previous: (await tx.payment.findUniqueOrThrow({ where: { id: paymentId } })).status,
          };
      }
      return { payment, previous: payment.status };
    });
  }

  /** MobilePay said the payment is authorized after all (2100): undo our local close. */
  async reopen(paymentId: string): Promise<void> {
    await this.prisma.payment.updateMany({
      where: { id: paymentId, status: 'INVALIDATED' },
      data: { status: 'INITIATED' },
    });
  }

  openAttempts(
    paymentId: string,
  ): Promise<
    Pick<
      AuthorizationAttempt,
      | 'id'
      | 'paymentId'
      | 'status'
      | 'acquirer'
      | 'acquirerVatNumber'
      | 'cardType'
      | 'kind'
      | 'cardIssuedInCountryCode'
    >[]
  > {
    return this.prisma.authorizationAttempt.findMany({
      where: { paymentId, status: { in: [...OPEN_ATTEMPT] } },
      select: {
        id: true,
        paymentId: true,
        status: true,
        acquirer: true,
        acquirerVatNumber: true,
        cardType: true,
        kind: true,
        cardIssuedInCountryCode: true,
      },
    });
  }

  /**
   * PATCHes of this payment's attempts that MobilePay has not acknowledged yet (still in the
   * outbox). A refused one is not waited for: MobilePay's answer to the invalidation decides.
   */
  unacknowledgedPatches(paymentId: string): Promise<number> {
    return this.prisma.outboxMessage.count({
      where: { paymentId, kind: 'PATCH_AUTHORIZATION_ATTEMPT', status: 'PENDING' },
    });
  }

  async recordInvalidated(payment: Payment): Promise<void> {
    await this.prisma.$transaction((tx) =>
      appendEvent(tx, payment, 'payment.invalidated', `invalidated:${payment.id}`, {
        paymentId: payment.id,
      }),
    );
  }
}
