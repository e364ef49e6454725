/** The input formats of PoS v10 ("Input and Output Formats"), shared by the client and the simulator. */

/** `merchant_vat` and `X-MobilePay-Merchant-VAT-Number`: DK or FI and 8 digits. */
export const MERCHANT_VAT = /^(DK|FI)\d{8}$/;

/** `X-MobilePay-Client-System-Version`: Major.Minor.Build. */
export const CLIENT_SYSTEM_VERSION = /^\d+\.\d+\.\d+$/;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A beacon is a 15-digit number (white box, terminal, sticker) or a GUID. */
export function isBeaconId(value: string): boolean {
  return /^\d{15}$/.test(value) || GUID.test(value);
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** The documented valid characters for free-text fields (orderId, names, labels, keys). */
const VALID_CHARACTERS =
  /^[0-9a-zA-ZæÆøØåÅäÄöÖšŠžŽâÂàÀáÁãÃéÉêÊëËèÈíÍîÎïÏìÌüÜûÛùÙúÚôÔòÒóÓõÕÿýÝñÑ!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~¦¯¨´×«»ðþçß¤ÇµÐÞ±°ªº©§¶¼½¾¬®¢£¥¡¿¹²³ ]*$/;

/** orderId, merchantPosId, PoS name, merchantPaymentLabel, idempotency key: ≤ 36 valid characters. */
export function isPosText(value: string, maxLength = 36): boolean {
  return value.length >= 1 && value.length <= maxLength && VALID_CHARACTERS.test(value);
}

export const BEACON_TYPES = ['QR', 'NFC', 'Bluetooth'] as const;
export type BeaconType = (typeof BEACON_TYPES)[number];

export const PLANNED_CAPTURE_DELAYS = ['None', 'LessThan24Hours', 'LessThan14Days'] as const;
export type PlannedCaptureDelay = (typeof PLANNED_CAPTURE_DELAYS)[number];
