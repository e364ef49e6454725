import { prepareAbuseTargets, runAbuse } from '../../bench/lib/abuse';
import type { AbuseTargets } from '../../bench/lib/abuse-cases';
import { unstorableRequests } from '../../bench/lib/abuse-corpus';
import { http } from '../../scripts/stack/http';
import { checkoutCallback } from '../../scripts/stack/mobilepay-callbacks';
import { createPayment, onboardMerchant, type DemoMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { query, startTestStack } from '../support/e2e-stack';
import { api, type ApiError } from '../support/merchant-api';

jest.setTimeout(300_000);

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates) is refused at the edge on every route with
 * 400 validation_failed naming the field — the cases an outside fuzzer turned into 500s first,
 * then the corpus generated from the gateway's own OpenAPI document and the callbacks' schemas.
 */
describe('unstorable text on every route', () => {
  let stack: Stack;
  let merchant: DemoMerchant;
  let targets: AbuseTargets;

  beforeAll(async () => {
    stack = await startTestStack();
    merchant = await onboardMerchant(stack);
    targets = await prepareAbuseTargets(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const refusedNaming = (field: string) => ({
    status: 400,
    body: expect.objectContaining({
      code: 'validation_failed',
      details: { issues: expect.arrayContaining([{ path: field, rule: 'unstorable_text' }]) },
    }) as unknown,
  });

  it.each([
    ['PATCH', '/v1/merchant', { displayName: 'a\u0000b' }, 'displayName'],
    [
      'POST',
      '/v1/payments',
      {
        amount: 100,
        currency: 'DKK',
        orderId: '\u0000',
        redirectFromMobilePayUrl: 'https://shop.example.dk/return',
      },
      'orderId',
    ],
    [
      'POST',
      '/v1/payments',
      {
        amount: 100,
        currency: 'DKK',
        orderId: 'a\u0000b',
        redirectFromMobilePayUrl: 'https://shop.example.dk/return',
      },
      'orderId',
    ],
    ['POST', '/v1/api-keys', { label: 'a\u0000b' }, 'label'],
    ['POST', '/v1/api-keys', { label: 'x\ud800y' }, 'label'],
  ])('%s %s: %j is refused naming the field', async (method, path, body, field) => {
    const answer = await api<ApiError>(stack, merchant.apiKey, method, path, body);
    expect(answer).toMatchObject(refusedNaming(field));
  });

  it('refuses a checkout callback with NUL in an address, and stores nothing', async () => {
    const payment = await createPayment(stack, merchant);
    const callback = checkoutCallback(payment.mobilePayPaymentId) as {
      Addresses: Record<string, unknown>[];
    };
    callback.Addresses[0] = { ...callback.Addresses[0], City: 'K\u00f8benhavn\u0000' };
    const answer = await http(
      'POST',
      `${stack.urls.gateway}/callbacks/mobilepay/checkout`,
      callback,
    );
    expect(answer).toMatchObject(refusedNaming('Addresses.0.City'));
    const [row] = await query<{ checkoutDetails: unknown }>(
      'SELECT "checkoutDetails" FROM "Payment" WHERE id = $1',
      [payment.id],
    );
    expect(row.checkoutDetails).toBeNull();
  });

  it('answers the generated corpus without a 5xx, naming the field of every NUL', async () => {
    const corpus = unstorableRequests(targets);
    const named = corpus.filter((r) => r.mustNameField !== undefined);
    expect(named.length).toBeGreaterThan(150);
    const result = await runAbuse(stack, targets, { runs: 0, corpus });

    expect(result.violations).toEqual([]);
    expect(result.requests).toBe(corpus.length);
    expect(result.statusCounts['500'] ?? 0).toBe(0);
    expect(result.processesAlive).toBe(true);
  });
});
