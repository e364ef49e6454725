import { DomainError, ErrorCode } from './domain-error';
import { isCurrency, isMinorUnits, MAX_MINOR_UNITS, parseCurrency, toMinorUnits } from './money';

describe('parseCurrency', () => {
  it.each([
    ['DKK', '208'],
    ['EUR', '978'],
    ['NOK', '578'],
    ['SEK', '752'],
    ['USD', '840'],
    ['GBP', '826'],
  ])('accepts %s and its numeric code %s', (alpha, numeric) => {
    expect(parseCurrency(alpha)).toBe(alpha);
    expect(parseCurrency(numeric)).toBe(alpha);
  });

  it('accepts lower case and surrounding blanks', () => {
    expect(parseCurrency('dkk')).toBe('DKK');
    expect(parseCurrency(' Eur ')).toBe('EUR');
  });

  it.each(['CHF', '756', 'XYZ', '', 'DK', 'DKKK', '0208', '__proto__', 'constructor', 'toString'])(
    'rejects %p with unsupported_currency',
    (code) => {
      let thrown: unknown;
      try {
        parseCurrency(code);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect((thrown as DomainError).code).toBe(ErrorCode.UnsupportedCurrency);
      expect((thrown as DomainError).code).toBe('unsupported_currency');
      expect(isCurrency(code)).toBe(false);
    },
  );
});

describe('isMinorUnits', () => {
  it.each([1, 100, 12_345, MAX_MINOR_UNITS])('accepts %p', (value) => {
    expect(isMinorUnits(value)).toBe(true);
  });

  it('caps at 99 999 999 999 minor units', () => {
    expect(MAX_MINOR_UNITS).toBe(99_999_999_999);
  });

  it.each([
    [0, 'zero'],
    [-1, 'negative'],
    [-100, 'negative'],
    [1.5, 'float'],
    [99.99, 'decimal major units'],
    [0.1, 'float below 1'],
    [MAX_MINOR_UNITS + 1, 'above MAX'],
    [Number.MAX_SAFE_INTEGER + 2, 'unsafe integer'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['100', 'numeric string'],
    [100n, 'bigint'],
    [null, 'null'],
    [undefined, 'undefined'],
  ] as [unknown, string][])('rejects %p (%s)', (value) => {
    expect(isMinorUnits(value)).toBe(false);
  });
});

describe('toMinorUnits', () => {
  it('converts an in-range bigint exactly', () => {
    expect(toMinorUnits(0n)).toBe(0);
    expect(toMinorUnits(12_345n)).toBe(12_345);
    expect(toMinorUnits(99_999_999_999n)).toBe(99_999_999_999);
  });

  it('refuses amounts outside 0..MAX', () => {
    expect(() => toMinorUnits(-1n)).toThrow(RangeError);
    expect(() => toMinorUnits(100_000_000_000n)).toThrow(RangeError);
  });
});
