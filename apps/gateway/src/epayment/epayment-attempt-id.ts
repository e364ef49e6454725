import { createHash } from 'node:crypto';

/** Our namespace for name-based (version 5) attempt ids. */
const NAMESPACE = Buffer.from('6f1d1c52a7e34b8e9c3f0b6a4f5d2e19', 'hex');

/**
 * Vipps MobilePay's `authorizationAttemptId` is free text; our attempt ids are UUIDs. The same
 * payment and attempt always give the same id (RFC 4122 version 5), so a repeated callback can
 * never create a second attempt.
 */
export function attemptIdFor(paymentId: string, authorizationAttemptId: string): string {
  const hash = createHash('sha1')
    .update(NAMESPACE)
    .update(`${paymentId}:${authorizationAttemptId}`)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
