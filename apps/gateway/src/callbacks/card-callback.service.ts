import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CardKeyRing } from '@app/crypto';
import {
  DomainError,
  ErrorCode,
  ReasonCode,
  luhnValid,
  maskPan,
  notExpired,
  ticksToEpochMillis,
} from '@app/domain';
import {
  CardPlaintextError,
  parseCardPlaintext,
  type CardDataCallback,
  type CardPlaintext,
} from '@app/mobilepay';
import { AttemptIntakeService, type CallbackAck } from './attempt-intake.service';

/** Card-data callback: decrypt once, check the plaintext, then hand over to the shared intake. */
@Injectable()
export class CardCallbackService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keyRing: CardKeyRing,
    private readonly intake: AttemptIntakeService,
  ) {}

  async accept(callback: CardDataCallback): Promise<CallbackAck> {
    const opened = await this.intake.open(
      callback.PaymentId,
      callback.AuthorizationAttemptId,
      callback.CardType,
    );
    if (opened.kind === 'duplicate') return opened.ack;
    const card = await this.decrypt(callback);
    const facts = {
      id: callback.AuthorizationAttemptId,
      cardType: callback.CardType,
      kind: 'PAN' as const,
      maskedCardNumber: maskPan(card.pan),
    };
    const rejection = this.check(card, new Date());
    if (rejection)
      return this.intake.reject(opened.payment, facts, rejection.reasonCode, rejection.message);
    return this.intake.admit(opened.payment, facts, {
      kind: 'pan',
      number: card.pan,
      expiryMonth: card.expiryMonth,
      expiryYear: card.expiryYear,
    });
  }

  private async decrypt(callback: CardDataCallback): Promise<CardPlaintext> {
    let plaintext: Buffer | undefined;
    try {
      plaintext = await this.keyRing.decrypt(
        callback.PublicKeyId,
        Buffer.from(callback.EncryptedCardData, 'base64'),
      );
    } catch {
      throw new DomainError(ErrorCode.UndecryptableCardData, 'card data could not be decrypted');
    }
    if (!plaintext) {
      throw new DomainError(
        ErrorCode.UnknownPublicKey,
        `public key ${callback.PublicKeyId} is not known`,
      );
    }
    try {
      return parseCardPlaintext(plaintext);
    } catch (error) {
      const message =
        error instanceof CardPlaintextError ? error.message : 'card data is malformed';
      throw new DomainError(ErrorCode.InvalidCardData, message);
    } finally {
      plaintext.fill(0);
    }
  }

  /** Replay guard, Luhn and expiry. The timestamp window is the defence against replayed payloads. */
  private check(
    card: CardPlaintext,
    now: Date,
  ): { reasonCode: number; message: string } | undefined {
    const age = now.getTime() - ticksToEpochMillis(card.timestampTicks);
    if (Math.abs(age) > this.config.cardKeys.timestampWindowMs) {
      return {
        reasonCode: ReasonCode.PermanentError,
        message: 'card data timestamp outside the accepted window',
      };
    }
    if (!luhnValid(card.pan)) {
      return {
        reasonCode: ReasonCode.PermanentError,
        message: 'card number failed the Luhn check',
      };
    }
    if (!notExpired(card.expiryMonth, card.expiryYear, now)) {
      return { reasonCode: ReasonCode.CardExpired, message: 'card expired' };
    }
    return undefined;
  }
}
