import type { IsoMessage } from './iso8583-codec';
import { authorizationOutcome, inquiryOutcome, operationOutcome } from './iso8583-replies';

const expected = { amount: 12_995n, currency: 'DKK' };

function reply(code: string | undefined, overrides: Record<number, string> = {}): IsoMessage {
  const fields: Record<number, string> = { 4: '000000012995', 37: 'RRN000000001', 49: '208' };
  if (code !== undefined) fields[39] = code;
  return { mti: '0110', fields: { ...fields, ...overrides } };
}

describe('ISO 8583 answers', () => {
  it('approves on 00 with the amount asked for', () => {
    expect(authorizationOutcome(reply('00'), expected)).toEqual({
      kind: 'approved',
      acquirerReference: 'RRN000000001',
      amount: 12_995n,
      currency: 'DKK',
    });
  });

  it('copies nothing but amount and currency from what it is checked against (a card!)', () => {
    const request = { ...expected, card: { number: '4111111111111111' } };
    expect(Object.keys(authorizationOutcome(reply('00'), request)).sort()).toEqual([
      'acquirerReference',
      'amount',
      'currency',
      'kind',
    ]);
  });

  it.each([
    ['05', 'DO_NOT_HONOR'],
    ['51', 'INSUFFICIENT_FUNDS'],
    ['54', 'EXPIRED_CARD'],
    ['59', 'FRAUD_SUSPECTED'],
    ['57', 'WEB_PAYMENTS_DISABLED'],
    ['62', 'HARD_BLOCKED'],
    ['43', 'HARD_BLOCKED'],
    ['78', 'SOFT_BLOCKED'],
    ['N7', 'DO_NOT_HONOR'],
  ])('maps response code %s to a decline for %s', (code, reason) => {
    expect(authorizationOutcome(reply(code), expected)).toEqual({
      kind: 'declined',
      reason,
      acquirerReference: 'RRN000000001',
    });
  });

  it.each(['1A', '65'])('maps %s (SCA required) to a soft decline', (code) => {
    expect(authorizationOutcome(reply(code), expected)).toEqual({
      kind: 'soft-declined',
      acquirerReference: 'RRN000000001',
    });
  });

  it.each(['30', '91', '96'])('maps %s (not processed) to not-sent', (code) => {
    expect(authorizationOutcome(reply(code), expected).kind).toBe('not-sent');
  });

  it.each(['94', '68'])('maps %s (may have acted) to unknown', (code) => {
    expect(authorizationOutcome(reply(code), expected).kind).toBe('unknown');
  });

  it.each<[string, IsoMessage]>([
    ['a smaller amount', reply('00', { 4: '000000012994' })],
    ['a larger amount', reply('00', { 4: '000000012996' })],
    ['another currency', reply('00', { 49: '978' })],
    ['an unknown currency', reply('00', { 49: '999' })],
    ['no amount', { mti: '0110', fields: { 37: 'RRN000000001', 39: '00', 49: '208' } }],
    ['no response code', reply(undefined)],
  ])('returns unknown for an approval of %s', (_case, answer) => {
    expect(authorizationOutcome(answer, expected).kind).toBe('unknown');
  });

  it('checks the amount of declines too', () => {
    expect(authorizationOutcome(reply('05', { 4: '000000000001' }), expected).kind).toBe('unknown');
  });

  describe('inquiry', () => {
    it('returns not-found for 25 and the stored outcome otherwise', () => {
      expect(inquiryOutcome(reply('25', { 4: '000000000001' }), expected)).toEqual({
        kind: 'not-found',
      });
      expect(inquiryOutcome(reply('00'), expected).kind).toBe('approved');
      expect(inquiryOutcome(reply('51'), expected).kind).toBe('declined');
    });

    it('never answers not-sent: an inquiry the host refused says nothing', () => {
      expect(inquiryOutcome(reply('96'), expected).kind).toBe('unknown');
    });
  });

  describe('reversal and advice', () => {
    it.each<[string | undefined, string]>([
      ['00', 'done'],
      ['25', 'not-found'],
      ['12', 'rejected'],
      ['13', 'rejected'],
      ['96', 'not-sent'],
      ['94', 'unknown'],
      [undefined, 'unknown'],
    ])('maps %s to %s', (code, kind) => {
      expect(operationOutcome(reply(code), expected).kind).toBe(kind);
    });

    it('checks the amount only when one was sent', () => {
      expect(operationOutcome(reply('00', { 4: '1' }), expected).kind).toBe('unknown');
      expect(operationOutcome(reply('00', { 4: '1' }), undefined).kind).toBe('done');
    });
  });
});
