import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AcquirerRouter, routesProblem } from '@app/acquirers';
import { DomainError, ErrorCode } from '@app/domain';
import { MobilePayClient, MobilePayError } from '@app/mobilepay';
import { ApiKeyRepository, MerchantRepository, type Merchant } from '@app/persistence';
import { issueApiKey } from './api-key';
import { LogoVerifier } from './logo-verifier';
import type { MerchantRoutingDto, OnboardMerchantDto } from './merchant.dto';
import {
  type AdminMerchantView,
  type MerchantView,
  type OnboardedMerchant,
  toAdminMerchantView,
  toMerchantView,
} from './merchant.view';

/** MobilePay's merchant errors (guide: 2000 / 2010 / 2020), as the back office should read them. */
const MERCHANT_CODES: Record<string, string> = {
  '2000': 'the merchant does not exist at MobilePay',
  '2010': 'the merchant was not created by this PSP at MobilePay',
  '2020': 'the merchant is deleted at MobilePay',
};

@Injectable()
export class MerchantOnboardingService {
  private readonly logger = new Logger(MerchantOnboardingService.name);

  constructor(
    private readonly merchants: MerchantRepository,
    private readonly apiKeys: ApiKeyRepository,
    private readonly mobilePay: MobilePayClient,
    private readonly logos: LogoVerifier,
    private readonly router: AcquirerRouter,
  ) {}

  /** Creates the merchant here and at MobilePay (idempotent on externalId) and issues an API key. */
  async onboard(dto: OnboardMerchantDto): Promise<OnboardedMerchant> {
    if (dto.acquirerRoutes) this.assertRoutes(dto.acquirerRoutes);
    const logoChecked = await this.logos.verify(dto.logoUrl);
    let merchant = await this.merchants.upsertByExternalId({ id: randomUUID(), ...dto });
    if (merchant.status === 'OFFBOARDED') {
      throw new DomainError(
        ErrorCode.MerchantOffboarded,
        `merchant ${dto.externalId} was offboarded; onboard it under a new externalId`,
      );
    }
    if (logoChecked) merchant = await this.merchants.markLogoChecked(merchant.id, new Date());
    if (!merchant.mobilePayMerchantId) {
      const created = await this.createAtMobilePay(merchant);
      merchant = await this.merchants.setMobilePayMerchantId(merchant.id, created);
    }
    const key = issueApiKey();
    await this.apiKeys.create({
      id: randomUUID(),
      merchantId: merchant.id,
      prefix: key.prefix,
      secretHash: key.secretHash,
      label: 'onboarding',
    });
    return { merchant: toMerchantView(merchant), apiKey: key.plaintext };
  }

  /** Sets (or, with null, clears) the merchant's own acquirer routes. */
  async setRouting(id: string, dto: MerchantRoutingDto): Promise<AdminMerchantView> {
    if (dto.acquirerRoutes) this.assertRoutes(dto.acquirerRoutes);
    const merchant = await this.merchants.findById(id);
    if (!merchant) throw new DomainError(ErrorCode.NotFound, 'merchant not found');
    const updated = await this.merchants.setAcquirerRoutes(id, dto.acquirerRoutes);
    this.logger.log({ merchantId: id, routes: dto.acquirerRoutes }, 'merchant routing set');
    return toAdminMerchantView(updated);
  }

  private assertRoutes(routes: Record<string, string>): void {
    const problem = routesProblem(routes, this.router.adapterNames());
    if (problem) throw new DomainError(ErrorCode.ValidationFailed, problem);
  }

  /**
   * Offboards at MobilePay (the guide: DELETE when a merchant stops using the solution), then
   * here: OFFBOARDED, every API key revoked. A merchant MobilePay no longer knows or has deleted
   * already is offboarded here all the same; repeating the call is harmless.
   */
  async offboard(id: string): Promise<MerchantView> {
    const merchant = await this.merchants.findById(id);
    if (!merchant) throw new DomainError(ErrorCode.NotFound, 'merchant not found');
    if (merchant.status === 'OFFBOARDED') return toMerchantView(merchant);
    if (merchant.mobilePayMerchantId) await this.deleteAtMobilePay(merchant.mobilePayMerchantId);
    const offboarded = await this.merchants.offboard(merchant.id, new Date());
    this.logger.log({ merchantId: merchant.id }, 'merchant offboarded');
    return toMerchantView(offboarded);
  }

  private async deleteAtMobilePay(mobilePayMerchantId: string): Promise<void> {
    try {
      await this.mobilePay.deleteMerchant(mobilePayMerchantId);
    } catch (error) {
      if (error instanceof MobilePayError && !error.transient) {
        if (error.code === '2000' || error.code === '2020') return;
        throw new DomainError(
          ErrorCode.MobilePayRejected,
          (error.code && MERCHANT_CODES[error.code]) ?? `MobilePay refused: ${error.message}`,
          { mobilePayCode: error.code },
        );
      }
      throw new DomainError(ErrorCode.MobilePayUnavailable, 'MobilePay is unavailable, try again');
    }
  }

  private async createAtMobilePay(merchant: Merchant): Promise<string> {
    try {
      const response = await this.mobilePay.createMerchant({
        externalId: merchant.externalId,
        name: merchant.name,
        merchantCategoryCode: merchant.merchantCategoryCode,
        billingCurrency: merchant.billingCurrency,
        countryCode: merchant.countryCode,
        vatNumber: merchant.vatNumber,
      });
      if (!response.merchantId) throw new Error('MobilePay returned no merchant id');
      return response.merchantId;
    } catch (error) {
      if (error instanceof MobilePayError && !error.transient) {
        const known = error.code ? MERCHANT_CODES[error.code] : undefined;
        throw new DomainError(
          ErrorCode.MobilePayRejected,
          known ?? `MobilePay rejected the merchant: ${error.message}`,
          { mobilePayCode: error.code },
        );
      }
      throw new DomainError(ErrorCode.MobilePayUnavailable, 'MobilePay is unavailable, try again');
    }
  }
}
