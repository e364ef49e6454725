import { Injectable } from '@nestjs/common';
import { MerchantRepository, type Merchant } from '@app/persistence';
import { LogoVerifier } from './logo-verifier';
import type { UpdateMerchantDto } from './merchant.dto';
import { type MerchantView, toMerchantView } from './merchant.view';

/** A logo checked longer ago than this is checked again before a payment shows it. */
const LOGO_RECHECK_MS = 24 * 60 * 60_000;

/** The merchant's own profile: what the shopper sees in the app (name, logo). */
@Injectable()
export class MerchantProfileService {
  constructor(
    private readonly merchants: MerchantRepository,
    private readonly logos: LogoVerifier,
  ) {}

  get(merchant: Merchant): MerchantView {
    return toMerchantView(merchant);
  }

  async update(merchant: Merchant, update: UpdateMerchantDto): Promise<MerchantView> {
    const logoChanged = update.logoUrl !== undefined && update.logoUrl !== merchant.logoUrl;
    const checked = logoChanged ? await this.logos.verify(update.logoUrl!) : false;
    // A new logo that was not fetched (checks off) counts as unchecked.
    const logoCheckedAt = checked ? new Date() : logoChanged ? null : undefined;
    const updated = await this.merchants.updateProfile(merchant.id, update, logoCheckedAt);
    return toMerchantView(updated);
  }

  /** Before a payment shows the logo: checked again once a day (the image may have changed). */
  async ensureLogoFresh(merchant: Merchant): Promise<void> {
    const checkedAt = merchant.logoCheckedAt?.getTime() ?? 0;
    if (Date.now() - checkedAt < LOGO_RECHECK_MS) return;
    if (await this.logos.verify(merchant.logoUrl)) {
      await this.merchants.markLogoChecked(merchant.id, new Date());
    }
  }
}
