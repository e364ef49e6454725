import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import type { CheckoutCallback, FailedPaymentCallback } from '@app/mobilepay';
import { PaymentRepository } from '@app/persistence';

/** Callbacks about the payment rather than a card: Checkout addresses and expiry. */
@Injectable()
export class PaymentCallbackService {
  private readonly logger = new Logger(PaymentCallbackService.name);

  constructor(private readonly payments: PaymentRepository) {}

  /** Arrives before the card callback; stored on the payment and announced to the merchant. */
  async checkout(callback: CheckoutCallback): Promise<{ status: 'stored' }> {
    const payment = await this.payments.findByMobilePayId(callback.PaymentId);
    if (!payment) throw new DomainError(ErrorCode.UnknownPayment, 'payment is not known here');
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
    await this.payments.saveCheckoutDetails(payment, details, key);
    return { status: 'stored' };
  }

  async failed(callback: FailedPaymentCallback): Promise<{ status: 'expired' | 'unchanged' }> {
    const payment = await this.payments.findByMobilePayId(callback.PaymentId);
    if (!payment) throw new DomainError(ErrorCode.UnknownPayment, 'payment is not known here');
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
