import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CardKeyRing } from '@app/crypto';
import { CARD_TYPES, DomainError, ErrorCode, parseCurrency } from '@app/domain';
import { MobilePayClient, MobilePayError } from '@app/mobilepay';
import { PaymentRepository, type Merchant, type Payment } from '@app/persistence';
import type { IdempotencyContext } from '../idempotency/idempotency.service';
import { EpaymentPaymentsService } from '../epayment/epayment-payments.service';
import { MerchantProfileService } from '../merchants/merchant-profile.service';
import { decodeCursor, encodeCursor } from './cursor';
import { type CreatePaymentDto, type ListPaymentsQuery, MAX_PAGE_SIZE } from './payment.dto';
import { type PaymentListView, toPaymentView, type PaymentView } from './payment.view';

const DEFAULT_PAGE_SIZE = 20;

/** MobilePay's initiate-payment domain errors, as the merchant should read them. */
const MOBILEPAY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  '2000': { code: ErrorCode.MerchantNotOnboarded, message: 'merchant does not exist at MobilePay' },
  '2010': { code: ErrorCode.MerchantNotOnboarded, message: 'merchant was not created by this PSP' },
  '2020': { code: ErrorCode.MerchantNotOnboarded, message: 'merchant is deleted at MobilePay' },
  '2030': { code: ErrorCode.UnsupportedCardType, message: 'allowed card types are not set' },
  '2040': { code: ErrorCode.UnsupportedCardType, message: 'an allowed card type is invalid' },
  '2050': { code: ErrorCode.UnsupportedCurrency, message: 'currency code is invalid' },
};

