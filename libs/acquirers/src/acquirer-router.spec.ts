import type { AcquirerAdapter } from './acquirer-adapter';
import { AcquirerRouter, parseRoutes, routesProblem } from './acquirer-router';

function adapter(name: string, vatNumber: string, supportsNetworkTokens = true): AcquirerAdapter {
  const unused = () => Promise.reject(new Error('not called'));
  return {
    name,
    vatNumber,
    supportsNetworkTokens,
    authorize: unused,
    inquire: unused,
    reverse: unused,
  };
}

describe('AcquirerRouter', () => {
  const adapters = new Map(
    [
      adapter('nets', 'DK20016175', false),
      adapter('rest', 'DK12345678'),
      adapter('nordic', 'SE556233942301'),
    ].map((a) => [a.name, a]),
  );
  const router = new AcquirerRouter(adapters, parseRoutes('DANKORT=nets,*=rest,*:SE=nordic'), {
    acceptedCountries: ['DK', 'SE', 'FI'],
    methods: ['VTS', 'MC S4C'],
  });
  const name = (...args: Parameters<AcquirerRouter['route']>) => router.route(...args).name;

  it('routes strictly by the card type MobilePay sent: Dankort never as Visa', () => {
    expect(name('DANKORT')).toBe('nets');
    expect(name('VISA-CREDIT')).toBe('rest');
    // A merchant sending everything elsewhere still has Dankort on the Dankort acquirer.
    expect(name('DANKORT', { '*': 'nordic' })).toBe('nets');
    expect(name('VISA-DEBIT', { '*': 'nordic' })).toBe('nordic');
  });

  it("puts the merchant's own route before the platform's at each step", () => {
    expect(name('DANKORT', { DANKORT: 'rest' })).toBe('rest');
    expect(name('MC-CREDIT', { 'MC-CREDIT': 'nordic', '*': 'nets' })).toBe('nordic');
  });

  it('routes network tokens by issuing country after the card type', () => {
    expect(name('VISA-CREDIT', null, 'SE')).toBe('nordic');
    expect(name('VISA-CREDIT', null, 'DK')).toBe('rest');
    expect(name('VISA-CREDIT', { 'VISA-CREDIT:SE': 'rest' }, 'SE')).toBe('rest');
    // Card data (no token country) ignores the country routes.
    expect(name('VISA-CREDIT', null, null)).toBe('rest');
    expect(router.routeToken('VISA-CREDIT', 'SE', 'VTS')?.name).toBe('nordic');
    // The country's acquirer cannot take tokens here: 501, card data next.
    expect(router.routeToken('VISA-CREDIT', 'SE', 'VTS', { '*:SE': 'nets' })).toBeUndefined();
  });

  it('names the acquirer VAT number for a PATCH from the attempt, else from its route', () => {
    expect(router.vatNumberFor({ cardType: 'DANKORT' })).toBe('DK20016175');
    expect(router.vatNumberFor({ cardType: 'VISA-CREDIT', acquirer: 'nordic' })).toBe(
      'SE556233942301',
    );
    expect(router.vatNumberFor({ cardType: 'VISA-CREDIT', acquirerVatNumber: 'IE418442' })).toBe(
      'IE418442',
    );
    expect(
      router.vatNumberFor({
        cardType: 'VISA-CREDIT',
        kind: 'NETWORK_TOKEN',
        cardIssuedInCountryCode: 'SE',
      }),
    ).toBe('SE556233942301');
    expect(router.vatNumberFor({ cardType: 'UNHEARD-OF' })).toBe('DK12345678');
  });

  it('refuses routes with unknown card types, malformed countries or unknown acquirers', () => {
    const known = router.adapterNames();
    expect(routesProblem({ 'VISA-CREDIT': 'nets', '*:FI': 'rest' }, known)).toBeUndefined();
    expect(routesProblem({ VISA: 'rest' }, known)).toMatch(/not a card type/);
    expect(routesProblem({ 'VISA-CREDIT:fin': 'rest' }, known)).toMatch(/not a card type/);
    expect(routesProblem({ '*': 'elsewhere' }, known)).toMatch(/unknown acquirer "elsewhere"/);
    expect(
      () =>
        new AcquirerRouter(
          adapters,
          { '*': 'rest', AMEX: 'rest' },
          { acceptedCountries: [], methods: [] },
        ),
    ).toThrow(/ACQUIRER_ROUTES/);
  });
});
