import { luhnValid, maskPan } from '@app/domain';

/**
 * Field names whose values never belong in a log line or a span attribute, wherever they appear.
 * Pino removes them by path; `scrubCardNumbers` is the second line of defence for free text.
 */
export const SENSITIVE_KEYS = [
  'EncryptedCardData',
  'encryptedCardData',
  'cardNumber',
  'pan',
  'cvv',
  'cvc',
  'token',
  'paymentToken',
  'cryptogram',
  'dynamicDataValue',
  'tokenData',
  'privateKey',
  'authorization',
  'x-ibm-client-secret',
  'clientSecret',
  'apiKey',
  'sealKey',
];

export const REDACT_PATHS = [
  ...SENSITIVE_KEYS.map((key) => `*.${escapePath(key)}`),
  ...SENSITIVE_KEYS.map((key) => `*.*.${escapePath(key)}`),
  ...SENSITIVE_KEYS.map((key) => escapePath(key)),
  'req.headers.authorization',
  'req.headers["x-ibm-client-secret"]',
  'req.body',
];

function escapePath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
}

const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

/** Replaces every Luhn-valid 13–19 digit run (spaces or dashes allowed) with its masked form. */
export function scrubCardNumbers(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/[ -]/g, '');
    return luhnValid(digits) ? maskPan(digits) : run;
  });
}
