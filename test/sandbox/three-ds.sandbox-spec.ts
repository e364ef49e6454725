import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSandbox } from '../../apps/sandbox/src/sandbox.bootstrap';
import { CallbackReceiver } from './helpers/callback-receiver';
import { PspFlow, reasonCodes } from './helpers/psp-flow';
import { onboard, rsaKeyPair, SandboxClient, startTestSandbox } from './helpers/sandbox-harness';

const REAL_DONE3DS = 'https://sandprod-products.mobilepay.dk/remote-website/apppages/done3ds.html';
const stepUp = (url: string) => ({
  succeeded: false,
  reasonCode: 1008,
  reasonMessage: '3DS step-up required',
  threeDSecureUrl: url,
});

describe('sandbox: the 3DS web view and done3ds.html', () => {
  const psp = new CallbackReceiver();
  let sandbox: RunningSandbox;
  let flow: PspFlow;
  let pageServer: Server;
  let pageUrl = '';

  /**
   * The PSP's 3DS page: `/3ds/{action}/{paymentId}/{attemptId}`. The challenge "completes" on
   * load; the page reports 1009 (complete) or 1000 (cancel) and redirects to done3ds.html.
   */
  const threeDsPage = async (path: string): Promise<{ status: number; location?: string }> => {
    const [, , action, paymentId, attemptId] = path.split('/');
    if (action === 'challenge') return { status: 200 };
    if (action === 'complete')
      return { status: 302, location: `/3ds/return/${paymentId}/${attemptId}` };
    if (action === 'external') return { status: 302, location: REAL_DONE3DS };
    const body =
      action === 'return'
        ? { succeeded: false, reasonCode: 1009, reasonMessage: '3DS done, re-authorizing' }
        : { succeeded: false, reasonCode: 1000, reasonMessage: 'user cancelled 3DS' };
    await flow.patch(paymentId, attemptId, body);
    return { status: 302, location: `${sandbox.url}/done3ds.html` };
  };

  const challenged = async (action: string): Promise<{ paymentId: string; attemptId: string }> => {
    const paymentId = await flow.newPayment();
    const attemptId = (await flow.swipe(paymentId, { cardNumber: '4000000000003220' })).body
      .authorizationAttemptId as string;
    const patched = await flow.patch(
      paymentId,
      attemptId,
      stepUp(`${pageUrl}/3ds/${action}/${paymentId}/${attemptId}`),
    );
    expect(patched.status).toBe(204);
    return { paymentId, attemptId };
  };

  beforeAll(async () => {
    await psp.start();
    sandbox = await startTestSandbox();
    const client = new SandboxClient(sandbox.url);
    flow = new PspFlow(client, await onboard(client, rsaKeyPair().publicKeyPem), psp);
    pageServer = createServer((request, response) => {
      void threeDsPage(request.url ?? '').then(({ status, location }) => {
        response.writeHead(status, location ? { location } : {});
        response.end('<html>3DS</html>');
      });
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await sandbox.close();
    await psp.stop();
    pageServer.closeAllConnections();
    await new Promise((resolve) => pageServer.close(resolve));
  });

  it('1008 → web view → 1009 → done3ds.html → final PATCH authorizes', async () => {
    const { paymentId, attemptId } = await challenged('complete');
    expect((await flow.inspect(paymentId)).attempts[0].threeDs).toMatchObject({
      opened: false,
      landedOnDone3ds: false,
    });
    const opened = await flow.open3ds(attemptId);
    expect(opened.status).toBe(200);
    expect(opened.body.threeDs).toMatchObject({
      opened: true,
      landedOnDone3ds: true,
      status: 200,
      finalUrl: `${sandbox.url}/done3ds.html`,
    });
    const hops = opened.body.threeDs.hops as { status: number }[];
    expect(hops.map((h) => h.status)).toEqual([302, 302, 200]);
    // In 3DS: the user cannot switch card and the payment cannot be invalidated.
    expect((await flow.swipe(paymentId)).body.code).toBe('2410');
    expect((await flow.invalidate(paymentId)).body.code).toBe('2101');

    expect((await flow.patch(paymentId, attemptId, { succeeded: true })).status).toBe(204);
    const view = await flow.inspect(paymentId);
    expect(view.payment.status).toBe('AUTHORIZED');
    expect(reasonCodes(view.attempts[0])).toEqual([1008, 1009, null]);
    expect(view.attempts[0].threeDs).toMatchObject({ opened: true, landedOnDone3ds: true });
    const kinds = (view.events as { kind?: string }[]).map((e) => e.kind).filter(Boolean);
    expect(kinds).toEqual(expect.arrayContaining(['3ds-webview', 'done3ds']));
  });

  it('1008 → web view → 1000 (cancelled) → done3ds.html; the user may retry with another card', async () => {
    const { paymentId, attemptId } = await challenged('cancel');
    const opened = await flow.open3ds(attemptId);
    expect(opened.body.threeDs).toMatchObject({ opened: true, landedOnDone3ds: true });
    const view = await flow.inspect(paymentId);
    expect(view.attempts[0]).toMatchObject({
      state: 'failed',
      final: { succeeded: false, reasonCode: 1000 },
    });
    expect(reasonCodes(view.attempts[0])).toEqual([1008, 1000]);
    const retry = await flow.swipe(paymentId, { cardType: 'VISA-DEBIT' });
    expect(retry.body).toMatchObject({ callbackStatus: 'acked', cardType: 'VISA-DEBIT' });
    expect((await flow.open3ds(attemptId)).body.code).toBe('2430');
  });

  it("intercepts MobilePay's real done3ds.html URL without loading it", async () => {
    const { attemptId } = await challenged('external');
    const opened = await flow.open3ds(attemptId);
    expect(opened.body.threeDs).toMatchObject({ landedOnDone3ds: true, finalUrl: REAL_DONE3DS });
    expect(opened.body.threeDs.hops).toHaveLength(1);
  });

  it('records a browser landing on done3ds.html for the one open web view', async () => {
    const { paymentId, attemptId } = await challenged('challenge');
    expect((await flow.open3ds(attemptId)).body.threeDs).toMatchObject({
      opened: true,
      landedOnDone3ds: false,
      status: 200,
    });
    const landing = await fetch(`${sandbox.url}/remote-website/apppages/done3ds.html`);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('3-D Secure');
    expect((await flow.inspect(paymentId)).attempts[0].threeDs.landedOnDone3ds).toBe(true);
  });

  it('refuses open-3ds without a pending challenge (2430) or for an unknown attempt (2300)', async () => {
    const paymentId = await flow.newPayment();
    const { authorizationAttemptId } = (await flow.swipe(paymentId)).body;
    expect(await flow.open3ds(authorizationAttemptId)).toMatchObject({
      status: 409,
      body: { code: '2430' },
    });
    expect((await flow.open3ds('0b7e3c52-3f7e-4a8e-9b53-2d6f8a1c9e00')).body.code).toBe('2300');
  });
});
