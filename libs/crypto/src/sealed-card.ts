import type { CardDataSealer, SealedBlob } from './card-data-sealer';

/** A 3-D Secure result, sealed with the card for the re-authorization. */
export interface SealedThreeDs {
  cryptogram: string;
  eci: string;
  version: string;
  transactionId: string;
  /** The EMV 3DS ARes or RReq as received (JSON), when the 3DS server hands it over. */
  ares?: string;
  rreq?: string;
}

/** Card credentials as sealed at intake: only what an authorization needs. */
export type SealedCard = (
  | { kind: 'pan'; number: string; expiryMonth: number; expiryYear: number }
  | {
      kind: 'network-token';
      token: string;
      expiryMonth: number;
      expiryYear: number;
      cryptogram: string;
      eci: string;
      tokenMethod: 'VTS' | 'MC S4C';
      /** The whole token callback (JSON) as MobilePay sent it: Clearhaus' `payment_token`. */
      paymentToken?: string;
    }
) & { threeDS?: SealedThreeDs };

export function sealCard(sealer: CardDataSealer, card: SealedCard, attemptId: string): SealedBlob {
  return sealer.seal(Buffer.from(JSON.stringify(card), 'utf8'), attemptId);
}

export function unsealCard(
  sealer: CardDataSealer,
  blob: SealedBlob,
  attemptId: string,
): SealedCard {
  const plaintext = sealer.unseal(blob, attemptId);
  try {
    return JSON.parse(plaintext.toString('utf8')) as SealedCard;
  } finally {
    plaintext.fill(0);
  }
}
