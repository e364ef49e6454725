import { REDACT_PATHS, scrubCardNumbers } from './redaction';

describe('scrubCardNumbers', () => {
  it.each([
    ['4111111111111111', '411111******1111'],
    ['4111 1111 1111 1111', '411111******1111'],
    ['4111-1111-1111-1111', '411111******1111'],
    ['4111 1111-1111 1111', '411111******1111'],
    ['4222222222222', '422222***2222'],
    ['378282246310005', '378282*****0005'],
    ['4571000000000000006', '457100*********0006'],
    ['4571 0000 0000 0000 006', '457100*********0006'],
  ])('masks %p as %p', (input, masked) => {
    expect(scrubCardNumbers(input)).toBe(masked);
  });

  it('masks card numbers inside free text, several per string', () => {
    expect(scrubCardNumbers('pan=4111111111111111; backup card 5555-5555-5555-4444 declined')).toBe(
      'pan=411111******1111; backup card 555555******4444 declined',
    );
  });

  it.each([
    ['1234567890123', '13-digit order number, not Luhn-valid'],
    ['order 123456789012345678 shipped', '18 digits, not Luhn-valid'],
    ['411111111117', '12 digits: too short to be a PAN'],
    ['40000000000000000002', '20 digits: longer than any PAN'],
    ['4111111111111112', 'one digit off a real PAN'],
    ['amount 10000 DKK, ticks 638396640000000000', 'amounts and ticks'],
    ['2025-06-15T12:00:00.000Z', 'timestamps'],
  ])('leaves %p alone (%s)', (input) => {
    expect(scrubCardNumbers(input)).toBe(input);
  });

  it('does not glue a PAN to neighbouring digits', () => {
    // 17 digits in one run: not a PAN and must not be cut into one.
    expect(scrubCardNumbers('94111111111111111')).toBe('94111111111111111');
  });
});

describe('REDACT_PATHS', () => {
  it('covers the sensitive keys at the top level and two levels down', () => {
    for (const key of ['cardNumber', 'EncryptedCardData', 'cryptogram', 'authorization']) {
      expect(REDACT_PATHS).toEqual(expect.arrayContaining([key, `*.${key}`, `*.*.${key}`]));
    }
  });
});
