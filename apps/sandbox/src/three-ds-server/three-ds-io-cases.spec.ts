import { sandboxCase } from './three-ds-io-cases';

describe('3dsecure.io sandbox test cases (PAN last four)', () => {
  it.each([
    [
      '5000100411110203',
      {
        acsVersions: ['2.1.0', '2.2.0', '2.3.1'],
        method: 'timeout',
        ares: { kind: 'frictionless', transStatus: 'Y' },
      },
    ],
    [
      '4000100511112003',
      {
        acsVersions: ['2.2.0'],
        method: 'included',
        ares: { kind: 'frictionless', transStatus: 'Y' },
      },
    ],
    [
      '6000100611111103',
      {
        acsVersions: ['2.1.0'],
        method: 'missing',
        ares: { kind: 'frictionless', transStatus: 'Y' },
      },
    ],
    [
      '3000100811111072',
      {
        acsVersions: ['2.1.0'],
        method: 'included',
        ares: { kind: 'challenge', challenge: 'manual' },
      },
    ],
    [
      '7000100911112070',
      {
        acsVersions: ['2.2.0'],
        method: 'included',
        ares: { kind: 'challenge', challenge: 'auto-pass' },
      },
    ],
    [
      '3000101011111071',
      {
        acsVersions: ['2.1.0'],
        method: 'included',
        ares: { kind: 'challenge', challenge: 'auto-fail' },
      },
    ],
    [
      '4000000000003063',
      { acsVersions: ['2.3.1'], method: 'included', ares: { kind: 'ds-timeout' } },
    ],
    [
      '4000000000000153',
      {
        acsVersions: ['2.1.0', '2.2.0', '2.3.1'],
        method: 'missing',
        ares: { kind: 'frictionless', transStatus: 'U' },
      },
    ],
  ])('%s', (pan, expected) => {
    expect(sandboxCase(pan)).toEqual(expected);
  });

  it.each([
    '4111111111111111',
    '4000000000004003',
    '4000000000000304',
    '4000000000000073',
    '4000000000000783',
  ])('%s matches no test case', (pan) => {
    expect(sandboxCase(pan)).toBeUndefined();
  });
});
