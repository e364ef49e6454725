import { Injectable, Logger } from '@nestjs/common';
import { AcquirerRouter } from '@app/acquirers';
import type { SealedCard } from '@app/crypto';
import { DomainError, ErrorCode, ReasonCode, maskPan, notExpired } from '@app/domain';
import type { TokenCallback } from '@app/mobilepay';
import { AttemptIntakeService, type CallbackAck } from './attempt-intake.service';

/**
 * Token callback (VTS or MC S4C). When the routed acquirer cannot use this token we say so at
 * once with 501 and store nothing: MobilePay then sends the encrypted card data instead.
 */
@Injectable()
export class TokenCallbackService {
  private readonly logger = new Logger(TokenCallbackService.name);

  constructor(
    private readonly router: AcquirerRouter,
    private readonly intake: AttemptIntakeService,
  ) {}

  /** `raw`: the callback as received, sealed whole for acquirers that take it (payment_token). */
  async accept(callback: TokenCallback, raw?: unknown): Promise<CallbackAck> {
    const attemptId = (callback.authorizationAttemptId ?? callback.agreementId)!;
    const opened = await this.intake.open(callback.paymentId, attemptId, callback.cardType);
    if (opened.kind === 'duplicate') return opened.ack;
    // The same routing the worker will use: the merchant's own routes over the platform's.
    const routed = this.router.routeToken(
      callback.cardType,
      callback.cardIssuedInCountryCode,
      callback.tokenMethod,
      opened.payment.acquirerRoutes,
    );
    const card = routed ? toSealedToken(callback, raw) : undefined;
    if (!card) {
      this.logger.log(
        { attemptId, tokenMethod: callback.tokenMethod, routed: !!routed },
        'token not usable; asking for card data',
      );
      throw new DomainError(
        ErrorCode.TokenNotSupported,
        'token cannot be used for this payment; send card data',
      );
    }
    const facts = {
      id: attemptId,
      cardType: callback.cardType,
      kind: 'NETWORK_TOKEN' as const,
      maskedCardNumber: maskedFromCallback(callback.maskedCardNumber) ?? maskPan(card.token),
      tokenMethod: callback.tokenMethod,
      cardIssuedInCountryCode: callback.cardIssuedInCountryCode ?? null,
    };
    if (!notExpired(card.expiryMonth, card.expiryYear)) {
      return this.intake.reject(opened.payment, facts, ReasonCode.CardExpired, 'token expired');
    }
    return this.intake.admit(opened.payment, facts, card);
  }
}

type SealedToken = Extract<SealedCard, { kind: 'network-token' }>;

/** The token as an authorization needs it, or undefined when MobilePay left a part of it out. */
function toSealedToken(callback: TokenCallback, raw: unknown): SealedToken | undefined {
  const parts =
    callback.tokenMethod === 'VTS'
      ? {
          token: callback.tokenData.tokenInfo?.token,
          month: callback.tokenData.tokenInfo?.expirationDate?.month,
          year: callback.tokenData.tokenInfo?.expirationDate?.year,
          cryptogram: callback.tokenData.cryptogramInfo?.cryptogram,
          eci: callback.tokenData.cryptogramInfo?.eci,
        }
      : {
          token: callback.tokenData.token?.paymentToken,
          month: callback.tokenData.token?.tokenExpirationMonth,
          year: callback.tokenData.token?.tokenExpirationYear,
          cryptogram: callback.tokenData.dynamicData?.dynamicDataValue,
          eci: callback.tokenData.eci,
        };
  const { token, month, year, cryptogram, eci } = parts;
  if (!token || !month || !year || !cryptogram || !eci) return undefined;
  return {
    kind: 'network-token',
    tokenMethod: callback.tokenMethod,
    token,
    expiryMonth: Number(month),
    expiryYear: Number(year),
    cryptogram,
    eci,
    ...(raw === undefined ? {} : { paymentToken: JSON.stringify(raw) }),
  };
}

/** MobilePay masks as "479694XXXXXX1234"; we keep our own form (first 6, last 4). */
function maskedFromCallback(masked: string | null | undefined): string | null {
  if (!masked || !/^\d{6}[X*]+\d{4}$/i.test(masked)) return null;
  return `${masked.slice(0, 6)}${'*'.repeat(masked.length - 10)}${masked.slice(-4)}`;
}
