import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type EpaymentConfig } from '@app/config';
import { CardKeyRing } from '@app/crypto';
import { DomainError, ErrorCode, parseCurrency, type CardType } from '@app/domain';
import {
  EpaymentClient,
  EpaymentError,
  toEpaymentCardType,
  type CreatePaymentRequest,
  type EpaymentCardType,
} from '@app/epayment';
import {
  EpaymentRepository,
  PaymentRepository,
  type Merchant,
  type Payment,
} from '@app/persistence';
import type { IdempotencyContext } from '../idempotency/idempotency.service';
import type { CreatePaymentDto } from '../payments/payment.dto';
import { toPaymentView, type PaymentView } from '../payments/payment.view';

/** Card types the ePayment API offers (no Electron). */
const EPAYMENT_CARD_TYPES: CardType[] = [
  'VISA-DEBIT',
  'VISA-CREDIT',
  'MC-DEBIT',
  'MC-CREDIT',
  'DANKORT',
];

/** Documented default expiry of an ePayment payment. */
const EPAYMENT_TTL_MS = 10 * 60_000;

/**
 * `POST /v1/payments` for a merchant on the ePayment channel: the payment is stored first (same
 * request-fishing guard and idempotency as online), then created at Vipps MobilePay with
 * `paymentMethod.type: CARD_PASSTHROUGH` and our card callback; the same Idempotency-Key goes to
 * Vipps MobilePay on every retry, so a lost answer never creates a second payment.
 */
@Injectable()
export class EpaymentPaymentsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly payments: PaymentRepository,
    private readonly epaymentPayments: EpaymentRepository,
    private readonly client: EpaymentClient,
    private readonly keyRing: CardKeyRing,
  ) {}

  async create(
    merchant: Merchant,
    dto: CreatePaymentDto,
    idempotency?: IdempotencyContext,
  ): Promise<PaymentView> {
    const epayment = this.config.epayment;
    if (!epayment || !merchant.epaymentMsn)
      throw new DomainError(
        ErrorCode.MerchantNotOnboarded,
        'merchant has no ePayment identity (MSN)',
      );
    const userFlow = dto.userFlow ?? 'WEB_REDIRECT';
    if (
      (userFlow === 'WEB_REDIRECT' || userFlow === 'NATIVE_REDIRECT') &&
      !dto.redirectFromMobilePayUrl
    )
      throw invalid('redirectFromMobilePayUrl', `is required with ${userFlow}`);
    if (userFlow === 'PUSH_MESSAGE' && !dto.customerPhoneNumber)
      throw invalid('customerPhoneNumber', 'is required with PUSH_MESSAGE');
    if (dto.checkout) throw invalid('checkout', 'is not available on the ePayment channel');
    const cardTypes = dto.allowedCardTypes ?? EPAYMENT_CARD_TYPES;
    if (cardTypes.some((type) => !EPAYMENT_CARD_TYPES.includes(type)))
      throw new DomainError(
        ErrorCode.UnsupportedCardType,
        'card type not offered by the ePayment API',
      );
    if (idempotency?.resourceId) {
      const earlier = await this.payments.findForMerchant(merchant.id, idempotency.resourceId);
      if (earlier)
        return toPaymentView(
          earlier.status === 'CREATED' ? await this.createAtVipps(epayment, earlier, dto) : earlier,
        );
    }
    const id = randomUUID();
    const outcome = await this.payments.create(
      {
        id,
        merchantId: merchant.id,
        pspReferenceId: id,
        merchantOrderId: dto.orderId,
        amount: BigInt(dto.amount),
        currency: parseCurrency(dto.currency),
        allowedCardTypes: cardTypes,
        redirectFromMobilePayUrl: dto.redirectFromMobilePayUrl ?? null,
        publicKeyId: this.keyRing.activeKeyId,
        expiresAt: new Date(Date.now() + EPAYMENT_TTL_MS),
        channel: 'EPAYMENT',
        epaymentReference: id,
        epaymentMsn: merchant.epaymentMsn,
        userFlow,
        customerInteraction: dto.customerPresent ? 'CUSTOMER_PRESENT' : 'CUSTOMER_NOT_PRESENT',
      },
      this.config.payments.maxInitiationsPerOrder,
      idempotency?.recordId,
    );
    if (outcome.kind === 'too-many-initiations')
      throw new DomainError(
        ErrorCode.RequestFishing,
        `order ${dto.orderId} was already initiated ${this.config.payments.maxInitiationsPerOrder} times`,
      );
    return toPaymentView(await this.createAtVipps(epayment, outcome.payment, dto));
  }

  private async createAtVipps(
    epayment: EpaymentConfig,
    payment: Payment,
    dto: CreatePaymentDto,
  ): Promise<Payment> {
    const body: CreatePaymentRequest = {
      amount: { currency: payment.currency, value: Number(payment.amount) },
      paymentMethod: { type: 'CARD_PASSTHROUGH' },
      cardPassthrough: {
        pspReference: payment.pspReferenceId,
        cardCallbackUrl: `${this.config.publicBaseUrl}/callbacks/epayment/card`,
        allowedCardTypes: payment.allowedCardTypes.map(
          (type) => toEpaymentCardType(type as CardType) as EpaymentCardType,
        ),
        preferVisaPartOfVisaDankort: epayment.preferVisaPartOfVisaDankort,
        ...(epayment.publicEncryptionKeyId
          ? { publicEncryptionKeyId: epayment.publicEncryptionKeyId }
          : {}),
        ...(epayment.callback.legacyAuthHeader
          ? { cardCallbackAuthHeader: epayment.callback.legacyAuthHeader.reveal() }
          : {}),
      },
      reference: payment.epaymentReference!,
      userFlow: (payment.userFlow ?? 'WEB_REDIRECT') as CreatePaymentRequest['userFlow'],
      ...(payment.redirectFromMobilePayUrl ? { returnUrl: payment.redirectFromMobilePayUrl } : {}),
      ...(dto.customerPhoneNumber ? { customer: { phoneNumber: dto.customerPhoneNumber } } : {}),
      customerInteraction:
        payment.customerInteraction as CreatePaymentRequest['customerInteraction'],
      paymentDescription: dto.description ?? `Order ${payment.merchantOrderId}`.slice(0, 100),
    };
    try {
      const created = await this.client.createPayment(
        payment.epaymentMsn!,
        body,
        `create-${payment.id}`,
      );
      return await this.epaymentPayments.markCreated(payment.id, created.redirectUrl ?? null);
    } catch (error) {
      if (error instanceof EpaymentError && !error.transient) {
        await this.payments.markFailed(payment.id);
        throw new DomainError(
          ErrorCode.MobilePayRejected,
          `Vipps MobilePay refused: ${error.message}`,
          {
            epaymentStatus: error.status,
            epaymentCode: error.code,
          },
        );
      }
      throw new DomainError(
        ErrorCode.MobilePayUnavailable,
        'Vipps MobilePay did not answer; retry with the same Idempotency-Key',
      );
    }
  }
}

function invalid(path: string, rule: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, `${path} ${rule}`, {
    issues: [{ path, rule: 'custom' }],
  });
}
