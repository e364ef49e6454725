import { isCardType, luhnValid, maskPan, notExpired } from './card';

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', 'Visa test PAN'],
    ['5555555555554444', 'Mastercard test PAN'],
    ['5019555544445555', 'Dankort test PAN'],
    ['378282246310005', '15-digit Amex test PAN'],
    ['4222222222222', '13-digit Visa test PAN'],
    ['4571000000000000006', '19-digit PAN'],
    ['6221260000000000001', '19-digit PAN'],
  ])('accepts %s (%s)', (pan) => {
    expect(luhnValid(pan)).toBe(true);
  });

  it.each([
    ['4111111111111112', 'last digit changed'],
    ['4111111111111121', 'two digits swapped'],
    ['4571000000000000005', '19 digits, wrong check digit'],
    ['1234567890123', 'order number'],
    ['40000000000000000002', '20 digits (Luhn-valid, too long)'],
    ['41111111117', '11 digits (Luhn-valid, too short)'],
    ['4111 1111 1111 1111', 'spaces'],
    ['4111-1111-1111-1111', 'dashes'],
    ['411111111111111a', 'a letter'],
    ['', 'empty'],
  ])('rejects %s (%s)', (pan) => {
    expect(luhnValid(pan)).toBe(false);
  });
});

describe('maskPan', () => {
  it('keeps the first 6 and last 4 digits of a 16-digit PAN', () => {
    expect(maskPan('4111111111111111')).toBe('411111******1111');
  });

  it('keeps the first 6 and last 4 digits of a 19-digit PAN', () => {
    expect(maskPan('4571000000000000006')).toBe('457100*********0006');
  });

  it('masks a 13-digit PAN to 6 + 3 stars + 4', () => {
    expect(maskPan('4222222222222')).toBe('422222***2222');
  });

  it('reveals nothing of a string too short to be a PAN', () => {
    expect(maskPan('123456789012')).toBe('************');
  });
});

describe('notExpired', () => {
  const midJune2025 = new Date('2025-06-15T12:00:00Z');

  it.each([
    [6, 25, true, 'current month, 2-digit year'],
    [6, 2025, true, 'current month, 4-digit year'],
    [5, 25, false, 'previous month'],
    [12, 24, false, 'last year'],
    [7, 25, true, 'next month'],
    [1, 26, true, 'next year, earlier month'],
    [1, 2099, true, 'far future'],
    [0, 26, false, 'month 0'],
    [13, 26, false, 'month 13'],
    [6.5, 26, false, 'fractional month'],
    [6, 25.5, false, 'fractional year'],
  ])('month %p year %p → %p (%s)', (month, year, expected) => {
    expect(notExpired(month, year, midJune2025)).toBe(expected);
  });

  it('accepts a card on the last instant of its expiry month and rejects it one ms later', () => {
    expect(notExpired(6, 25, new Date('2025-06-30T23:59:59.999Z'))).toBe(true);
    expect(notExpired(6, 25, new Date('2025-07-01T00:00:00.000Z'))).toBe(false);
  });

  it('rolls over at the year boundary', () => {
    expect(notExpired(12, 25, new Date('2025-12-31T23:59:59.999Z'))).toBe(true);
    expect(notExpired(12, 25, new Date('2026-01-01T00:00:00.000Z'))).toBe(false);
    expect(notExpired(1, 26, new Date('2026-01-01T00:00:00.000Z'))).toBe(true);
  });

  it('judges the month in UTC, not in local time', () => {
    // 00:30 on 1 July in UTC+2 is still 30 June in UTC (catches getMonth() on non-UTC hosts).
    expect(notExpired(6, 25, new Date('2025-07-01T00:30:00+02:00'))).toBe(true);
  });
});

describe('isCardType', () => {
  it('knows the MobilePay card types and nothing else', () => {
    expect(isCardType('DANKORT')).toBe(true);
    expect(isCardType('VISA-CREDIT')).toBe(true);
    expect(isCardType('MTRO-DEBIT')).toBe(false);
    expect(isCardType('visa-credit')).toBe(false);
  });
});
