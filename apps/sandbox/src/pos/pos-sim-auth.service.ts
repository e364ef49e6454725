import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { CLIENT_SYSTEM_VERSION, MERCHANT_VAT } from '@app/pos';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { posError } from './pos-sim-errors';
import type { PosCaller } from './pos-sim.model';
import { PosSimStore } from './pos-sim.store';

type Headers = Record<string, string | string[] | undefined>;

/** The Integrator Authentication API (client credentials) and the checks on every PoS call. */
@Injectable()
export class PosSimAuthService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PosSimStore,
  ) {}

  issueToken(authorization: string | undefined, form: Record<string, unknown> | undefined) {
    const client = this.basicClient(authorization);
    if (!client) throw posError(401, '', 'invalid_client');
    if (form?.grant_type !== 'client_credentials') {
      throw posError(400, '', 'unsupported_grant_type: only client_credentials');
    }
    const vat = form.merchant_vat;
    if (vat !== undefined && (typeof vat !== 'string' || !MERCHANT_VAT.test(vat))) {
      throw posError(400, '', 'invalid_request: merchant_vat must be DK or FI and 8 digits');
    }
    const accessToken = randomBytes(32).toString('base64url');
    this.store.tokens.set(accessToken, {
      clientId: client,
      merchantVat: vat,
      expiresAt: Date.now() + this.config.pos.tokenTtlS * 1000,
    });
    return {
      access_token: accessToken,
      expires_in: this.config.pos.tokenTtlS,
      token_type: 'Bearer',
      scope: 'integrator_scope',
    };
  }

  /** Bearer token, `x-ibm-client-id`, client version and merchant: 401 or the documented 400s. */
  authenticate(headers: Headers): PosCaller {
    const authorization = single(headers.authorization);
    const token = authorization?.startsWith('Bearer ')
      ? this.store.tokens.get(authorization.slice(7).trim())
      : undefined;
    if (!token || token.expiresAt <= Date.now() || !single(headers['x-ibm-client-id'])) {
      throw posError(401, '', 'Unauthorized');
    }
    const version = headers['x-mobilepay-client-system-version'];
    if (version === undefined) {
      throw posError(400, '1153', 'Missing x-mobilepay-client-system-version header');
    }
    if (duplicated(version)) {
      throw posError(400, '1157', 'Duplicated x-mobilepay-client-system-version header');
    }
    if (!CLIENT_SYSTEM_VERSION.test(String(version))) {
      throw posError(400, '1161', 'Invalid x-mobilepay-client-system-version header');
    }
    const vatHeader = headers['x-mobilepay-merchant-vat-number'];
    if (vatHeader !== undefined && duplicated(vatHeader)) {
      throw posError(400, '1155', 'Duplicated x-mobilepay-merchant-vat-number header');
    }
    const vat = vatHeader === undefined ? undefined : String(vatHeader);
    if (vat !== undefined && !MERCHANT_VAT.test(vat)) {
      throw posError(400, '1159', 'Invalid x-mobilepay-merchant-vat-number header');
    }
    if (token.merchantVat) {
      // A merchant-locked token acts for its merchant only.
      if (vat !== undefined && vat !== token.merchantVat) {
        throw posError(400, '1159', 'x-mobilepay-merchant-vat-number differs from the token');
      }
      return { clientId: token.clientId, merchantVat: token.merchantVat };
    }
    if (vat === undefined) {
      throw posError(400, '1151', 'Missing x-mobilepay-merchant-vat-number header');
    }
    return { clientId: token.clientId, merchantVat: vat };
  }

  private basicClient(authorization: string | undefined): string | undefined {
    if (!authorization?.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator < 0) return undefined;
    const id = decodeURIComponent(decoded.slice(0, separator));
    const secret = decodeURIComponent(decoded.slice(separator + 1));
    const expected = this.config.pos.clients.get(id);
    if (expected === undefined) return undefined;
    const a = Buffer.from(secret);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b) ? id : undefined;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Node joins a repeated header into one comma-separated value (or an array for some). */
function duplicated(value: string | string[]): boolean {
  return Array.isArray(value) ? value.length > 1 : value.includes(',');
}
