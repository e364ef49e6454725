import type { AuthorizationRequest } from '../acquirer-adapter';
import { decodeMessage, encodeMessage } from './iso8583-codec';
import { NETS_MESSAGE_SPEC } from './iso8583-field-spec';
import { frame } from './iso8583-framing';
import {
  adviceRequest,
  authorizationRequest,
  type Envelope,
  inquiryRequest,
  retrievalReferenceNumber,
  reversalRequest,
} from './iso8583-messages';
import { decodeTlv } from './iso8583-tlv';

const env: Envelope = {
  stan: '000123',
  at: new Date('2026-03-05T14:07:09Z'),
  terminalId: 'MPO00001',
  acquirerMerchantId: '1234567',
};

const dankort: AuthorizationRequest = {
  reference: '0b7c9a52-2f3e-4d1a-8b6c-5e4f3a2b1c0d',
  acquirerMerchantId: '1234567',
  amount: 12_995n,
  currency: 'DKK',
  cardType: 'DANKORT',
  card: { kind: 'pan', number: '5019717010103742', expiryMonth: 9, expiryYear: 2029 },
};

/**
 * One framed Dankort 0100, byte for byte. If this changes, the wire format changed: make sure
 * the acquirer (and the sandbox simulator) expect the new bytes before updating it.
 */
const GOLDEN_DANKORT_0100 =
  '00c7' + // frame length 199
  '30313030' + // MTI 0100
  '723c048008c38000' + // bitmap: 2 3 4 7 11 12 13 14 22 25 37 41 42 47 48 49
  Buffer.from(
    '16' +
      '5019717010103742' + // 2 PAN (LLVAR)
      '000000' + // 3 processing code: purchase
      '000000012995' + // 4 amount
      '0305140709' + // 7 transmission MMDDhhmmss
      '000123' + // 11 STAN
      '140709' + // 12 time
      '0305' + // 13 date
      '2909' + // 14 expiry YYMM
      'K005K0K00130' + // 22 POS data code: Dankort delegated authentication
      '59' + // 25 e-commerce
      'EPB636ARKIAW' + // 37 RRN (digest of the reference)
      'MPO00001' + // 41 terminal
      '1234567        ' + // 42 acquirer merchant id
      '022' +
      '7R0108844101001' +
      'V!00223' + // 47 tags 7R and V!
      '041' +
      'RF036' +
      '0b7c9a52-2f3e-4d1a-8b6c-5e4f3a2b1c0d' + // 48 our reference
      '208', // 49 DKK
    'ascii',
  ).toString('hex');

const tags = (text: string | undefined) => Object.fromEntries(decodeTlv(text ?? ''));

