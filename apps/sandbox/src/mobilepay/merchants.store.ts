import { Injectable } from '@nestjs/common';
import type { CreateMerchantRequest } from './online-api.types';

export interface Merchant extends CreateMerchantRequest {
  merchantId: string;
  clientId: string;
  deleted: boolean;
}

@Injectable()
export class MerchantsStore {
  private readonly merchants = new Map<string, Merchant>();

  get(merchantId: string): Merchant | undefined {
    return this.merchants.get(merchantId);
  }

  findActiveByExternalId(clientId: string, externalId: string): Merchant | undefined {
    return [...this.merchants.values()].find(
      (m) => m.clientId === clientId && m.externalId === externalId && !m.deleted,
    );
  }

  listActive(clientId: string): Merchant[] {
    return [...this.merchants.values()].filter((m) => m.clientId === clientId && !m.deleted);
  }

  save(merchant: Merchant): void {
    this.merchants.set(merchant.merchantId, merchant);
  }

  clear(): void {
    this.merchants.clear();
  }
}
