import {
  canStillTakeAttempt,
  MOBILEPAY_CLOCK_MARGIN_MS,
  MOBILEPAY_VALIDITY_EXTENSION_MS,
  validityEndsAt,
  validityHasLapsed,
} from './payment-validity';

describe('payment validity as MobilePay applies it', () => {
  const expiresAt = new Date('2026-12-04T12:00:00.000Z');
  const at = (offsetMs: number) => new Date(expiresAt.getTime() + offsetMs);
  const plain = { expiresAt, checkout: false };
  const checkout = { expiresAt, checkout: true };

  it('ends at validUntil, or 15 minutes later for a Checkout payment', () => {
    expect(validityEndsAt(plain)).toEqual(expiresAt);
    expect(validityEndsAt(checkout)).toEqual(at(MOBILEPAY_VALIDITY_EXTENSION_MS));
  });

  it('does not believe an expiry while the payment is still valid', () => {
    expect(validityHasLapsed(plain, at(-60_000))).toBe(false);
    expect(validityHasLapsed(plain, at(-MOBILEPAY_CLOCK_MARGIN_MS - 1))).toBe(false);
    expect(validityHasLapsed(checkout, at(60_000))).toBe(false);
  });

  it('believes it from the clock margin before the end on', () => {
    expect(validityHasLapsed(plain, at(-MOBILEPAY_CLOCK_MARGIN_MS))).toBe(true);
    expect(validityHasLapsed(plain, at(1))).toBe(true);
    expect(validityHasLapsed(checkout, at(MOBILEPAY_VALIDITY_EXTENSION_MS))).toBe(true);
  });

  it('takes attempts until the end, plus the clock margin', () => {
    expect(canStillTakeAttempt(plain, at(-1))).toBe(true);
    expect(canStillTakeAttempt(plain, at(MOBILEPAY_CLOCK_MARGIN_MS - 1))).toBe(true);
    expect(canStillTakeAttempt(plain, at(MOBILEPAY_CLOCK_MARGIN_MS))).toBe(false);
    expect(canStillTakeAttempt(checkout, at(10 * 60_000))).toBe(true);
  });
});
