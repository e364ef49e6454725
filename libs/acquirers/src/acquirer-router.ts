import { isCardType, type CardType } from '@app/domain';
import type { AcquirerAdapter } from './acquirer-adapter';

export interface TokenPolicy {
  /** Issuing countries (MobilePay's cardIssuedInCountryCode) whose tokens we route. */
  acceptedCountries: readonly string[];
  /** "VTS", "MC S4C". */
  methods: readonly string[];
}

/**
 * Route → adapter name. A route is a card type (`VISA-CREDIT`) or `*` for any; for network tokens
 * also `<card type or *>:<issuing country>` (`VISA-CREDIT:FI`, `*:SE`), tried first.
 */
export type AcquirerRoutes = Readonly<Record<string, string>>;

const ROUTE_KEY = /^(\*|[A-Z][A-Z-]*)(?::([A-Z]{2}))?$/;

/** What is wrong with a set of routes, or undefined: keys as above, known adapters only. */
export function routesProblem(
  routes: Readonly<Record<string, string>>,
  adapterNames: readonly string[],
): string | undefined {
  for (const [key, name] of Object.entries(routes)) {
    const match = ROUTE_KEY.exec(key);
    if (!match || (match[1] !== '*' && !isCardType(match[1]))) {
      return `route "${key}" is not a card type, "*", or one of those with ":<country>"`;
    }
    if (!adapterNames.includes(name)) {
      return `route "${key}" names unknown acquirer "${name}" (known: ${adapterNames.join(', ')})`;
    }
  }
  return undefined;
}

/**
 * Picks the acquirer for an attempt, strictly by the card type MobilePay sent: a co-branded
 * Visa/Dankort sent as DANKORT is processed as Dankort, never as Visa. A merchant's own routes
 * override the platform defaults. For network tokens it also answers, without calling anyone,
 * whether the token can be used at all — when not, the gateway answers 501 and MobilePay fails
 * over to the encrypted card data.
 */
export class AcquirerRouter {
  constructor(
    private readonly adapters: ReadonlyMap<string, AcquirerAdapter>,
    private readonly defaults: AcquirerRoutes,
    private readonly tokens: TokenPolicy,
  ) {
    const problem = routesProblem(defaults, this.adapterNames());
    if (problem) throw new Error(`ACQUIRER_ROUTES: ${problem}`);
    if (!defaults['*']) throw new Error('acquirer routes need a "*" default');
  }

  adapterNames(): string[] {
    return [...this.adapters.keys()];
  }

  /**
   * Strictly by the card type MobilePay sent, then (network tokens) by the issuing country; at
   * each step the merchant's own route before the platform's: `type:country`, `type`,
   * `*:country`, `*`.
   */
  route(
    cardType: CardType,
    merchantRoutes?: AcquirerRoutes | null,
    tokenCountry?: string | null,
  ): AcquirerAdapter {
    const keys = tokenCountry
      ? [`${cardType}:${tokenCountry}`, cardType, `*:${tokenCountry}`, '*']
      : [cardType, '*'];
    return this.first(keys, merchantRoutes);
  }

  /** The adapter of the first key with a route, the merchant's before the platform's ("*" always has one). */
  private first(keys: readonly string[], merchantRoutes?: AcquirerRoutes | null): AcquirerAdapter {
    const name = keys
      .map((key) => merchantRoutes?.[key] ?? this.defaults[key])
      .find((found) => found !== undefined)!;
    const adapter = this.adapters.get(name);
    if (!adapter) throw new Error(`no acquirer adapter named "${name}"`);
    return adapter;
  }

  async close(): Promise<void> {
    for (const adapter of this.adapters.values()) await adapter.close?.();
  }

  /**
   * The acquirer VAT number MobilePay wants with every reason code of the 1000 range: the one
   * recorded on the attempt, else that of the acquirer that handled or would handle it.
   */
  vatNumberFor(
    attempt: {
      acquirer?: string | null;
      acquirerVatNumber?: string | null;
      cardType: string;
      kind?: string;
      cardIssuedInCountryCode?: string | null;
    },
    merchantRoutes?: AcquirerRoutes | null,
  ): string {
    if (attempt.acquirerVatNumber) return attempt.acquirerVatNumber;
    const handled = attempt.acquirer ? this.adapters.get(attempt.acquirer) : undefined;
    if (handled) return handled.vatNumber;
    if (!isCardType(attempt.cardType)) return this.first(['*'], merchantRoutes).vatNumber;
    const country = attempt.kind === 'NETWORK_TOKEN' ? attempt.cardIssuedInCountryCode : null;
    return this.route(attempt.cardType, merchantRoutes, country).vatNumber;
  }

  /** The adapter that handled an attempt before, by the name recorded on it (for reversals). */
  byName(name: string): AcquirerAdapter | undefined {
    return this.adapters.get(name);
  }

  routeToken(
    cardType: CardType,
    country: string | null | undefined,
    method: string,
    merchantRoutes?: AcquirerRoutes | null,
  ): AcquirerAdapter | undefined {
    if (cardType === 'DANKORT') return undefined;
    if (!this.tokens.methods.includes(method)) return undefined;
    if (!country || !this.tokens.acceptedCountries.includes(country)) return undefined;
    const acquirer = this.route(cardType, merchantRoutes, country);
    return acquirer.supportsNetworkTokens ? acquirer : undefined;
  }
}

/** Parses `DANKORT=nets-iso8583,*=rest-acquirer`. */
export function parseRoutes(raw: string): Record<string, string> {
  const routes: Record<string, string> = {};
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [cardType, name] = pair.split('=').map((p) => p.trim());
    if (!cardType || !name)
      throw new Error(`acquirer route "${pair}" must be <card type|*>=<adapter>`);
    routes[cardType] = name;
  }
  return routes;
}