describe('Nets ISO 8583 messages', () => {
  it('encodes a Dankort 0100 to the golden bytes', () => {
    const bytes = frame(encodeMessage(authorizationRequest(dankort, env), NETS_MESSAGE_SPEC));
    expect(bytes.toString('hex')).toBe(GOLDEN_DANKORT_0100);
  });

  it('gives Dankort the POS code K005K0K00130 and field 47 tags 7R=8844101001, V!=23', () => {
    const { fields } = authorizationRequest(dankort, env);
    expect(fields[22]).toBe('K005K0K00130');
    expect(tags(fields[47])).toEqual({ '7R': '8844101001', 'V!': '23' });
  });

  it.each(['VISA-DEBIT', 'VISA-CREDIT', 'MC-DEBIT', 'MC-CREDIT', 'ELEC-DEBIT'] as const)(
    'sends %s without field 22 or 47',
    (cardType) => {
      const { fields } = authorizationRequest({ ...dankort, cardType }, env);
      expect(fields[22]).toBeUndefined();
      expect(fields[47]).toBeUndefined();
    },
  );

  it('sends a network token in field 2 with method, cryptogram and ECI in field 48', () => {
    const { fields } = authorizationRequest(
      {
        ...dankort,
        cardType: 'VISA-CREDIT',
        card: {
          kind: 'network-token',
          token: '4895370012003478',
          expiryMonth: 12,
          expiryYear: 31,
          cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
          eci: '07',
          tokenMethod: 'VTS',
        },
      },
      env,
    );
    expect(fields[2]).toBe('4895370012003478');
    expect(fields[14]).toBe('3112');
    expect(tags(fields[48])).toEqual({
      RF: dankort.reference,
      TM: 'VTS',
      CR: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
      EC: '07',
    });
  });

  it.each([
    [true, 'Y'],
    [false, 'N'],
  ])("says a VTS token's delegated authentication (%s) in field 48 tag DA = %s", (flag, da) => {
    const { fields } = authorizationRequest(
      {
        ...dankort,
        cardType: 'VISA-CREDIT',
        card: {
          kind: 'network-token',
          token: '4895370012003478',
          expiryMonth: 12,
          expiryYear: 31,
          cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=',
          eci: '07',
          tokenMethod: 'VTS',
          delegatedAuthentication: flag,
        },
      },
      env,
    );
    expect(tags(fields[48])).toMatchObject({ TM: 'VTS', DA: da });
    // Dankort's own delegated authentication stays Dankort's.
    expect(fields[47]).toBeUndefined();
  });

  it('carries a 3-D Secure result in field 48', () => {
    const threeDS = {
      cryptogram: 'AAABBBCCC=',
      eci: '05',
      version: '2.2.0',
      transactionId: 'ds-1',
    };
    const { fields } = authorizationRequest({ ...dankort, cardType: 'VISA-CREDIT', threeDS }, env);
    expect(tags(fields[48])).toMatchObject({ AV: 'AAABBBCCC=', AE: '05', AS: '2.2.0', AT: 'ds-1' });
  });

  it('derives a stable 12-character RRN per reference', () => {
    const rrn = retrievalReferenceNumber(dankort.reference);
    expect(rrn).toMatch(/^[A-Z2-7]{12}$/);
    expect(retrievalReferenceNumber(dankort.reference)).toBe(rrn);
    expect(retrievalReferenceNumber(`${dankort.reference}-3ds`)).not.toBe(rrn);
  });

  it('builds inquiry, reversal and advice messages around the same RRN', () => {
    const rrn = retrievalReferenceNumber(dankort.reference);
    const amount = { amount: 12_995n, currency: 'DKK' };
    const inquiry = inquiryRequest(dankort.reference, amount, env);
    expect(inquiry).toMatchObject({ mti: '0600', fields: { 4: '12995', 37: rrn, 49: '208' } });
    const original = { stan: '000042', at: new Date('2026-03-05T14:06:00Z') };
    const reversal = reversalRequest(dankort.reference, amount, original, env);
    expect(reversal.mti).toBe('0400');
    expect(reversal.fields[90]).toBe(`0100000042030514060000${'0'.repeat(20)}`);
    const blind = reversalRequest(dankort.reference, undefined, undefined, env);
    expect(blind.fields[4]).toBeUndefined();
    expect(blind.fields[90]).toBe(`0100${'0'.repeat(38)}`);
    const refund = adviceRequest(
      dankort.reference,
      { id: 'refund-1', amount: 500n, currency: 'DKK', refund: true },
      original,
      env,
    );
    expect(refund).toMatchObject({ mti: '0220', fields: { 3: '200000', 4: '500', 37: rrn } });
    expect(tags(refund.fields[48])).toEqual({ RF: dankort.reference, OP: 'refund-1' });
    for (const message of [inquiry, reversal, blind, refund]) {
      expect(() =>
        decodeMessage(encodeMessage(message, NETS_MESSAGE_SPEC), NETS_MESSAGE_SPEC),
      ).not.toThrow();
    }
  });

  it.each([
    ['an unsupported currency', { currency: 'XYZ' }],
    ['a zero amount', { amount: 0n }],
    ['an amount over 12 digits', { amount: 10n ** 12n }],
  ])('refuses %s before anything is sent', (_case, overrides) => {
    expect(() => authorizationRequest({ ...dankort, ...overrides }, env)).toThrow();
  });
});
