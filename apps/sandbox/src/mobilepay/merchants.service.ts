import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { conflict, MobilePayCode } from './mobilepay-codes';
import { type Merchant, MerchantsStore } from './merchants.store';
import type { CreateMerchantRequest } from './online-api.types';
import { OpenApiValidatorService } from './openapi/openapi-validator.service';

export type MerchantDetails = Omit<Merchant, 'clientId' | 'deleted'>;

@Injectable()
export class MerchantsService {
  constructor(
    private readonly store: MerchantsStore,
    private readonly validator: OpenApiValidatorService,
  ) {}

  /** Idempotent on (client, externalId): onboarding the same merchant twice yields one merchantId. */
  create(clientId: string, body: unknown): { merchantId: string } {
    const request = this.validator.assert<CreateMerchantRequest>('CreateMerchantRequest', body);
    const existing = this.store.findActiveByExternalId(clientId, request.externalId);
    if (existing) return { merchantId: existing.merchantId };
    const merchant: Merchant = { ...request, merchantId: randomUUID(), clientId, deleted: false };
    this.store.save(merchant);
    return { merchantId: merchant.merchantId };
  }

  list(clientId: string): { merchants: MerchantDetails[] } {
    return { merchants: this.store.listActive(clientId).map(details) };
  }

  get(clientId: string, merchantId: string): MerchantDetails {
    const merchant = this.owned(clientId, merchantId);
    if (merchant.deleted) throw conflict(MobilePayCode.MerchantDeleted);
    return details(merchant);
  }

  /** Deleting twice is fine: MobilePay's API is idempotent throughout. */
  delete(clientId: string, merchantId: string): void {
    this.owned(clientId, merchantId).deleted = true;
  }

  /** The merchant a payment may be created for, or the guide's 2000 / 2010 / 2020. */
  usableFor(clientId: string, merchantId: string): Merchant {
    const merchant = this.owned(clientId, merchantId);
    if (merchant.deleted) throw conflict(MobilePayCode.MerchantDeleted);
    return merchant;
  }

  private owned(clientId: string, merchantId: string): Merchant {
    const merchant = this.store.get(merchantId);
    if (!merchant) throw conflict(MobilePayCode.MerchantNotFound);
    if (merchant.clientId !== clientId) throw conflict(MobilePayCode.MerchantNotYours);
    return merchant;
  }
}

function details(merchant: Merchant): MerchantDetails {
  const { clientId: _clientId, deleted: _deleted, ...rest } = merchant;
  return rest;
}