@Injectable()
export class PaymentsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly payments: PaymentRepository,
    private readonly mobilePay: MobilePayClient,
    private readonly keyRing: CardKeyRing,
    private readonly profiles: MerchantProfileService,
    private readonly epayment: EpaymentPaymentsService,
  ) {}

  /**
   * Creates the payment and initiates it at MobilePay. Under an Idempotency-Key whose first run
   * failed after creating the payment (MobilePay unreachable), the retry completes that payment.
   */
  async create(
    merchant: Merchant,
    dto: CreatePaymentDto,
    idempotency?: IdempotencyContext,
  ): Promise<PaymentView> {
    if (merchant.paymentChannel === 'EPAYMENT')
      return this.epayment.create(merchant, dto, idempotency);
    if (!dto.redirectFromMobilePayUrl || dto.userFlow || dto.customerPhoneNumber) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'online payments need redirectFromMobilePayUrl and take no ePayment fields',
      );
    }
    if (!merchant.mobilePayMerchantId) {
      throw new DomainError(
        ErrorCode.MerchantNotOnboarded,
        'merchant is not onboarded at MobilePay',
      );
    }
    if (idempotency?.resourceId) {
      const earlier = await this.payments.findForMerchant(merchant.id, idempotency.resourceId);
      if (earlier) {
        return toPaymentView(
          earlier.status === 'CREATED' ? await this.initiate(merchant, earlier) : earlier,
        );
      }
    }
    // MobilePay shows the logo with the payment: re-checked when the last check is a day old.
    await this.profiles.ensureLogoFresh(merchant);
    const id = randomUUID();
    const outcome = await this.payments.create(
      {
        id,
        merchantId: merchant.id,
        pspReferenceId: id,
        merchantOrderId: dto.orderId,
        amount: BigInt(dto.amount),
        currency: parseCurrency(dto.currency),
        allowedCardTypes: dto.allowedCardTypes ?? [...CARD_TYPES],
        redirectFromMobilePayUrl: dto.redirectFromMobilePayUrl,
        publicKeyId: this.keyRing.activeKeyId,
        expiresAt: new Date(Date.now() + this.config.payments.ttlMs),
        checkoutOptions: dto.checkout,
      },
      this.config.payments.maxInitiationsPerOrder,
      idempotency?.recordId,
    );
    switch (outcome.kind) {
      case 'too-many-initiations':
        throw new DomainError(
          ErrorCode.RequestFishing,
          `order ${dto.orderId} was already initiated ${this.config.payments.maxInitiationsPerOrder} times`,
        );
      case 'created':
        return toPaymentView(await this.initiate(merchant, outcome.payment));
    }
  }

  async get(merchantId: string, id: string): Promise<PaymentView> {
    const payment = await this.payments.findForMerchant(merchantId, id);
    if (!payment) throw new DomainError(ErrorCode.NotFound, 'payment not found');
    return toPaymentView(payment);
  }

  /** Newest first; one extra row tells whether another page follows. */
  async list(merchantId: string, query: ListPaymentsQuery): Promise<PaymentListView> {
    const limit = query.limit ? Number(query.limit) : DEFAULT_PAGE_SIZE;
    const rows = await this.payments.listForMerchant(merchantId, {
      status: query.status,
      merchantOrderId: query.orderId,
      createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
      createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: Math.min(limit, MAX_PAGE_SIZE) + 1,
    });
    const page = rows.slice(0, limit);
    const hasMore = rows.length > limit;
    const last = page.at(-1);
    return {
      data: page.map(toPaymentView),
      nextCursor: hasMore && last ? encodeCursor(last) : null,
      hasMore,
    };
  }

  /** Calls MobilePay with the same pspReferenceId every time, so a retry never makes a second payment. */
  private async initiate(merchant: Merchant, payment: Payment): Promise<Payment> {
    const callbacks = `${this.config.publicBaseUrl}/callbacks/mobilepay`;
    try {
      const response = await this.mobilePay.initiatePayment({
        merchantId: merchant.mobilePayMerchantId!,
        merchantName: merchant.displayName,
        merchantLogoUrl: merchant.logoUrl,
        merchantOrderId: payment.merchantOrderId,
        merchantUrl: merchant.merchantUrl,
        pspReferenceId: payment.pspReferenceId,
        amount: Number(payment.amount),
        currencyCode: payment.currency,
        allowedCardTypes: payment.allowedCardTypes.map((name) => ({
          name,
          encryptedPanCallbackUrl: `${callbacks}/card-data`,
          // Visa and Mastercard may arrive as network tokens (delegated authentication);
          // Dankort always comes as card data.
          tokenCallbackUrl: name === 'DANKORT' ? null : `${callbacks}/token`,
        })),
        ...checkoutFields(payment, callbacks),
        publicKeyId: payment.publicKeyId,
        // Online payments always have one (the create schema requires it).
        redirectFromMobilePayUrl: payment.redirectFromMobilePayUrl!,
        failedPaymentCallbackUrl: `${callbacks}/failed`,
        // Only where the platform takes it; elsewhere expiresAt is the platform's fixed lifetime.
        ...(this.config.payments.sendValidUntil
          ? { validUntil: payment.expiresAt.toISOString() }
          : {}),
      });
      if (!response.paymentId)
        throw new MobilePayError('no payment id in answer', 200, undefined, false);
      return await this.payments.markInitiated(payment.id, {
        mobilePayPaymentId: response.paymentId,
        redirectToMobilePayUrl: response.redirectToMobilePayUrl ?? null,
        redirectToMobilePayAppUrl: response.redirectToMobilePayAppUrl ?? null,
      });
    } catch (error) {
      if (error instanceof MobilePayError && !error.transient) {
        await this.payments.markFailed(payment.id);
        const mapped = error.code ? MOBILEPAY_CODES[error.code] : undefined;
        throw new DomainError(
          mapped?.code ?? ErrorCode.MobilePayRejected,
          mapped?.message ?? error.message,
          {
            mobilePayCode: error.code,
          },
        );
      }
      throw new DomainError(
        ErrorCode.MobilePayUnavailable,
        'MobilePay did not answer; retry with the same Idempotency-Key',
      );
    }
  }
}

function checkoutFields(payment: Payment, callbacks: string) {
  const options = payment.checkoutOptions as CreatePaymentDto['checkout'] | null;
  if (!options) return {};
  return {
    isCheckout: true,
    addressCallbackUrl: `${callbacks}/checkout`,
    deliveryAddressAllowed: options.deliveryAddressAllowed,
    deliveryAddressDisallowedReasonCode: options.deliveryAddressDisallowedReasonCode ?? null,
    deliveryLimitedTo: options.deliveryLimitedTo ?? null,
  };
}
