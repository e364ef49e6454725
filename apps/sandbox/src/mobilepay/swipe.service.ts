import { Injectable } from '@nestjs/common';
import { badRequest } from '../common/sandbox-error';
import { FaultsStore } from '../inspection/faults.store';
import { AuthorizationAttemptsService } from './authorization-attempts.service';
import { AuthorizationCallbacksService } from './authorization-callbacks.service';
import { CallbackDeliveryService } from './callback-delivery.service';
import { dotNetTicks } from './card-data.encryptor';
import { conflict, MobilePayCode } from './mobilepay-codes';
import type { AllowedCardType } from './online-api.types';
import { newAttempt } from './attempt.factory';
import type { Attempt, AttemptState, Payment } from './payment.model';
import { assertAcceptable } from './payment-lifecycle.service';
import { PaymentsStore } from './payments.store';
import { PublicKeysStore } from './public-keys.store';
import type { WalletCard } from './test-wallet';
import { tokenBrandOf, type TokenChoice } from './token-callback.factory';

export interface SwipeOptions {
  timestampTicks?: string;
  duplicateDeliveries?: number;
  /** Default: true when the card type has a tokenCallbackUrl and the card is Visa/Mastercard. */
  tokenize?: boolean;
  cardIssuedInCountryCode?: 'DK' | 'FI';
  isDelegatedAuthentication?: boolean;
  deliveryAddressDifferent?: boolean;
  phoneNumber?: string;
}

export interface SwipeResult {
  paymentId: string;
  authorizationAttemptId: string;
  state: AttemptState;
  callbackStatus: 'acked' | 'failed';
  callbackKind: 'card-data' | 'token' | null;
  failedOver: boolean;
  cardType: string;
  maskedCardNumber: string;
  deliveries: number;
}

/** The user swipes: a new authorization attempt and its callbacks to the PSP. */
@Injectable()
export class SwipeService {
  constructor(
    private readonly store: PaymentsStore,
    private readonly keys: PublicKeysStore,
    private readonly delivery: CallbackDeliveryService,
    private readonly callbacks: AuthorizationCallbacksService,
    private readonly attempts: AuthorizationAttemptsService,
    private readonly faults: FaultsStore,
  ) {}

  payable(paymentId: string): Payment {
    const payment = this.store.get(paymentId);
    if (!payment) throw conflict(MobilePayCode.PaymentNotFound);
    assertAcceptable(payment);
    return payment;
  }

  /** Resolves once the card callback was acked, or once a retry window ran out. */
  async swipe(
    payment: Payment,
    card: WalletCard,
    options: SwipeOptions = {},
  ): Promise<SwipeResult> {
    const target = payment.allowedCardTypes.find((c) => c.name === card.cardType);
    if (!target) throw conflict(MobilePayCode.NoEligibleCard, `${card.cardType} is not allowed`);
    const key = this.keys.get(payment.publicKeyId);
    if (!key) throw conflict(MobilePayCode.PublicKeyUnknown, String(payment.publicKeyId));
    const token = tokenChoice(target, card, options);
    // Re-checked here: the caller may have awaited between `payable` and now.
    this.payable(payment.paymentId);

    const checkout = payment.request.isCheckout === true && !!payment.request.addressCallbackUrl;
    const attempt = newAttempt(payment, card, checkout ? 'checkout' : 'delivering');
    this.store.addAttempt(payment, attempt);
    if (checkout) {
      const acked = await this.callbacks.deliverCheckout(payment, attempt, {
        deliveryAddressDifferent: options.deliveryAddressDifferent ?? false,
        phoneNumber: options.phoneNumber,
      });
      // Invalidated or expired meanwhile: the card callback is never made.
      if (!acked || payment.status !== 'INITIATED') {
        attempt.state = acked ? 'abandoned' : 'callback-failed';
        attempt.callbackStatus = 'failed';
        return result(attempt);
      }
      attempt.state = 'delivering';
    }

    const ticks = options.timestampTicks ?? dotNetTicks();
    const plan = { target, key, publicKeyId: payment.publicKeyId, ticks, token };
    const acked = await this.callbacks.deliverCard(attempt, card, plan);
    attempt.callbackStatus = acked ? 'acked' : 'failed';
    if (attempt.state === 'delivering') {
      attempt.state = acked ? 'awaiting-patch' : 'callback-failed';
      if (acked) this.attempts.startDeadline(attempt);
    }
    const duplicates = options.duplicateDeliveries ?? this.faults.current().duplicateCallbacks;
    for (let i = 0; acked && i < duplicates; i++) {
      await this.delivery.deliverDuplicate(acked, attempt.deliveries);
    }
    return result(attempt);
  }
}

function tokenChoice(
  target: AllowedCardType,
  card: WalletCard,
  options: SwipeOptions,
): TokenChoice | undefined {
  const tokenizable = tokenBrandOf(card.cardType) !== null && !!target.tokenCallbackUrl;
  if (options.tokenize === true && !tokenizable) {
    throw badRequest(
      `tokenize: ${card.cardType} cannot be tokenized here (Visa/Mastercard with a tokenCallbackUrl only)`,
    );
  }
  if (!(options.tokenize ?? tokenizable)) return undefined;
  return {
    cardIssuedInCountryCode: options.cardIssuedInCountryCode ?? 'DK',
    isDelegatedAuthentication: options.isDelegatedAuthentication ?? false,
  };
}

function result(attempt: Attempt): SwipeResult {
  return {
    paymentId: attempt.paymentId,
    authorizationAttemptId: attempt.authorizationAttemptId,
    state: attempt.state,
    callbackStatus: attempt.callbackStatus === 'acked' ? 'acked' : 'failed',
    callbackKind: attempt.callbackKind,
    failedOver: attempt.failedOver,
    cardType: attempt.cardType,
    maskedCardNumber: attempt.maskedCardNumber,
    deliveries: attempt.deliveries.length,
  };
}
