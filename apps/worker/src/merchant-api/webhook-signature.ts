import { createHmac } from 'node:crypto';

/**
 * Merchant webhooks are signed the Standard Webhooks way (https://www.standardwebhooks.com/), so any
 * of its libraries verifies them:
 *   webhook-id         the event id (the same on every retry and redelivery: the merchant's dedupe key)
 *   webhook-timestamp  unix seconds
 *   webhook-signature  `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">`, space-separated,
 *                      one per live secret (two during a rotation's overlap)
 * The HMAC key is the secret's part after `whsec_`, base64-decoded (the libraries' reading of it).
 *
 * Deprecated, still sent: `mobilepay-psp-signature: t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * keyed with the whole secret string (Stripe's layout; during an overlap one `v1=` per secret).
 */
export const STANDARD_ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';
export const LEGACY_SIGNATURE_HEADER = 'mobilepay-psp-signature';

const SECRET_PREFIX = 'whsec_';

/** The HMAC key Standard Webhooks libraries derive from `whsec_<base64>`. */
export function standardWebhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // Node's decoder also reads base64url, the alphabet of secrets issued before this scheme.
  return Buffer.from(encoded, 'base64');
}

export function signStandardWebhook(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac('sha256', standardWebhookKey(secret))
    .update(`${messageId}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

export function signLegacyWebhook(
  secrets: readonly string[],
  body: string,
  timestampSeconds: number,
): string {
  const macs = secrets.map(
    (secret) =>
      `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`,
  );
  return [`t=${timestampSeconds}`, ...macs].join(',');
}

/**
 * Every signature header of one delivery attempt. `secrets`: the current secret first, then the
 * one a rotation replaced while its overlap lasts.
 */
export function webhookSignatureHeaders(
  secrets: readonly string[],
  messageId: string,
  body: string,
  timestampSeconds: number,
): Record<string, string> {
  if (secrets.length === 0) throw new Error('a webhook needs at least one signing secret');
  return {
    [STANDARD_ID_HEADER]: messageId,
    [STANDARD_TIMESTAMP_HEADER]: String(timestampSeconds),
    [STANDARD_SIGNATURE_HEADER]: secrets
      .map((secret) => signStandardWebhook(secret, messageId, timestampSeconds, body))
      .join(' '),
    [LEGACY_SIGNATURE_HEADER]: signLegacyWebhook(secrets, body, timestampSeconds),
  };
}
