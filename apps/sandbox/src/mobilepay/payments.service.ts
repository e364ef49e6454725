import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { badRequest } from '../common/sandbox-error';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { MerchantsService } from './merchants.service';
import { conflict, MobilePayCode } from './mobilepay-codes';
import type { InitiatePaymentV3Request } from './online-api.types';
import { OpenApiValidatorService } from './openapi/openapi-validator.service';
import type { Payment } from './payment.model';
import { PaymentLifecycleService } from './payment-lifecycle.service';
import {
  ALLOWED_CARD_TYPES,
  checkoutProblem,
  isAcceptableCallbackUrl,
  normalizeCurrency,
} from './payment-rules';
import { PaymentsStore } from './payments.store';
import { PublicKeysStore } from './public-keys.store';

export interface InitiatePaymentResponse {
  paymentId: string;
  redirectToMobilePayUrl: string;
  redirectToMobilePayAppUrl: string;
}

@Injectable()
export class PaymentsService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PaymentsStore,
    private readonly merchants: MerchantsService,
    private readonly keys: PublicKeysStore,
    private readonly validator: OpenApiValidatorService,
    private readonly lifecycle: PaymentLifecycleService,
  ) {}

  initiate(clientId: string, body: unknown, baseUrl: string): InitiatePaymentResponse {
    const request = this.validator.assert<InitiatePaymentV3Request>(
      'InitiatePaymentV3Request',
      body,
    );
    this.merchants.usableFor(clientId, request.merchantId);
    if (request.allowedCardTypes.length === 0) throw conflict(MobilePayCode.CardTypesMissing);
    const invalid = request.allowedCardTypes.filter((c) => !ALLOWED_CARD_TYPES.includes(c.name));
    if (invalid.length > 0) {
      throw conflict(MobilePayCode.CardTypeInvalid, invalid.map((c) => c.name).join(', '));
    }
    const currencyCode = normalizeCurrency(request.currencyCode);
    if (!currencyCode) throw conflict(MobilePayCode.CurrencyInvalid, request.currencyCode);
    if (!this.keys.get(request.publicKeyId)) {
      throw conflict(MobilePayCode.PublicKeyUnknown, String(request.publicKeyId));
    }
    this.assertCallbackUrls(request);
    const checkout = checkoutProblem(request);
    if (checkout) throw badRequest(checkout);

    const existing = this.store.findByPspReference(request.merchantId, request.pspReferenceId);
    if (existing) return response(existing.paymentId, baseUrl);
    const { maxInitiationsPerOrder } = this.config.payments;
    if (
      this.store.initiationsOf(request.merchantId, request.merchantOrderId) >=
      maxInitiationsPerOrder
    ) {
      throw conflict(MobilePayCode.RequestFishing, request.merchantOrderId);
    }

    const payment = this.newPayment(clientId, request, currencyCode);
    this.store.add(payment);
    this.lifecycle.scheduleExpiry(payment);
    return response(payment.paymentId, baseUrl);
  }

  /** A payment of this client, or 2200 (another client's payment is indistinguishable from none). */
  owned(clientId: string, paymentId: string): Payment {
    const payment = this.store.get(paymentId);
    if (!payment || payment.clientId !== clientId) throw conflict(MobilePayCode.PaymentNotFound);
    return payment;
  }

  /** PaymentDetailsV3Response (cardpassthrough-2022) plus the payment's status. */
  details(clientId: string, paymentId: string): Record<string, unknown> {
    const p = this.owned(clientId, paymentId);
    return {
      merchantId: p.merchantId,
      merchantName: p.request.merchantName,
      merchantLogoUrl: p.request.merchantLogoUrl,
      merchantOrderId: p.merchantOrderId,
      merchantUrl: p.request.merchantUrl,
      pspReferenceId: p.pspReferenceId,
      amount: p.amount,
      currencyCode: p.currencyCode,
      allowedCardTypes: p.allowedCardTypes,
      preferVisaPartOfVisaDankort: false,
      publicKeyId: p.publicKeyId,
      redirectFromMobilePayUrl: p.request.redirectFromMobilePayUrl,
      deliveryAddressAllowed: p.request.deliveryAddressAllowed ?? null,
      deliveryAddressDisallowedReasonCode: p.request.deliveryAddressDisallowedReasonCode ?? null,
      status: p.status,
    };
  }

  private assertCallbackUrls(request: InitiatePaymentV3Request): void {
    const urls = [
      ...request.allowedCardTypes.flatMap((c) => [c.encryptedPanCallbackUrl, c.tokenCallbackUrl]),
      request.failedPaymentCallbackUrl,
      request.addressCallbackUrl,
    ].filter((u): u is string => typeof u === 'string');
    const bad = urls.filter((u) => !isAcceptableCallbackUrl(u, this.config.callbacks.httpHosts));
    if (bad.length > 0) {
      throw badRequest(
        'callback URLs must be https (http only to SANDBOX_HTTP_CALLBACK_HOSTS)',
        bad,
      );
    }
  }

  private newPayment(
    clientId: string,
    request: InitiatePaymentV3Request,
    currencyCode: string,
  ): Payment {
    const now = Date.now();
    const validUntil = request.validUntil ? Date.parse(request.validUntil) : NaN;
    return {
      paymentId: randomUUID(),
      clientId,
      request,
      merchantId: request.merchantId,
      pspReferenceId: request.pspReferenceId,
      merchantOrderId: request.merchantOrderId,
      amount: request.amount,
      currencyCode,
      allowedCardTypes: request.allowedCardTypes,
      publicKeyId: request.publicKeyId,
      status: 'INITIATED',
      createdAt: new Date(now).toISOString(),
      expiresAt: Number.isNaN(validUntil) ? now + this.config.payments.ttlMs : validUntil,
      authorizedAmount: 0,
      capturedAmount: 0,
      refundedAmount: 0,
      cancelledAmount: 0,
      operations: { capture: new Map(), cancel: new Map(), refund: new Map() },
      attempts: [],
      failedCallback: null,
    };
  }
}

function response(paymentId: string, baseUrl: string): InitiatePaymentResponse {
  return {
    paymentId,
    redirectToMobilePayUrl: `${baseUrl}/sandbox/v1/landing/${paymentId}`,
    redirectToMobilePayAppUrl: `mobilepayonline://online?paymentid=${paymentId}`,
  };
}
