import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Callback, CallbackDeliveryService } from './callback-delivery.service';
import { cardPlaintext, encryptCardData } from './card-data.encryptor';
import { type CheckoutChoice, checkoutCallbackBody } from './checkout-address.factory';
import { NetworkTokenVaultStore } from './network-token-vault.store';
import type { AllowedCardType } from './online-api.types';
import type { Attempt, Payment } from './payment.model';
import { tokenBrandOf, tokenCallback, type TokenChoice } from './token-callback.factory';
import type { WalletCard } from './test-wallet';

/** The guide: "please reply HTTP code 501, we will then immediately fail over". */
const TOKEN_DECLINED = 501;

export interface CardCallbackPlan {
  target: AllowedCardType;
  key: KeyObject;
  publicKeyId: number;
  ticks: string;
  /** Set when the token callback goes first. */
  token?: TokenChoice;
}

/** The callbacks of one authorization attempt: Checkout address, then token and/or card data. */
@Injectable()
export class AuthorizationCallbacksService {
  constructor(
    private readonly delivery: CallbackDeliveryService,
    private readonly vault: NetworkTokenVaultStore,
  ) {}

  /** Resolves true once the address callback was acked. */
  async deliverCheckout(
    payment: Payment,
    attempt: Attempt,
    choice: CheckoutChoice,
  ): Promise<boolean> {
    const url = payment.request.addressCallbackUrl;
    if (!url) return true;
    const body = checkoutCallbackBody(
      { PaymentId: payment.paymentId, AuthorizationAttemptId: attempt.authorizationAttemptId },
      payment.request.deliveryAddressAllowed !== false,
      choice,
    );
    const checkout = {
      status: 'delivering' as const,
      addresses: (body.Addresses as unknown[]).length,
      deliveries: [],
    };
    attempt.checkout = checkout;
    const outcome = await this.delivery.deliver(
      { ...ids(attempt), url, kind: 'address', body: JSON.stringify(body) },
      checkout.deliveries,
    );
    attempt.checkout = { ...checkout, status: outcome === 'acked' ? 'acked' : 'failed' };
    return outcome === 'acked';
  }

  /**
   * The token callback when planned (a 501 answer fails over at once to card data, same attempt),
   * else the encrypted card-data callback. Resolves the acked callback, or null.
   */
  async deliverCard(
    attempt: Attempt,
    card: WalletCard,
    plan: CardCallbackPlan,
  ): Promise<Callback | null> {
    const brand = tokenBrandOf(card.cardType);
    if (plan.token && brand && plan.target.tokenCallbackUrl) {
      const built = tokenCallback(ids(attempt), card, brand, plan.token);
      this.vault.remember(built.token, card.pan);
      attempt.callbackKind = 'token';
      attempt.token = built.summary;
      const callback: Callback = {
        ...ids(attempt),
        url: plan.target.tokenCallbackUrl,
        kind: 'token',
        body: JSON.stringify(built.payload),
        view: built.view,
        failOverOn: TOKEN_DECLINED,
      };
      const outcome = await this.delivery.deliver(callback, attempt.deliveries);
      if (outcome === 'acked') return callback;
      if (outcome === 'failed') return null;
      attempt.failedOver = true;
    }
    attempt.callbackKind = 'card-data';
    const callback: Callback = {
      ...ids(attempt),
      url: plan.target.encryptedPanCallbackUrl,
      kind: 'card-data',
      body: JSON.stringify({
        EncryptedCardData: encryptCardData(plan.key, cardPlaintext(card, plan.ticks)),
        PaymentId: attempt.paymentId,
        AuthorizationAttemptId: attempt.authorizationAttemptId,
        PublicKeyId: plan.publicKeyId,
        CardType: card.cardType,
      }),
    };
    return (await this.delivery.deliver(callback, attempt.deliveries)) === 'acked'
      ? callback
      : null;
  }
}

function ids(attempt: Attempt): { paymentId: string; authorizationAttemptId: string } {
  return { paymentId: attempt.paymentId, authorizationAttemptId: attempt.authorizationAttemptId };
}
