/**
 * When MobilePay stops letting the shopper pay. We send `validUntil` = our `expiresAt`; for a
 * 3-D Secure or Checkout payment MobilePay "will override and extend the remaining time with
 * 15min" (InitiatePaymentRequest.validUntil, 2024 spec), so a Checkout payment stays payable that
 * much longer at MobilePay than our own timestamp says.
 */
export const MOBILEPAY_VALIDITY_EXTENSION_MS = 15 * 60_000;

/**
 * How far our clock and MobilePay's may disagree. MobilePay retries a callback for 15 s (guide,
 * "Callbacks"): the span in which it treats the two sides as not yet in agreement. A callback
 * claiming expiry is believed from this long before the validity ends by our clock.
 */
export const MOBILEPAY_CLOCK_MARGIN_MS = 15_000;

export interface PaymentValidity {
  expiresAt: Date;
  /** Checkout was requested: MobilePay adds its 15 minutes. */
  checkout: boolean;
}

/** When the payment can no longer take an attempt at MobilePay, by MobilePay's rules. */
export function validityEndsAt(payment: PaymentValidity): Date {
  const extension = payment.checkout ? MOBILEPAY_VALIDITY_EXTENSION_MS : 0;
  return new Date(payment.expiresAt.getTime() + extension);
}

/**
 * Whether a failed-payment callback ("payment expired") can be true: only once the validity has
 * ended, give or take the clock margin. Before that the callback alone is no proof — anyone who
 * learns a payment id could send one and end a payment the shopper is still paying.
 */
export function validityHasLapsed(payment: PaymentValidity, now: Date = new Date()): boolean {
  return now.getTime() >= validityEndsAt(payment).getTime() - MOBILEPAY_CLOCK_MARGIN_MS;
}

/** Whether MobilePay may still send an attempt (and its Checkout addresses) for the payment. */
export function canStillTakeAttempt(payment: PaymentValidity, now: Date = new Date()): boolean {
  return now.getTime() < validityEndsAt(payment).getTime() + MOBILEPAY_CLOCK_MARGIN_MS;
}
