import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { http } from '../../scripts/stack/http';
import { createPayment, onboardMerchant, type DemoMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { query, startTestStack } from '../support/e2e-stack';
import { authorizedPayment } from '../support/merchant-api';
import { eventually } from '../support/eventually';
import {
  cardDataCallback,
  checkoutCallback,
  MASTERCARD_TEST_TOKEN,
  mastercardTokenCallback,
  ticksAt,
  VISA_TEST_TOKEN,
  visaTokenCallback,
} from '../../scripts/stack/mobilepay-callbacks';

jest.setTimeout(120_000);

const VISA = '4111111111111111';
const FUTURE = { expiryMonth: 12, expiryYear: 39 };

describe('callback intake at the gateway', () => {
  let stack: Stack;
  let merchant: DemoMerchant;
  let publicKeyPem: string;
  const responses: string[] = [];

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await http<{ code?: string; status?: string }>(
      'POST',
      `${stack.urls.gateway}/callbacks/mobilepay/${path}`,
      body,
      {
        'content-type': 'application/json',
        ...headers,
      },
    );
    responses.push(JSON.stringify(response.body));
    return response;
  };
  const newPayment = async (overrides: Record<string, unknown> = {}) =>
    (await createPayment(stack, merchant, overrides)).mobilePayPaymentId;
  const attemptRow = (id: string) =>
    query<{ status: string; reasonCode: number | null; kind: string; tokenMethod: string | null }>(
      'SELECT status, "reasonCode", kind, "tokenMethod" FROM "AuthorizationAttempt" WHERE id = $1',
      [id],
    );

  beforeAll(async () => {
    stack = await startTestStack({ gateway: { TOKEN_ACCEPTED_COUNTRIES: 'DK' } });
    merchant = await onboardMerchant(stack);
    publicKeyPem = readFileSync(stack.publicKeyPath, 'utf8');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('acks a valid card-data callback and is idempotent for redeliveries', async () => {
    const body = cardDataCallback(publicKeyPem, stack.publicKeyId, await newPayment(), {
      pan: VISA,
      ...FUTURE,
    });
    const first = await post('card-data', body);
    const again = await post('card-data', body);
    expect(first).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(
      await query('SELECT 1 FROM "AuthorizationAttempt" WHERE id = $1', [
        body.AuthorizationAttemptId,
      ]),
    ).toHaveLength(1);
  });

  it.each([
    [
      'unknown public key id',
      async () => ({
        ...cardDataCallback(publicKeyPem, 999, await newPayment(), { pan: VISA, ...FUTURE }),
      }),
      422,
      'unknown_public_key',
    ],
    [
      'tampered ciphertext',
      async () => {
        const body = cardDataCallback(publicKeyPem, stack.publicKeyId, await newPayment(), {
          pan: VISA,
          ...FUTURE,
        });
        const bytes = Buffer.from(body.EncryptedCardData, 'base64');
        bytes[10] ^= 0xff;
        return { ...body, EncryptedCardData: bytes.toString('base64') };
      },
      422,
      'undecryptable_card_data',
    ],
    [
      'unknown payment',
      () =>
        Promise.resolve(
          cardDataCallback(publicKeyPem, stack.publicKeyId, randomUUID(), { pan: VISA, ...FUTURE }),
        ),
      404,
      'unknown_payment',
    ],
    [
      'wrong field types',
      () =>
        Promise.resolve({
          PaymentId: 12,
          AuthorizationAttemptId: [],
          PublicKeyId: 'x',
          CardType: 'AMEX',
        }),
      400,
      'validation_failed',
    ],
  ])('refuses %s with a 4xx and a stable code', async (_name, build, status, code) => {
    const response = await post('card-data', await build());
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
  });

  it.each([
    [
      'a replayed (stale) payload',
      2001,
      { pan: VISA, ...FUTURE, ticks: ticksAt(Date.now() - 3_600_000) },
    ],
    ['a card number failing Luhn', 2001, { pan: '4111111111111112', ...FUTURE }],
    ['an expired card', 1003, { pan: VISA, expiryMonth: 1, expiryYear: 20 }],
  ])('acks %s but fails the attempt with reason %i', async (_name, reasonCode, card) => {
    const body = cardDataCallback(publicKeyPem, stack.publicKeyId, await newPayment(), card);
    const response = await post('card-data', body);
    expect(response).toMatchObject({ status: 200, body: { status: 'rejected' } });
    const [row] = await attemptRow(body.AuthorizationAttemptId);
    // DECLINED until the worker's PATCH is through, FAILED after: never authorized either way.
    expect(row).toMatchObject({ reasonCode });
    expect(['DECLINED', 'FAILED']).toContain(row.status);
    // The failure PATCH names the acquirer, as MobilePay requires for the 1000 range.
    const [outbox] = await query<{ payload: { body: Record<string, unknown> } }>(
      'SELECT payload FROM "OutboxMessage" WHERE "attemptId" = $1',
      [body.AuthorizationAttemptId],
    );
    expect(outbox.payload.body).toEqual({
      succeeded: false,
      reasonCode,
      reasonMessage: expect.any(String),
      acquirerVatNumber: expect.stringMatching(/^[A-Z]{2}\d+$/),
      acquirerMerchantId: expect.any(String),
      acquirerPaymentReference: body.AuthorizationAttemptId,
    });
    expect(
      await query('SELECT 1 FROM "SealedCardData" WHERE "attemptId" = $1', [
        body.AuthorizationAttemptId,
      ]),
    ).toHaveLength(0);
  });

  it('answers oversized and non-JSON bodies with 413 and 400', async () => {
    const huge = await post('card-data', { EncryptedCardData: 'A'.repeat(100_000) });
    expect(huge).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    const broken = await post('card-data', '{"EncryptedCardData": ');
    expect(broken).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it.each([
    ['VTS', visaTokenCallback],
    ['MC S4C', mastercardTokenCallback],
  ])('accepts a %s token callback and authorizes it as a network token', async (method, build) => {
    const body = build(await newPayment());
    const response = await post('token', body);
    expect(response).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const [row] = await eventually(
      () => attemptRow(body.authorizationAttemptId),
      (r) => r[0]?.status !== 'RECEIVED' && r[0]?.status !== 'AUTHORIZING',
    );
    expect(row).toMatchObject({ kind: 'NETWORK_TOKEN', tokenMethod: method });
    const { body: records } = await http<
      { reference: string; authorizations: number; status: string }[]
    >('GET', `${stack.urls.sandbox}/acquirer/v1/_records`);
    expect(records.find((r) => r.reference === body.authorizationAttemptId)).toMatchObject({
      authorizations: 1,
      status: 'APPROVED',
    });
  });

  it('answers 501 to a token it cannot route, storing nothing, so MobilePay fails over', async () => {
    for (const body of [
      visaTokenCallback(await newPayment(), { cardIssuedInCountryCode: 'FI' }),
      visaTokenCallback(await newPayment(), { cardType: 'DANKORT' }),
    ]) {
      const response = await post('token', body);
      expect(response).toMatchObject({ status: 501, body: { code: 'token_not_supported' } });
      expect(await attemptRow(body.authorizationAttemptId)).toHaveLength(0);
    }
  });

  it('answers 501 to token data MobilePay sent with nulls (the schema allows them): card data next', async () => {
    const vts = visaTokenCallback(await newPayment());
    const mc = mastercardTokenCallback(await newPayment());
    const withoutCryptogram = {
      ...vts,
      tokenData: { ...vts.tokenData, cryptogramInfo: { cryptogram: null, eci: null } },
    };
    const withoutDynamicData = { ...mc, tokenData: { ...mc.tokenData, dynamicData: null } };
    for (const body of [withoutCryptogram, withoutDynamicData]) {
      const response = await post('token', body);
      expect(response).toMatchObject({ status: 501, body: { code: 'token_not_supported' } });
      expect(await attemptRow(body.authorizationAttemptId)).toHaveLength(0);
    }
  });

  it('stores Checkout addresses on the payment once, even when redelivered', async () => {
    const payment = await createPayment(stack, merchant, {
      checkout: { deliveryAddressAllowed: true },
    });
    const body = checkoutCallback(payment.mobilePayPaymentId);
    expect((await post('checkout', body)).status).toBe(200);
    expect((await post('checkout', body)).status).toBe(200);
    const view = await http<{
      checkout: { details: { addresses: { city: string }[]; email: { value: string } } };
    }>('GET', `${stack.urls.gateway}/v1/payments/${payment.id}`, undefined, {
      authorization: `Bearer ${merchant.apiKey}`,
    });
    expect(view.body.checkout.details.addresses[0].city).toBe('Great city');
    expect(view.body.checkout.details.email.value).toBe('john@example.dk');
    const events = await query(
      'SELECT 1 FROM "PaymentEvent" WHERE "paymentId" = $1 AND type = $2',
      [payment.id, 'payment.address_received'],
    );
    expect(events).toHaveLength(1);
  });

  it('records a failed-payment callback that comes while the payment is still valid, and leaves it payable', async () => {
    const payment = await createPayment(stack, merchant);
    const failed = await post('failed', {
      Code: '100',
      Reason: 'Payment expired',
      PaymentId: payment.mobilePayPaymentId,
    });
    expect(failed).toMatchObject({ status: 200, body: { status: 'recorded' } });
    const [row] = await query<{ status: string }>('SELECT status FROM "Payment" WHERE id = $1', [
      payment.id,
    ]);
    expect(row.status).toBe('INITIATED');
    expect(
      await query('SELECT 1 FROM "PaymentEvent" WHERE "paymentId" = $1 AND type = $2', [
        payment.id,
        'payment.expired',
      ]),
    ).toHaveLength(0);
    const card = cardDataCallback(publicKeyPem, stack.publicKeyId, payment.mobilePayPaymentId, {
      pan: VISA,
      ...FUTURE,
    });
    expect(await post('card-data', card)).toMatchObject({
      status: 200,
      body: { status: 'accepted' },
    });
  });

  it('refuses Checkout addresses for a payment that is authorized or past its validity', async () => {
    const authorized = await authorizedPayment(stack, merchant);
    const late = await post('checkout', checkoutCallback(authorized.mobilePayPaymentId));
    expect(late).toMatchObject({ status: 409, body: { code: 'payment_not_payable' } });

    const lapsed = await createPayment(stack, merchant);
    await query(`UPDATE "Payment" SET "expiresAt" = now() - interval '1 minute' WHERE id = $1`, [
      lapsed.id,
    ]);
    const afterValidity = await post('checkout', checkoutCallback(lapsed.mobilePayPaymentId));
    expect(afterValidity).toMatchObject({ status: 409, body: { code: 'payment_not_payable' } });

    const rows = await query<{ checkoutDetails: unknown }>(
      'SELECT "checkoutDetails" FROM "Payment" WHERE id = ANY($1::uuid[])',
      [[authorized.id, lapsed.id]],
    );
    expect(rows.map((r) => r.checkoutDetails)).toEqual([null, null]);
    expect(
      await query(
        'SELECT 1 FROM "PaymentEvent" WHERE "paymentId" = ANY($1::uuid[]) AND type = $2',
        [[authorized.id, lapsed.id], 'payment.address_received'],
      ),
    ).toHaveLength(0);
  });

  it('marks the payment expired on the failed-payment callback once its validity lapsed, then refuses card data with 2001', async () => {
    const payment = await createPayment(stack, merchant);
    await query(`UPDATE "Payment" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [
      payment.id,
    ]);
    const failed = await post('failed', {
      Code: '100',
      Reason: 'Payment expired',
      PaymentId: payment.mobilePayPaymentId,
    });
    expect(failed).toMatchObject({ status: 200, body: { status: 'expired' } });
    const [row] = await query<{ status: string }>('SELECT status FROM "Payment" WHERE id = $1', [
      payment.id,
    ]);
    expect(row.status).toBe('EXPIRED');
    const late = cardDataCallback(publicKeyPem, stack.publicKeyId, payment.mobilePayPaymentId, {
      pan: VISA,
      ...FUTURE,
    });
    expect(await post('card-data', late)).toMatchObject({
      status: 200,
      body: { status: 'rejected' },
    });
    const [lateRow] = await attemptRow(late.AuthorizationAttemptId);
    expect(lateRow).toMatchObject({ reasonCode: 2001 });
    expect(['DECLINED', 'FAILED']).toContain(lateRow.status);
  });

  it('never answers 5xx to arbitrary bodies on any callback endpoint', async () => {
    const paymentId = await newPayment();
    const arbitrary = fc.oneof(
      fc.jsonValue(),
      fc.record({
        EncryptedCardData: fc.oneof(fc.string(), fc.base64String(), fc.integer()),
        PaymentId: fc.oneof(fc.uuid(), fc.constant(paymentId), fc.string()),
        AuthorizationAttemptId: fc.oneof(fc.uuid(), fc.string()),
        PublicKeyId: fc.oneof(fc.integer(), fc.constant(stack.publicKeyId), fc.string()),
        CardType: fc.oneof(fc.constantFrom('DANKORT', 'VISA-CREDIT', 'MC-DEBIT'), fc.string()),
      }),
      fc.record({
        paymentId: fc.constant(paymentId),
        tokenMethod: fc.constantFrom('VTS', 'MC S4C', 'X'),
        tokenData: fc.jsonValue(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('card-data', 'token', 'checkout', 'failed'),
        arbitrary,
        async (path, body) => {
          const response = await post(path, JSON.stringify(body));
          return response.status < 500;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks the sender when an allow-list and a client certificate name are configured', async () => {
    stack.setEnv('gateway', {
      CALLBACK_ALLOWED_CIDRS: '212.93.32.0/19,185.218.228.0/22',
      GATEWAY_TRUSTED_PROXIES: '127.0.0.1',
      CALLBACK_CLIENT_CERT_CN: 'callback.mobilepay.dk',
      CALLBACK_CLIENT_CERT_CN_HEADER: 'x-client-cert-cn',
    });
    await stack.stop('gateway');
    await stack.start('gateway');
    try {
      const body = cardDataCallback(publicKeyPem, stack.publicKeyId, await newPayment(), {
        pan: VISA,
        ...FUTURE,
      });
      const outsider = await post('card-data', body, {
        'x-forwarded-for': '8.8.8.8',
        'x-client-cert-cn': 'callback.mobilepay.dk',
      });
      expect(outsider).toMatchObject({ status: 403, body: { code: 'sender_not_allowed' } });
      const wrongCert = await post('card-data', body, {
        'x-forwarded-for': '212.93.33.7',
        'x-client-cert-cn': 'evil.example',
      });
      expect(wrongCert.status).toBe(403);
      const mobilePay = await post('card-data', body, {
        'x-forwarded-for': '185.218.229.10',
        'x-client-cert-cn': 'callback.mobilepay.dk',
      });
      expect(mobilePay).toMatchObject({ status: 200, body: { status: 'accepted' } });
    } finally {
      stack.setEnv('gateway', {
        CALLBACK_ALLOWED_CIDRS: '',
        CALLBACK_CLIENT_CERT_CN: '',
        CALLBACK_CLIENT_CERT_CN_HEADER: '',
      });
    }
  });

  it('leaks no card number, token or cryptogram into responses or logs', () => {
    const secrets = [VISA, VISA_TEST_TOKEN, MASTERCARD_TEST_TOKEN];
    const logs = readdirSync(stack.logDir).map((file) =>
      readFileSync(join(stack.logDir, file), 'utf8'),
    );
    for (const text of [...responses, ...logs])
      for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
