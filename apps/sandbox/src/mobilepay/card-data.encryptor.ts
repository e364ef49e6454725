import { constants, type KeyObject, publicEncrypt } from 'node:crypto';

/** .NET ticks (100 ns since 0001-01-01) — beyond 2^53, so kept as a decimal string. */
export function dotNetTicks(nowMs: number = Date.now()): string {
  return (BigInt(nowMs) * 10_000n + 621_355_968_000_000_000n).toString();
}

export interface PlainCard {
  pan: string;
  expiryMonth: number;
  expiryYear: number;
}

/**
 * The decrypted form the guide shows. Built as text: cardNumber and timestampticks are JSON
 * numbers whose digits must survive exactly, which a JS number cannot carry past 2^53.
 */
export function cardPlaintext(card: PlainCard, ticks: string): string {
  if (!/^[1-9]\d*$/.test(card.pan) || !/^\d+$/.test(ticks)) throw new Error('digits expected');
  return (
    `{"timestampticks":${ticks},"encryptedCardData":{"cardNumber":${card.pan},` +
    `"expiryMonth":${Math.trunc(card.expiryMonth)},"expiryYear":${Math.trunc(card.expiryYear)}}}`
  );
}

/** RSA/NONE/OAEPWithSHA256AndMGF1Padding: OAEP with SHA-256 for both the digest and MGF1. */
export function encryptCardData(key: KeyObject, plaintext: string): string {
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(plaintext, 'utf8'),
  ).toString('base64');
}
