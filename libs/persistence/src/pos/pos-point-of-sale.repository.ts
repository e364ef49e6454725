import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { PosPointOfSale } from '../generated/prisma/client';
import { recordIdempotentResource } from '../repositories/idempotency.repository';

/** The merchant event for MobilePay's check-in notification (notification service). */
export const CHECK_IN_NOTIFIED = 'pos_point_of_sale.check_in_notified';

export interface NewPosPointOfSale {
  id: string;
  merchantId: string;
  merchantPosId: string;
  storeId: string;
  name: string;
  beaconId: string | null;
  supportedBeaconTypes: string[];
  requirePaymentBeforeCheckin: boolean;
  callbackAlias: string | null;
  idempotencyKey: string;
}

export interface PosPointOfSaleFilter {
  storeId?: string;
  beaconId?: string;
  merchantPosId?: string;
}

/** A merchant's registers at MobilePay PoS. Every method is scoped by the merchant. */
@Injectable()
export class PosPointOfSaleRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: NewPosPointOfSale, idempotencyRecordId?: string): Promise<PosPointOfSale> {
    return this.prisma.$transaction(async (tx) => {
      const created = await tx.posPointOfSale.create({ data });
      await recordIdempotentResource(tx, idempotencyRecordId, created.id);
      return created;
    });
  }

  findByMobilePayId(mobilePayPosId: string): Promise<PosPointOfSale | null> {
    return this.prisma.posPointOfSale.findUnique({ where: { mobilePayPosId } });
  }

  /**
   * MobilePay's notification service says a user checked in: one event for the merchant (a
   * webhook). MobilePay retries an unanswered notification; retries within the same second are
   * one event.
   */
  async recordCheckInNotification(pos: PosPointOfSale, receivedAt: Date): Promise<boolean> {
    const { count } = await this.prisma.paymentEvent.createMany({
      data: [
        {
          id: randomUUID(),
          pointOfSaleId: pos.id,
          merchantId: pos.merchantId,
          type: CHECK_IN_NOTIFIED,
          dedupeKey: `${pos.id}:check-in:${Math.floor(receivedAt.getTime() / 1000)}`,
          data: {
            pointOfSaleId: pos.id,
            merchantPosId: pos.merchantPosId,
            mobilePayPosId: pos.mobilePayPosId,
            callbackAlias: pos.callbackAlias,
            notifiedAt: receivedAt.toISOString(),
          },
        },
      ],
      skipDuplicates: true,
    });
    return count > 0;
  }

  findForMerchant(merchantId: string, id: string): Promise<PosPointOfSale | null> {
    return this.prisma.posPointOfSale.findFirst({ where: { id, merchantId } });
  }

  /** The live (not deleted, not failed) point of sale with this merchantPosId, if any. */
  findLive(merchantId: string, merchantPosId: string): Promise<PosPointOfSale | null> {
    return this.prisma.posPointOfSale.findFirst({
      where: { merchantId, merchantPosId, status: { in: ['CREATING', 'ACTIVE'] } },
    });
  }

  list(merchantId: string, filter: PosPointOfSaleFilter): Promise<PosPointOfSale[]> {
    return this.prisma.posPointOfSale.findMany({
      where: { merchantId, status: { in: ['CREATING', 'ACTIVE'] }, ...filter },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 500,
    });
  }

  markActive(id: string, mobilePayPosId: string, beaconId: string): Promise<PosPointOfSale> {
    return this.prisma.posPointOfSale.update({
      where: { id },
      data: { status: 'ACTIVE', mobilePayPosId, beaconId },
    });
  }

  markFailed(id: string): Promise<PosPointOfSale> {
    return this.prisma.posPointOfSale.update({ where: { id }, data: { status: 'FAILED' } });
  }

  markDeleted(id: string): Promise<PosPointOfSale> {
    return this.prisma.posPointOfSale.update({
      where: { id },
      data: { status: 'DELETED', deletedAt: new Date() },
    });
  }
}
