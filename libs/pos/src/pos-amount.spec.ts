import fc from 'fast-check';
import { decimalToMinor, minorToDecimal, PosAmountError } from './pos-amount';

describe('PoS amounts (major-unit decimals ↔ minor units)', () => {
  it('writes minor units as an exact decimal with the currency’s digits', () => {
    expect(minorToDecimal(1250n, 'DKK')).toBe('12.50');
    expect(minorToDecimal(1n, 'EUR')).toBe('0.01');
    expect(minorToDecimal(0n, 'DKK')).toBe('0.00');
    expect(minorToDecimal(99_999_999_999n, 'DKK')).toBe('999999999.99');
    expect(minorToDecimal(500n, 'JPY')).toBe('500');
    expect(minorToDecimal(7n, 'KWD')).toBe('0.007');
  });

  it('reads decimals exactly, with or without trailing zeros or an exponent', () => {
    expect(decimalToMinor('12.5', 'DKK')).toBe(1250n);
    expect(decimalToMinor('12.50', 'DKK')).toBe(1250n);
    expect(decimalToMinor('12.500', 'DKK')).toBe(1250n);
    expect(decimalToMinor('12', 'EUR')).toBe(1200n);
    expect(decimalToMinor('0.01', 'EUR')).toBe(1n);
    expect(decimalToMinor('1.25e1', 'DKK')).toBe(1250n);
    expect(decimalToMinor('1E-2', 'DKK')).toBe(1n);
    expect(decimalToMinor('1.005', 'KWD')).toBe(1005n);
    expect(decimalToMinor('500', 'JPY')).toBe(500n);
  });

  it('does not fall into the float traps', () => {
    // 0.1 + 0.2 is 0.30000000000000004 as a double: not a whole number of øre, refused.
    expect(() => decimalToMinor(0.1 + 0.2, 'DKK')).toThrow(PosAmountError);
    expect(decimalToMinor('0.3', 'DKK')).toBe(30n);
    expect(decimalToMinor('0.1', 'DKK') + decimalToMinor('0.2', 'DKK')).toBe(30n);
    // 1.005 * 100 is 100.49999999999999 as a double; as text it is 1.005, too precise for DKK.
    expect(() => decimalToMinor(1.005, 'DKK')).toThrow(/more decimals/);
    // 4.35 * 100 is 434.99999999999994; read as text it is exactly 435 øre.
    expect(decimalToMinor(4.35, 'DKK')).toBe(435n);
    expect(decimalToMinor(19.99, 'EUR')).toBe(1999n);
    expect(minorToDecimal(decimalToMinor('0.07', 'DKK') * 3n, 'DKK')).toBe('0.21');
  });

  it('refuses what is not a non-negative decimal or a known currency', () => {
    for (const bad of ['', '-1', '1,50', '1.', '.5', 'NaN', '1e', '0x10', '12.5 kr']) {
      expect(() => decimalToMinor(bad, 'DKK')).toThrow(PosAmountError);
    }
    expect(() => decimalToMinor(Number.NaN, 'DKK')).toThrow(PosAmountError);
    expect(() => decimalToMinor(Number.POSITIVE_INFINITY, 'DKK')).toThrow(PosAmountError);
    expect(() => decimalToMinor('1', 'XXX')).toThrow(/not supported/);
    expect(() => minorToDecimal(-1n, 'DKK')).toThrow(PosAmountError);
  });

  it('round-trips every amount exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 99_999_999_999n }),
        fc.constantFrom('DKK', 'EUR', 'JPY', 'KWD'),
        (minor, currency) => decimalToMinor(minorToDecimal(minor, currency), currency) === minor,
      ),
    );
  });
});
