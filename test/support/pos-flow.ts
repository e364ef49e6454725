import { randomUUID } from 'node:crypto';
import { http, type JsonResponse } from '../../scripts/stack/http';
import type { DemoMerchant } from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';
import { eventually } from './eventually';

/** The documented sandbox test users (DK): 01 credit, 02 debit, 04 loyalty, 05 partial capture. */
export const TEST_USERS = {
  credit: '+4520031801',
  debit: '+4520031802',
  loyalty: '+4520031804',
  partialCapture: '+4520031805',
} as const;

/** Test assertions read arbitrary JSON; typing every body would only restate the contract. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The parts of /v1/pos views the tests read. */
export interface PaymentView {
  id: string;
  status: string;
  mobilePayPaymentId: string;
  amount: number | null;
  partialCapturePossible: boolean | null;
  loyaltyIds: string[];
  capturedAmount: number;
  pendingSettlement: string | null;
  reservationExpiresAt: string | null;
  refunds: { id: string; status: string }[];
  code?: string;
}

/** What the simulator recorded about a payment. */
export interface SimulatedPayment {
  paymentId: string;
  posId: string;
  orderId: string;
  status: string;
  amount: string | null;
  capturedAmount: string | null;
  polls: number[];
  throttled: number;
  history: { status: string; at: number }[];
}

export interface FaultLogEntry {
  operation: string;
  resourceId?: string;
  at: number;
  fault?: 'before' | 'after';
}

export interface PointOfSale {
  id: string;
  storeId: string;
  mobilePayPosId: string;
  beaconId: string;
}

/** The in-store flows of one merchant, through the gateway (/v1/pos) and the PoS simulator. */
export class PosFlow {
  constructor(
    readonly stack: Stack,
    readonly merchant: DemoMerchant,
  ) {}

  api<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse<T>> {
    return http<T>(method, `${this.stack.urls.gateway}/v1/pos${path}`, body, {
      authorization: `Bearer ${this.merchant.apiKey}`,
      ...headers,
    });
  }

  sandbox(path: string, method = 'GET', body?: unknown): Promise<JsonResponse<unknown>> {
    return http<unknown>(method, `${this.stack.urls.sandbox}${path}`, body);
  }

  /** The app: check in, accept, cancel (MobilePay's User Simulation API). */
  async user(action: 'checkin' | 'acceptpayment' | 'cancelpaymentbyuser', body: object) {
    const response = await this.sandbox(`/pos/app/usersimulation/${action}`, 'POST', body);
    if (response.status !== 200) {
      throw new Error(`${action} failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
  }

  async newPointOfSale(extra: Record<string, unknown> = {}): Promise<PointOfSale> {
    const stores = await this.api<{ data: { storeId: string }[] }>('GET', '/stores');
    if (stores.status !== 200) throw new Error(`stores: ${JSON.stringify(stores.body)}`);
    const created = await this.api<PointOfSale>(
      'POST',
      '/points-of-sale',
      {
        merchantPosId: `till-${randomUUID().slice(0, 8)}`,
        storeId: stores.body.data[0].storeId,
        name: 'Kasse 1',
        supportedBeaconTypes: ['QR'],
        ...extra,
      },
      { 'idempotency-key': randomUUID() },
    );
    if (created.status !== 201) throw new Error(`create PoS: ${JSON.stringify(created.body)}`);
    return created.body;
  }

  startPayment(pos: PointOfSale, body: object = {}, idempotencyKey = randomUUID()) {
    return this.api<PaymentView>(
      'POST',
      '/payments',
      { pointOfSaleId: pos.id, orderId: `o-${randomUUID().slice(0, 8)}`, ...body },
      { 'idempotency-key': idempotencyKey },
    );
  }

  /** Waits until the worker's polling brought the payment to `status`. */
  async waitFor(paymentId: string, status: string, timeoutMs = 20_000): Promise<PaymentView> {
    const view = await eventually(
      () => this.api<PaymentView>('GET', `/payments/${paymentId}`),
      (r) => r.body?.status === status,
      timeoutMs,
    );
    if (view.body?.status !== status) {
      throw new Error(`payment ${paymentId} is ${view.body?.status}, expected ${status}`);
    }
    return view.body;
  }

  async waitForRefund(refundId: string, status: string, timeoutMs = 20_000): Promise<Json> {
    const view = await eventually(
      () => this.api('GET', `/refunds/${refundId}`),
      (r) => r.body?.status === status,
      timeoutMs,
    );
    if (view.body?.status !== status) {
      throw new Error(`refund ${refundId} is ${view.body?.status}, expected ${status}`);
    }
    return view.body;
  }

  /** What the simulator knows about a payment: history, polls (arrival times), throttled count. */
  async simulated(mobilePayPaymentId: string): Promise<SimulatedPayment> {
    const path = `/sandbox/pos/v1/payments/${mobilePayPaymentId}`;
    return (await this.sandbox(path)).body as SimulatedPayment;
  }

  async simulatedOn(pos: PointOfSale): Promise<SimulatedPayment[]> {
    const all = await this.sandbox(`/sandbox/pos/v1/merchants/DK11102248/payments`);
    return (all.body as SimulatedPayment[]).filter((p) => p.posId === pos.mobilePayPosId);
  }

  async faultLog(): Promise<FaultLogEntry[]> {
    return (await this.sandbox('/sandbox/pos/v1/faults/log')).body as FaultLogEntry[];
  }

  async eventTypes(paymentId: string): Promise<string[]> {
    const events = await this.api<{ data: { type: string }[] }>(
      'GET',
      `/events?paymentId=${paymentId}`,
    );
    return events.body.data.map((e) => e.type).reverse();
  }

  fault(fault: object) {
    return this.sandbox('/sandbox/pos/v1/faults', 'POST', fault);
  }

  /** Check in, initiate, accept: a reserved payment of `amount` øre. */
  async reservedPayment(
    pos: PointOfSale,
    amount: number,
    phoneNumber: string = TEST_USERS.credit,
  ): Promise<PaymentView> {
    await this.user('checkin', { beaconId: pos.beaconId, phoneNumber });
    const started = await this.startPayment(pos, { amount, currency: 'DKK' });
    if (started.status !== 201) throw new Error(`start: ${JSON.stringify(started.body)}`);
    await this.waitFor(started.body.id, 'ISSUED_TO_USER');
    await this.user('acceptpayment', { beaconId: pos.beaconId, phoneNumber });
    return this.waitFor(started.body.id, 'RESERVED');
  }
}

/** Gaps between consecutive arrival times, in ms. */
export function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}
