import type { CallbackReceiver } from './callback-receiver';
import {
  type Json,
  paymentRequest,
  type Reply,
  type SandboxClient,
  withAcquirerFields,
} from './sandbox-harness';

/** The reason codes of an attempt's PATCHes, null for `succeeded: true`. */
export function reasonCodes(attempt: Json): (number | null)[] {
  return (attempt.patches as { body: { reasonCode?: number } }[]).map(
    (p) => p.body.reasonCode ?? null,
  );
}

/** The calls a PSP (and the simulated shopper) make, for one sandbox, merchant and receiver. */
export class PspFlow {
  constructor(
    readonly client: SandboxClient,
    readonly merchantId: string,
    readonly psp: CallbackReceiver,
  ) {}

  async newPayment(overrides: Record<string, unknown> = {}): Promise<string> {
    const request = paymentRequest(this.merchantId, this.psp.url, overrides);
    const reply = await this.client.api('POST', '/api/v3/payments', request);
    if (reply.status !== 200) throw new Error(`initiate: ${JSON.stringify(reply.body)}`);
    return reply.body.paymentId as string;
  }

  /** Card types with a token callback URL next to the card-data one (Visa/Mastercard only). */
  tokenizedCardTypes(names: string[] = ['DANKORT', 'VISA-CREDIT', 'MC-CREDIT']): Json[] {
    return names.map((name) => ({
      name,
      encryptedPanCallbackUrl: `${this.psp.url}/callbacks/card/${name}`,
      ...(name === 'DANKORT'
        ? {}
        : { tokenCallbackUrl: `${this.psp.url}/callbacks/token/${name}` }),
    }));
  }

  swipe(paymentId: string, body: Record<string, unknown> = {}): Promise<Reply> {
    return this.client.call('POST', `/sandbox/v1/payments/${paymentId}/swipe`, body);
  }

  patch(paymentId: string, attemptId: unknown, body: unknown): Promise<Reply> {
    return this.client.api(
      'PATCH',
      `/api/v1/payments/${paymentId}/authorizationattempts/${String(attemptId)}`,
      withAcquirerFields(body),
    );
  }

  invalidate(paymentId: string): Promise<Reply> {
    return this.client.api('PUT', `/api/v1/payments/${paymentId}/invalidate`);
  }

  report(paymentId: string, kind: 'capture' | 'cancel' | 'refund', id: string, amount: number) {
    return this.client.api('POST', `/api/v1/payments/${paymentId}/${kind}s`, {
      [`${kind}Identifier`]: id,
      amount,
      timestamp: new Date().toISOString(),
    });
  }

  userAction(paymentId: string, action: 'reject' | 'expire'): Promise<Reply> {
    return this.client.call('POST', `/sandbox/v1/payments/${paymentId}/${action}`);
  }

  open3ds(attemptId: unknown): Promise<Reply> {
    return this.client.call('POST', `/sandbox/v1/attempts/${String(attemptId)}/open-3ds`);
  }

  async inspect(paymentId: string): Promise<Json> {
    return (await this.client.call('GET', `/sandbox/v1/payments/${paymentId}`)).body;
  }

  /** Every callback the PSP received for a payment, by either casing of the payment id. */
  callbacksOf(paymentId: string) {
    return this.psp.received.filter(
      (c) => c.body.PaymentId === paymentId || c.body.paymentId === paymentId,
    );
  }
}
