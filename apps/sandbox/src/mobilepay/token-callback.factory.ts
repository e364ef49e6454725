import type { TokenSummary } from './payment.model';
import { maskPan } from './payment-rules';
import {
  cryptogram,
  hexId,
  maskSecret,
  networkToken,
  paymentAccountReference,
  type TokenBrand,
} from './network-token.generator';
import type { WalletCard } from './test-wallet';

export interface TokenChoice {
  cardIssuedInCountryCode: 'DK' | 'FI';
  isDelegatedAuthentication: boolean;
}

export interface TokenCallback {
  payload: Record<string, unknown>;
  /** The payload with the token and the cryptogram masked: what events and inspection show. */
  view: Record<string, unknown>;
  summary: TokenSummary;
  token: string;
}

/** Visa (incl. Electron) goes through VTS, Mastercard through MC S4C; Dankort is never tokenized. */
export function tokenBrandOf(cardType: string): TokenBrand | null {
  if (cardType.startsWith('VISA-') || cardType === 'ELEC-DEBIT') return 'visa';
  if (cardType.startsWith('MC-')) return 'mastercard';
  return null;
}

/**
 * The token callback in the 2024 spec's shapes (VisaTokenCallbackPayload /
 * MastercardTokenCallbackPayload) plus `authorizationAttemptId`, as the guide's examples carry it.
 */
export function tokenCallback(
  ids: { paymentId: string; authorizationAttemptId: string },
  card: WalletCard,
  brand: TokenBrand,
  choice: TokenChoice,
): TokenCallback {
  const token = networkToken(brand);
  const secret = cryptogram();
  const month = String(card.expiryMonth).padStart(2, '0');
  const year = String(2000 + (card.expiryYear % 100));
  const head = {
    ...ids,
    cardType: card.cardType,
    cardIssuedInCountryCode: choice.cardIssuedInCountryCode,
    maskedCardNumber: maskPan(card.pan, 'X'),
  };
  const masked = { token: maskPan(token), secret: maskSecret(secret) };
  const built =
    brand === 'visa'
      ? visaPayload(head, card, token, secret, { month, year }, choice.isDelegatedAuthentication)
      : mastercardPayload(head, token, secret, { month, year });
  // The view differs from the payload only in the two secrets.
  const view = JSON.parse(
    JSON.stringify(built.payload).replaceAll(token, masked.token).replaceAll(secret, masked.secret),
  ) as Record<string, unknown>;
  const delegated = brand === 'visa' ? choice.isDelegatedAuthentication : undefined;
  return {
    payload: built.payload,
    view,
    summary: summary(built.tokenMethod, masked.token, built.eci, choice, delegated),
    token,
  };
}

interface Built {
  payload: Record<string, unknown>;
  tokenMethod: TokenSummary['tokenMethod'];
  eci: string;
}

function visaPayload(
  head: Record<string, unknown>,
  card: WalletCard,
  token: string,
  secret: string,
  expirationDate: { month: string; year: string },
  isDelegatedAuthentication: boolean,
): Built {
  const eci = isDelegatedAuthentication ? '05' : '07';
  const payload = {
    ...head,
    tokenMethod: 'VTS',
    cardDataType: 'VTS',
    tokenData: {
      vPaymentDataID: hexId(),
      cryptogramInfo: { cryptogram: secret, eci },
      paymentInstrument: {
        last4: card.pan.slice(-4),
        paymentType: { cardBrand: 'VISA' },
        paymentAccountReference: paymentAccountReference('visa'),
      },
      tokenInfo: { token, last4: token.slice(-4), expirationDate },
    },
    isDelegatedAuthentication,
  };
  return { payload, tokenMethod: 'VTS', eci };
}

function mastercardPayload(
  head: Record<string, unknown>,
  token: string,
  secret: string,
  expiry: { month: string; year: string },
): Built {
  const eci = '02';
  const payload = {
    ...head,
    tokenMethod: 'MC S4C',
    cardDataType: 'MC S4C',
    tokenData: {
      token: {
        paymentToken: token,
        tokenExpirationMonth: expiry.month,
        tokenExpirationYear: expiry.year,
        paymentAccountReference: paymentAccountReference('mastercard'),
      },
      dynamicData: {
        dynamicDataType: 'CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM',
        dynamicDataValue: secret,
      },
      eci,
    },
  };
  return { payload, tokenMethod: 'MC S4C', eci };
}

function summary(
  tokenMethod: TokenSummary['tokenMethod'],
  maskedToken: string,
  eci: string,
  choice: TokenChoice,
  isDelegatedAuthentication?: boolean,
): TokenSummary {
  return {
    tokenMethod,
    maskedToken,
    eci,
    cardIssuedInCountryCode: choice.cardIssuedInCountryCode,
    ...(isDelegatedAuthentication === undefined ? {} : { isDelegatedAuthentication }),
  };
}
