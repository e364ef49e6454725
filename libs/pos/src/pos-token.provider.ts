import type { Secret } from '@app/config';
import { parse } from 'lossless-json';
import { PosApiError } from './pos-error';
import { MERCHANT_VAT } from './pos-formats';
import { tokenResponseSchema } from './pos-api.types';

export interface PosTokenOptions {
  /** Integrator Authentication base URL; the token endpoint is `<authUrl>/connect/token`. */
  authUrl: string;
  clientId: string;
  clientSecret: Secret;
  ibmClientId: string;
  timeoutMs: number;
  /** Refresh this long before expiry (capped at a tenth of the token's lifetime). */
  refreshMarginMs: number;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

/**
 * OAuth2 client credentials at the Integrator Authentication API. Tokens are cached per merchant
 * lock (`merchant_vat` claim) or integrator-wide, refreshed before they expire, and fetched once
 * for concurrent callers.
 */
export class PosTokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly options: PosTokenOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token; `merchantVat` asks for one locked to that merchant. */
  async token(merchantVat?: string): Promise<string> {
    const key = merchantVat ?? '';
    const cached = this.cache.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.value;
    const running = this.inFlight.get(key);
    if (running) return running;
    const fetching = this.fetchToken(merchantVat).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    return fetching;
  }

  /** MobilePay refused the token (401): forget it so the next call fetches a new one. */
  invalidate(merchantVat?: string, token?: string): void {
    const key = merchantVat ?? '';
    if (token === undefined || this.cache.get(key)?.value === token) this.cache.delete(key);
  }

  private async fetchToken(merchantVat: string | undefined): Promise<string> {
    if (merchantVat !== undefined && !MERCHANT_VAT.test(merchantVat)) {
      throw new PosApiError('merchant_vat must be DK or FI and 8 digits', 400, undefined, false);
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (merchantVat) form.set('merchant_vat', merchantVat);
    const basic = Buffer.from(
      `${this.options.clientId}:${this.options.clientSecret.reveal()}`,
    ).toString('base64');
    const started = this.now();
    let response: Response;
    try {
      response = await fetch(`${this.options.authUrl}/connect/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'x-ibm-client-id': this.options.ibmClientId,
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch {
      throw new PosApiError('token endpoint did not answer', undefined, undefined, true);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      const transient = response.status >= 500 || response.status === 429;
      throw new PosApiError(
        `token endpoint answered ${response.status}`,
        response.status,
        undefined,
        transient,
      );
    }
    const parsed = tokenResponseSchema.safeParse(safeParse(text));
    if (!parsed.success) {
      throw new PosApiError('token endpoint answer is malformed', response.status, undefined, true);
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    const margin = Math.min(this.options.refreshMarginMs, lifetimeMs / 10);
    this.cache.set(merchantVat ?? '', {
      value: parsed.data.access_token,
      // Counted from when we asked: the token's clock started no later than that.
      refreshAt: started + lifetimeMs - margin,
    });
    return parsed.data.access_token;
  }
}

function safeParse(text: string): unknown {
  try {
    return parse(text, null, (number) => number);
  } catch {
    return undefined;
  }
}
