import { CardPlaintextError, parseCardPlaintext } from './card-plaintext';

function payload(json: string): Buffer {
  return Buffer.from(json, 'utf8');
}

function rejection(json: string): unknown {
  try {
    parseCardPlaintext(payload(json));
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseCardPlaintext', () => {
  it('keeps every digit of a 19-digit PAN and 18-digit ticks sent as JSON numbers', () => {
    // Both exceed 2^53: a JSON.parse round trip would change their last digits.
    const json =
      '{"timestampticks":638396640000000001,' +
      '"encryptedCardData":{"cardNumber":4571000000000000006,"expiryMonth":12,"expiryYear":2030}}';
    expect(String(JSON.parse(json).encryptedCardData.cardNumber)).not.toBe('4571000000000000006');

    expect(parseCardPlaintext(payload(json))).toEqual({
      timestampTicks: 638396640000000001n,
      pan: '4571000000000000006',
      expiryMonth: 12,
      expiryYear: 2030,
    });
  });

  it('accepts the card number and ticks as strings of digits', () => {
    const json =
      '{"timestampticks":"638396640000000001",' +
      '"encryptedCardData":{"cardNumber":"5019555544445555","expiryMonth":1,"expiryYear":27}}';
    expect(parseCardPlaintext(payload(json))).toEqual({
      timestampTicks: 638396640000000001n,
      pan: '5019555544445555',
      expiryMonth: 1,
      expiryYear: 27,
    });
  });

  it('keeps leading zeros of a card number given as a string', () => {
    const json =
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":"0012345678901","expiryMonth":1,"expiryYear":30}}';
    expect(parseCardPlaintext(payload(json)).pan).toBe('0012345678901');
  });

  it.each([
    ['not JSON', 'cardNumber=4111111111111111'],
    ['truncated JSON', '{"timestampticks":1,"encryptedCardData":{"cardNumber":41111'],
    ['a JSON array', '[1,2,3]'],
    ['a JSON string', '"4111111111111111"'],
    ['missing encryptedCardData', '{"timestampticks":1}'],
    ['encryptedCardData null', '{"timestampticks":1,"encryptedCardData":null}'],
    [
      'missing timestampticks',
      '{"encryptedCardData":{"cardNumber":4111111111111111,"expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'missing cardNumber',
      '{"timestampticks":1,"encryptedCardData":{"expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'missing expiryMonth',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":4111111111111111,"expiryYear":30}}',
    ],
    [
      'missing expiryYear',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":4111111111111111,"expiryMonth":1}}',
    ],
    [
      'cardNumber with letters',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":"4111abcd11111111","expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'cardNumber with spaces',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":"4111 1111 1111 1111","expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'negative cardNumber',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":-4111111111111111,"expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'cardNumber in exponent form',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":4.111111111111111e15,"expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'cardNumber too short',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":41111111111,"expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'cardNumber too long',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":40000000000000000002,"expiryMonth":1,"expiryYear":30}}',
    ],
    [
      'fractional expiryMonth',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":4111111111111111,"expiryMonth":1.5,"expiryYear":30}}',
    ],
    [
      'huge expiryYear',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":4111111111111111,"expiryMonth":1,"expiryYear":100000}}',
    ],
    [
      'boolean cardNumber',
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":true,"expiryMonth":1,"expiryYear":30}}',
    ],
  ])('rejects %s with a CardPlaintextError', (_case, json) => {
    expect(rejection(json)).toBeInstanceOf(CardPlaintextError);
  });

  it('names the offending field without echoing the card number', () => {
    const error = rejection(
      '{"timestampticks":1,"encryptedCardData":{"cardNumber":"4111x11111111111","expiryMonth":1,"expiryYear":30}}',
    ) as Error;
    expect(error.message).toContain('cardNumber');
    expect(error.message).not.toContain('4111');
  });
});
