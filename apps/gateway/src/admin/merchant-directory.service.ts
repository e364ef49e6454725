import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, ErrorCode } from '@app/domain';
import { BackOfficeRepository, MerchantRepository } from '@app/persistence';
import {
  type ApiKeyView,
  type CreateApiKeyDto,
  type IssuedApiKeyView,
  apiKeyViewSchema,
  toApiKeyView,
} from '../merchants/api-key.dto';
import { ApiKeysService, OPERATOR } from '../merchants/api-keys.service';
import { adminMerchantViewSchema, toAdminMerchantView } from '../merchants/merchant.view';

export const merchantDirectorySchema = z.object({
  data: z.array(
    adminMerchantViewSchema.extend({
      /** onboarded: MobilePay knows the merchant; pending: onboarding did not finish. */
      onboarding: z.enum(['onboarded', 'pending', 'offboarded']),
      payments: z.number().int(),
      apiKeys: z.array(apiKeyViewSchema),
    }),
  ),
});

type MerchantDirectory = z.infer<typeof merchantDirectorySchema>;

/** Every merchant with its onboarding state, routing and API keys (never a key's secret or hash). */
@Injectable()
export class MerchantDirectoryService {
  constructor(
    private readonly backOffice: BackOfficeRepository,
    private readonly merchants: MerchantRepository,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async list(now = new Date()): Promise<MerchantDirectory> {
    const rows = await this.backOffice.listMerchants();
    return {
      data: rows.map((m) => ({
        ...toAdminMerchantView(m),
        onboarding:
          m.status === 'OFFBOARDED'
            ? 'offboarded'
            : m.mobilePayMerchantId
              ? 'onboarded'
              : 'pending',
        payments: m._count.payments,
        apiKeys: m.apiKeys.map((k) => toApiKeyView(k, now)),
      })),
    };
  }

  async createKey(merchantId: string, dto: CreateApiKeyDto): Promise<IssuedApiKeyView> {
    await this.requireMerchant(merchantId);
    return this.apiKeys.create(merchantId, OPERATOR, dto);
  }

  async revokeKey(merchantId: string, keyId: string): Promise<ApiKeyView> {
    await this.requireMerchant(merchantId);
    return this.apiKeys.revoke(merchantId, keyId);
  }

  private async requireMerchant(id: string): Promise<void> {
    const merchant = await this.merchants.findById(id);
    if (!merchant) throw new DomainError(ErrorCode.NotFound, 'merchant not found');
    if (merchant.status !== 'ACTIVE') {
      throw new DomainError(ErrorCode.MerchantOffboarded, 'the merchant is offboarded');
    }
  }
}
