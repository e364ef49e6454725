import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import type { SimPointOfSale } from './pos-sim.model';
import { PosSimStore } from './pos-sim.store';

/** One call to an integrator's notification endpoint, as the simulator made it. */
export interface SimNotification {
  callbackAlias: string;
  posId: string;
  url: string;
  attempt: number;
  status: number | null;
  at: number;
}

/** MobilePay retries a notification that was not answered 200 three times. */
const RETRIES = 3;

/**
 * MobilePay's notification service: when a user checks in at a point of sale whose
 * `callbackAlias` is registered (`SANDBOX_POS_CALLBACK_ALIASES`, alias=url), the integrator's
 * endpoint is POSTed `{ MerchantId, MerchantBrandId, MerchantLocationId, MerchantPosId, PosId }`.
 */
@Injectable()
export class PosSimNotificationsService {
  private readonly logger = new Logger(PosSimNotificationsService.name);
  readonly sent: SimNotification[] = [];

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PosSimStore,
  ) {}

  /** Fire and forget: the user's check-in does not wait for the integrator. */
  checkedIn(pos: SimPointOfSale): void {
    const url = pos.callbackAlias
      ? this.config.pos.callbackAliases.get(pos.callbackAlias)
      : undefined;
    if (!pos.callbackAlias || !url) return;
    const store = this.store.stores.get(pos.storeId);
    const body = JSON.stringify({
      MerchantId: merchantGuid(pos.merchantVat),
      MerchantBrandId: store?.merchantBrandId,
      MerchantLocationId: store?.merchantLocationId,
      MerchantPosId: pos.merchantPosId,
      PosId: pos.posId,
    });
    void this.deliver(pos.callbackAlias, pos.posId, url, body);
  }

  private async deliver(alias: string, posId: string, url: string, body: string): Promise<void> {
    for (let attempt = 1; attempt <= 1 + RETRIES; attempt++) {
      const status = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5_000),
      }).then(
        async (response) => {
          await response.body?.cancel().catch(() => undefined);
          return response.status;
        },
        () => null,
      );
      this.sent.push({ callbackAlias: alias, posId, url, attempt, status, at: Date.now() });
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt).unref());
    }
    this.logger.warn({ alias, posId }, 'notification not acknowledged after the retries');
  }
}

/** A stable merchant id (a GUID at MobilePay) per VAT number. */
function merchantGuid(merchantVat: string): string {
  const hex = Buffer.from(merchantVat.padEnd(16, '0')).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
