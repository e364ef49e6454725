import { eventually } from '../support/eventually';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { CallbackReceiver } from './helpers/callback-receiver';
import { PspFlow } from './helpers/psp-flow';
import {
  onboard,
  paymentRequest,
  rsaKeyPair,
  SandboxClient,
  startTestSandbox,
} from './helpers/sandbox-harness';

const CALLBACK_FIELDS = [
  'PaymentId',
  'AuthorizationAttemptId',
  'Addresses',
  'EmailAddress',
  'EmailAddressValidationMethod',
  'EmailAddressValidationStatus',
  'PhoneNumber',
  'PhoneNumberValidationMethod',
  'PhoneNumberValidationStatus',
];
const ADDRESS_FIELDS = [
  'FirstName',
  'Surname',
  'Attention',
  'CompanyName',
  'AddressLine1',
  'AddressLine2',
  'PostalCode',
  'City',
  'CountryCode',
  'IsCustomerOfficialAddress',
  'IsBillingAddress',
  'IsDeliveryAddress',
  'AddressValidationMethod',
  'AddressValidationStatus',
];
const flags = (addresses: unknown): boolean[][] =>
  (addresses as { IsBillingAddress: boolean; IsDeliveryAddress: boolean }[]).map((a) => [
    a.IsBillingAddress,
    a.IsDeliveryAddress,
  ]);

