import { Injectable, Logger } from '@nestjs/common';
import {
  canStillTakeAttempt,
  DomainError,
  ErrorCode,
  type PaymentValidity,
  validityHasLapsed,
} from '@app/domain';
import type { CheckoutCallback, FailedPaymentCallback } from '@app/mobilepay';
import { type Payment, PaymentRepository } from '@app/persistence';

const notPayable = () =>
  new DomainError(ErrorCode.PaymentNotPayable, 'payment can no longer take an attempt');

function validityOf(payment: Payment): PaymentValidity {
  return { expiresAt: payment.expiresAt, checkout: payment.checkoutOptions !== null };
}

/**
 * Callbacks about the payment rather than a card: Checkout addresses and expiry. Neither carries
 * proof that MobilePay sent it (the sender checks are the proof, and they are configurable), so
 * neither may change what the payment's own state and validity rule out:
 *
 * - a failed-payment callback ("payment expired") expires the payment only once its validity has
 *   lapsed by our clock (give or take the clock margin; Checkout payments get MobilePay's extra
 *   15 minutes). Earlier it is recorded in the log and answered `recorded`; the janitor expires
 *   the payment when its validity really ends. MobilePay cannot be asked instead: the 2022 spec's
 *   `GET /api/v3/payments/{id}` answers PaymentDetailsV3Response, which carries no state
 *   (`additionalProperties: false`), and the 2024 API has no such call.
 * - a Checkout callback is stored only while the payment can still take an attempt (open, within
 *   its validity); an authorized or ended payment's addresses are never overwritten (409
 *   payment_not_payable).
 */
@Injectable()
export class PaymentCallbackService {
  private readonly logger = new Logger(PaymentCallbackService.name);

  constructor(private readonly payments: PaymentRepository) {}

  /** Arrives before the card callback; stored on the payment and announced to the merchant. */
  async checkout(callback: CheckoutCallback): Promise<{ status: 'stored' }> {
    const payment = await this.payments.findByMobilePayId(callback.PaymentId);
    if (!payment) throw new DomainError(ErrorCode.UnknownPayment, 'payment is not known here');
    if (!canStillTakeAttempt(validityOf(payment))) throw notPayable();
    const details = {
      authorizationAttemptId: callback.AuthorizationAttemptId ?? null,
      addresses: callback.Addresses.map((a) => ({
        firstName: a.FirstName ?? null,
        surname: a.Surname ?? null,
        attention: a.Attention ?? null,
        companyName: a.CompanyName ?? null,
        addressLine1: a.AddressLine1 ?? null,
        addressLine2: a.AddressLine2 ?? null,
        postalCode: a.PostalCode ?? null,
        city: a.City ?? null,
        countryCode: a.CountryCode ?? null,
        isCustomerOfficialAddress: a.IsCustomerOfficialAddress ?? null,
        isBillingAddress: a.IsBillingAddress,
        isDeliveryAddress: a.IsDeliveryAddress,
        validationMethod: a.AddressValidationMethod ?? null,
        validationStatus: a.AddressValidationStatus ?? null,
      })),
      email: contact(
        callback.EmailAddress,
        callback.EmailAddressValidationMethod,
        callback.EmailAddressValidationStatus,
      ),
      phone: contact(
        callback.PhoneNumber,
        callback.PhoneNumberValidationMethod,
        callback.PhoneNumberValidationStatus,
      ),
    };
    const key = `address:${callback.PaymentId}:${callback.AuthorizationAttemptId ?? 'payment'}`;
    if (!(await this.payments.saveCheckoutDetails(payment, details, key))) throw notPayable();
    return { status: 'stored' };
  }

  async failed(
    callback: FailedPaymentCallback,
  ): Promise<{ status: 'expired' | 'unchanged' | 'recorded' }> {
    const payment = await this.payments.findByMobilePayId(callback.PaymentId);
    if (!payment) throw new DomainError(ErrorCode.UnknownPayment, 'payment is not known here');
    if (!validityHasLapsed(validityOf(payment))) {
      this.logger.warn(
        { paymentId: payment.id, code: callback.Code, expiresAt: payment.expiresAt.toISOString() },
        'failed-payment callback before the payment validity ended: recorded, payment left open',
      );
      return { status: 'recorded' };
    }
    const changed = await this.payments.expire(payment, {
      code: callback.Code,
      reason: callback.Reason ?? null,
    });
    this.logger.log(
      { paymentId: payment.id, code: callback.Code, changed },
      'failed-payment callback',
    );
    return { status: changed ? 'expired' : 'unchanged' };
  }
}

function contact(
  value: string | null | undefined,
  method: string | null | undefined,
  status: string | null | undefined,
) {
  return value
    ? { value, validationMethod: method ?? null, validationStatus: status ?? null }
    : null;
}
