import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { type Merchant, type PosPointOfSale, PosPointOfSaleRepository } from '@app/persistence';
import { PosApiError, posDomainError } from '@app/pos';
import type { IdempotencyContext } from '../idempotency/idempotency.service';
import { PosChannel } from './pos-channel';
import type { CreatePointOfSaleDto } from './pos.dto';
import { toPointOfSaleView } from './pos.view';

/** Stores (read from MobilePay) and the merchant's points of sale (PoS management). */
@Injectable()
export class PosPointsOfSaleService {
  constructor(
    private readonly channel: PosChannel,
    private readonly pointsOfSale: PosPointOfSaleRepository,
  ) {}

  async stores(
    merchant: Merchant,
    filter: { merchantBrandId?: string; merchantLocationId?: string },
  ) {
    const ctx = this.channel.context(merchant);
    try {
      const ids = await this.channel.client.queryStores(ctx, filter);
      return { data: await Promise.all(ids.map((id) => this.channel.client.getStore(ctx, id))) };
    } catch (error) {
      throw posDomainError(error);
    }
  }

  async store(merchant: Merchant, storeId: string) {
    try {
      return await this.channel.client.getStore(this.channel.context(merchant), storeId);
    } catch (error) {
      throw posDomainError(error);
    }
  }

  /**
   * Stores the point of sale with a fresh X-MobilePay-Idempotency-Key before calling MobilePay: a
   * retry (same Idempotency-Key here) resumes with the same key there and gets the same PoS.
   */
  async create(merchant: Merchant, dto: CreatePointOfSaleDto, idempotency?: IdempotencyContext) {
    this.channel.forCreation(merchant);
    if (idempotency?.resourceId) {
      const earlier = await this.pointsOfSale.findForMerchant(merchant.id, idempotency.resourceId);
      if (earlier) return toPointOfSaleView(await this.register(merchant, earlier));
    }
    if (await this.pointsOfSale.findLive(merchant.id, dto.merchantPosId)) {
      throw new DomainError(
        ErrorCode.PosConflict,
        'a point of sale with this merchantPosId exists',
      );
    }
    const pos = await this.pointsOfSale.create(
      {
        id: randomUUID(),
        merchantId: merchant.id,
        merchantPosId: dto.merchantPosId,
        storeId: dto.storeId,
        name: dto.name,
        beaconId: dto.beaconId ?? null,
        supportedBeaconTypes: dto.supportedBeaconTypes,
        requirePaymentBeforeCheckin: dto.requirePaymentBeforeCheckin ?? false,
        callbackAlias: dto.callbackAlias ?? null,
        idempotencyKey: randomUUID(),
      },
      idempotency?.recordId,
    );
    return toPointOfSaleView(await this.register(merchant, pos));
  }

  async get(merchant: Merchant, id: string) {
    return toPointOfSaleView(await this.owned(merchant, id));
  }

  async list(
    merchant: Merchant,
    filter: { storeId?: string; beaconId?: string; merchantPosId?: string },
  ) {
    return { data: (await this.pointsOfSale.list(merchant.id, filter)).map(toPointOfSaleView) };
  }

  /** Deleted at MobilePay first; reserved payments on it can still be captured or cancelled. */
  async delete(merchant: Merchant, id: string) {
    const pos = await this.owned(merchant, id);
    if (pos.status === 'DELETED') return toPointOfSaleView(pos);
    if (pos.mobilePayPosId) {
      try {
        await this.channel.client.deletePointOfSale(
          this.channel.context(merchant),
          pos.mobilePayPosId,
        );
      } catch (error) {
        // Already gone at MobilePay: what we wanted.
        if (!(error instanceof PosApiError && error.notFound)) throw posDomainError(error);
      }
    }
    return toPointOfSaleView(await this.pointsOfSale.markDeleted(pos.id));
  }

  /** Is a MobilePay user checked in at the register (and with which loyalty ids)? */
  async checkIn(merchant: Merchant, id: string) {
    const pos = await this.owned(merchant, id);
    if (pos.status !== 'ACTIVE' || !pos.mobilePayPosId) {
      throw new DomainError(ErrorCode.InvalidPaymentState, 'the point of sale is not active');
    }
    try {
      const checkIn = await this.channel.client.getCheckIn(
        this.channel.context(merchant),
        pos.mobilePayPosId,
        'poll',
      );
      return {
        isUserCheckedIn: checkIn.isUserCheckedIn,
        loyaltyIds: checkIn.loyaltyIds ?? null,
        customerToken: checkIn.customerToken ?? null,
        /** Ask again no sooner than this (MobilePay's call throttling). */
        pollDelayInMs: checkIn.pollDelayInMs,
      };
    } catch (error) {
      throw posDomainError(error);
    }
  }

  /** Creates the PoS at MobilePay with its stored key, then reads back the (maybe generated) beacon. */
  private async register(merchant: Merchant, pos: PosPointOfSale): Promise<PosPointOfSale> {
    if (pos.status !== 'CREATING') return pos;
    const ctx = this.channel.context(merchant);
    try {
      const mobilePayPosId = await this.channel.client.createPointOfSale(
        ctx,
        {
          merchantPosId: pos.merchantPosId,
          storeId: pos.storeId,
          name: pos.name,
          beaconId: pos.beaconId,
          supportedBeaconTypes: pos.supportedBeaconTypes as ('QR' | 'NFC' | 'Bluetooth')[],
          requirePaymentBeforeCheckin: pos.requirePaymentBeforeCheckin,
          callbackAlias: pos.callbackAlias,
        },
        pos.idempotencyKey,
      );
      const details = await this.channel.client.getPointOfSale(ctx, mobilePayPosId);
      return await this.pointsOfSale.markActive(pos.id, mobilePayPosId, details.beaconId);
    } catch (error) {
      if (error instanceof PosApiError && !error.transient)
        await this.pointsOfSale.markFailed(pos.id);
      throw posDomainError(error);
    }
  }

  private async owned(merchant: Merchant, id: string): Promise<PosPointOfSale> {
    const pos = await this.pointsOfSale.findForMerchant(merchant.id, id);
    if (!pos) throw new DomainError(ErrorCode.NotFound, 'point of sale not found');
    return pos;
  }
}