describe('sandbox: Checkout address callback', () => {
  const psp = new CallbackReceiver();
  let sandbox: RunningSandbox;
  let flow: PspFlow;

  const checkoutPayment = (overrides: Record<string, unknown> = {}) =>
    flow.newPayment({
      isCheckout: true,
      addressCallbackUrl: `${psp.url}/callbacks/address`,
      deliveryAddressAllowed: true,
      ...overrides,
    });

  beforeAll(async () => {
    await psp.start();
    sandbox = await startTestSandbox();
    const client = new SandboxClient(sandbox.url);
    flow = new PspFlow(client, await onboard(client, rsaKeyPair().publicKeyPem), psp);
  });

  afterAll(async () => {
    await sandbox.close();
    await psp.stop();
  });

  beforeEach(() => psp.respondWith());

  it('delivers and awaits the address callback before the card callback, in the guide format', async () => {
    const paymentId = await checkoutPayment();
    const swipe = await flow.client.call(
      'POST',
      `/api/v1/product/payments/simulation/enter-phone-and-swipe/${paymentId}`,
      { phoneNumber: '004587654321' },
    );
    expect(swipe.body).toMatchObject({ callbackStatus: 'acked', callbackKind: 'card-data' });
    const [address, card, ...others] = flow.callbacksOf(paymentId);
    expect(others).toEqual([]);
    expect(address.path).toBe('/callbacks/address');
    expect(card.path).toBe('/callbacks/card/DANKORT');
    expect(address.at).toBeLessThanOrEqual(card.at);
    expect(Object.keys(address.body)).toEqual(CALLBACK_FIELDS);
    expect(address.body).toMatchObject({
      PaymentId: paymentId,
      AuthorizationAttemptId: swipe.body.authorizationAttemptId,
      PhoneNumber: '+4587654321',
      EmailAddress: expect.stringContaining('@'),
    });
    const addresses = address.body.Addresses as Record<string, unknown>[];
    expect(addresses.map((a) => Object.keys(a))).toEqual([ADDRESS_FIELDS]);
    expect(flags(addresses)).toEqual([[true, true]]);
    const { attempts } = await flow.inspect(paymentId);
    expect(attempts[0].checkout).toMatchObject({ status: 'acked', addresses: 1 });
  });

  it('sends two addresses when delivery differs, only billing when delivery is not allowed', async () => {
    const differs = await checkoutPayment();
    await flow.swipe(differs, { deliveryAddressDifferent: true });
    expect(flags(flow.callbacksOf(differs)[0].body.Addresses)).toEqual([
      [true, false],
      [false, true],
    ]);

    const pickup = await checkoutPayment({
      deliveryAddressAllowed: false,
      deliveryAddressDisallowedReasonCode: 3,
    });
    await flow.swipe(pickup, { deliveryAddressDifferent: true });
    expect(flags(flow.callbacksOf(pickup)[0].body.Addresses)).toEqual([[true, false]]);
  });

  it('retries the address callback, then sends the token callback', async () => {
    const paymentId = await checkoutPayment({ allowedCardTypes: flow.tokenizedCardTypes() });
    psp.respondWith(500);
    const swipe = await flow.swipe(paymentId, { cardType: 'VISA-CREDIT' });
    expect(swipe.body).toMatchObject({ callbackStatus: 'acked', callbackKind: 'token' });
    expect(flow.callbacksOf(paymentId).map((c) => c.path)).toEqual([
      '/callbacks/address',
      '/callbacks/address',
      '/callbacks/token/VISA-CREDIT',
    ]);
  });

  it('sends no card callback when the address callback is never acked; the user may retry', async () => {
    const paymentId = await checkoutPayment();
    psp.respondWith(...Array<number>(50).fill(500));
    const failed = await flow.swipe(paymentId);
    expect(failed.body).toMatchObject({ state: 'callback-failed', callbackKind: null });
    expect(flow.callbacksOf(paymentId).every((c) => c.path === '/callbacks/address')).toBe(true);
    psp.respondWith();
    expect((await flow.swipe(paymentId)).body.callbackStatus).toBe('acked');
  });

  it('completes an invalidation during the address callback and never sends the card callback', async () => {
    // A retry window no slow machine outlasts: the address callback is still being retried when
    // the payment is invalidated, and is acked only afterwards.
    const patient = await startTestSandbox({ SANDBOX_CALLBACK_RETRY_WINDOW_MS: '60000' });
    try {
      const client = new SandboxClient(patient.url);
      const local = new PspFlow(client, await onboard(client, rsaKeyPair().publicKeyPem), psp);
      const paymentId = await local.newPayment({
        isCheckout: true,
        addressCallbackUrl: `${psp.url}/callbacks/address`,
        deliveryAddressAllowed: true,
      });
      psp.respondWith(...Array<number>(1_000).fill(500));
      const swiping = local.swipe(paymentId);
      await eventually(
        () => Promise.resolve(local.callbacksOf(paymentId).length),
        (n) => n > 0,
      );
      expect((await local.inspect(paymentId)).attempts[0].checkout).toMatchObject({
        status: 'delivering',
      });
      expect((await local.invalidate(paymentId)).status).toBe(204);
      psp.respondWith();
      expect((await swiping).body).toMatchObject({ state: 'abandoned', callbackKind: null });
      const callbacks = local.callbacksOf(paymentId);
      expect(callbacks.length).toBeGreaterThanOrEqual(2);
      expect(callbacks.every((c) => c.path === '/callbacks/address')).toBe(true);
      const view = await local.inspect(paymentId);
      expect(view.payment.status).toBe('INVALIDATED');
      expect(view.attempts[0].checkout).toMatchObject({ status: 'acked' });
    } finally {
      await patient.close();
    }
  }, 30_000);

  it('requires the Checkout parameters together, and sends nothing extra without isCheckout', async () => {
    const initiate = (overrides: Record<string, unknown>) =>
      flow.client.api(
        'POST',
        '/api/v3/payments',
        paymentRequest(flow.merchantId, psp.url, overrides),
      );
    expect((await initiate({ isCheckout: true })).status).toBe(400);
    const noReason = await initiate({
      isCheckout: true,
      addressCallbackUrl: `${psp.url}/a`,
      deliveryAddressAllowed: false,
    });
    expect(noReason).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('ReasonCode') },
    });
    const plain = await flow.newPayment({ addressCallbackUrl: `${psp.url}/callbacks/address` });
    await flow.swipe(plain);
    expect(flow.callbacksOf(plain).map((c) => c.path)).toEqual(['/callbacks/card/DANKORT']);
  });
});
