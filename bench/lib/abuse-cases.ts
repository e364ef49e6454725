import { constants, createPublicKey, publicEncrypt, randomUUID } from 'node:crypto';
import fc from 'fast-check';

/** One request of the fuzzing run. */
export interface AbuseRequest {
  family: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** 5xx statuses that are an answer, not a failure (501: "use the card-data callback"). */
  allowed?: number[];
  /** Deliberately carries a PAN or token in clear (the leak scan must not find it afterwards). */
  carriesPan?: boolean;
  /** The worker's health port instead of the gateway. */
  base?: 'gateway' | 'worker';
  /** The body is bytes in a latin1 string (one char per byte), sent as they are. */
  encoding?: 'latin1';
  /** Must be refused as 400 validation_failed with this field among `details.issues`. */
  mustNameField?: string;
}

/** What the fuzzer may aim at: real ids and keys, so requests get past the first checks. */
export interface AbuseTargets {
  publicKeyPem: string;
  publicKeyId: number;
  /** A key MobilePay never registered: well-formed ciphertext nobody here can decrypt. */
  foreignKeyPem: string;
  mobilePayPaymentIds: string[];
  paymentIds: string[];
  otherPaymentId: string;
  merchantKey: string;
  otherMerchantKey: string;
  adminKey: string;
  routes: { method: string; path: string }[];
  /** The gateway's own `/v1/openapi.json`: the unstorable-text corpus is generated from it. */
  openApi: Record<string, unknown>;
  cardDataPool: Record<string, unknown>[];
}

export const INJECTIONS = [
  "' OR '1'='1",
  '"; DROP TABLE "Payment"; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1:1/a}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '{{7*7}}',
  '$where',
  '__proto__',
  'constructor',
  '\ud800',
  '𝕏🙂‮',
  'A'.repeat(10_000),
  '\r\nX-Injected: 1',
  'NaN',
  '-1',
  '1e309',
  '0x10',
];

const MALFORMED = [
  '{',
  '{"a":',
  '[1,2',
  'null',
  '"text"',
  '123',
  'true',
  '',
  ' ',
  '{"a":1}{"b":2}',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":1,}',
  '\ufeff{}',
  '[]',
  '{"a":1e99999}',
  '{"a":123456789012345678901234567890}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];

export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-1, 0, 2 ** 53 + 1, 1e21, -0),
);
export const weird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 4 }) },
);

/** Bodies no schema accepts: broken JSON, deep nesting, over the size limits. */
export const hostileBody = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MALFORMED) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? '') },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_000, max: 60_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(200_000, 1_100_000, 6_000_000)
      .map((n) => JSON.stringify({ EncryptedCardData: 'A'.repeat(n), PaymentId: randomUUID() })),
  },
);

/** The template with one field replaced, removed or added. */
export function mutate(template: Record<string, unknown>): fc.Arbitrary<string> {
  const keys = Object.keys(template);
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...keys), weird)
      .map(([key, value]) => JSON.stringify({ ...template, [key]: value })),
    fc.constantFrom(...keys).map((key) => {
      const copy = { ...template };
      delete copy[key];
      return JSON.stringify(copy);
    }),
    fc
      .tuple(fc.string({ maxLength: 12 }), weird)
      .map(([key, value]) => JSON.stringify({ ...template, [key]: value })),
  );
}

export const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '',
    ),
  },
);

/** RSA-OAEP (SHA-256) as MobilePay does; a plaintext too long for the key is cut to fit. */
export function encryptPlaintext(pem: string, plaintext: string): string {
  const key = createPublicKey(pem);
  const room = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8 - 2 * 32 - 2;
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(plaintext).subarray(0, room),
  ).toString('base64');
}
