import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../../../apps/sandbox/src/sandbox.bootstrap';

export const CLIENT = { id: 'sandbox-client-id', secret: 'sandbox-client-secret' };
export const OTHER_CLIENT = {
  id: 'sandbox-other-client-id',
  secret: 'sandbox-other-client-secret',
};

/** Test assertions read arbitrary JSON; typing every body would only restate the contract. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
}

/** An in-process sandbox on a real socket (port 0), quiet, with fast timings unless overridden. */
export async function startTestSandbox(env: Record<string, string> = {}): Promise<RunningSandbox> {
  return startSandbox({
    // Not the process environment: a developer's SANDBOX_* settings must not change the tests.
    env: {
      LOG_LEVEL: 'silent',
      SANDBOX_CLIENT_ID: CLIENT.id,
      SANDBOX_CLIENT_SECRET: CLIENT.secret,
      SANDBOX_EXTRA_CLIENTS: `${OTHER_CLIENT.id}=${OTHER_CLIENT.secret}`,
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_PORT: '0',
      SANDBOX_CALLBACK_RETRY_INTERVAL_MS: '100',
      SANDBOX_CALLBACK_RETRY_WINDOW_MS: '600',
      ...env,
    },
  });
}

export class SandboxClient {
  constructor(
    readonly url: string,
    private readonly client = CLIENT,
  ) {}

  as(client: { id: string; secret: string }): SandboxClient {
    return new SandboxClient(this.url, client);
  }

  /** A MobilePay API call, authenticated as the PSP. */
  api<T = Json>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return this.call<T>(method, path, body, {
      'x-ibm-client-id': this.client.id,
      'x-ibm-client-secret': this.client.secret,
    });
  }

  async call<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

export function rsaKeyPair(bits = 2048): { publicKeyPem: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

export const merchantRequest = (externalId: string) => ({
  externalId,
  merchantCategoryCode: 5411,
  name: 'Gedekid og Smoothies',
  billingCurrency: 'DKK',
  countryCode: 'DK',
  vatNumber: '11102248',
});

const CARD_TYPES = ['DANKORT', 'VISA-DEBIT', 'VISA-CREDIT', 'MC-DEBIT', 'MC-CREDIT', 'ELEC-DEBIT'];

export function paymentRequest(
  merchantId: string,
  callbackBase: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const unique = Math.random().toString(36).slice(2);
  return {
    merchantId,
    merchantName: 'Gedekid og Smoothies',
    merchantLogoUrl: 'https://no-logo.png',
    merchantOrderId: `order-${unique}`,
    merchantUrl: 'https://shop.example',
    pspReferenceId: `psp-${unique}`,
    amount: 12_995,
    currencyCode: 'DKK',
    allowedCardTypes: CARD_TYPES.map((name) => ({
      name,
      encryptedPanCallbackUrl: `${callbackBase}/callbacks/card/${name}`,
    })),
    publicKeyId: 263012,
    redirectFromMobilePayUrl: 'https://shop.example/return',
    ...overrides,
  };
}

/** Registers a key and a merchant: the state every payment test starts from. */
export async function onboard(
  client: SandboxClient,
  publicKeyPem: string,
  publicKeyId = 263012,
): Promise<string> {
  const key = await client.call('POST', '/sandbox/v1/public-keys', { publicKeyId, publicKeyPem });
  if (key.status !== 201) throw new Error(`key registration failed: ${JSON.stringify(key.body)}`);
  const merchant = await client.api(
    'POST',
    '/api/v1/merchants',
    merchantRequest(`m-${Math.random()}`),
  );
  return (merchant.body as { merchantId: string }).merchantId;
}

/** What MobilePay requires with every PATCH reason code of the 1000 range. */
export const ACQUIRER_FIELDS = {
  acquirerVatNumber: 'DK12345678',
  acquirerMerchantId: 'acq-merchant-1',
  acquirerPaymentReference: 'acq-payment-1',
};

/** A PATCH body as a PSP sends it: 1000-range failures carry the acquirer fields. */
export function withAcquirerFields(body: unknown): unknown {
  const { reasonCode } = (body ?? {}) as { reasonCode?: unknown };
  return typeof reasonCode === 'number' && reasonCode >= 1000 && reasonCode < 2000
    ? { ...ACQUIRER_FIELDS, ...(body as object) }
    : body;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
