import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SimPayment, SimPointOfSale, SimRefund, SimStore } from './pos-sim.model';

interface IdempotentResult {
  requestHash: string;
  body: unknown;
}

/** The PoS simulator's state: in memory, like the rest of the sandbox. */
@Injectable()
export class PosSimStore {
  readonly stores = new Map<string, SimStore>();
  readonly pointsOfSale = new Map<string, SimPointOfSale>();
  readonly payments = new Map<string, SimPayment>();
  readonly refunds = new Map<string, SimRefund>();
  /** access token → its client, merchant lock and expiry. */
  readonly tokens = new Map<
    string,
    { clientId: string; merchantVat?: string; expiresAt: number }
  >();
  private readonly idempotency = new Map<string, IdempotentResult>();

  /** Every merchant gets one active store on first sight, so an integrator can start at once. */
  storesOf(merchantVat: string): SimStore[] {
    let stores = [...this.stores.values()].filter((s) => s.merchantVat === merchantVat);
    if (stores.length === 0) {
      this.addStore({ merchantVat });
      stores = [...this.stores.values()].filter((s) => s.merchantVat === merchantVat);
    }
    return stores;
  }

  addStore(input: Partial<SimStore> & { merchantVat: string }): SimStore {
    const digits = input.merchantVat.slice(-5);
    const store: SimStore = {
      storeId: randomUUID(),
      storeName: `Butik ${input.merchantVat}`,
      storeStreet: 'Vestergade 1',
      storeZipCode: '1456',
      storeCity: 'København K',
      brandName: 'Gedekid og Smoothies',
      merchantBrandId: `POS${input.merchantVat.slice(0, 2)}${digits}`,
      merchantLocationId: String(this.stores.size + 1).padStart(5, '0'),
      active: true,
      ...input,
    };
    this.stores.set(store.storeId, store);
    return store;
  }

  /** The store a payment was made in (through its point of sale). */
  storeOfPayment(payment: Pick<SimPayment, 'posId'>): SimStore | undefined {
    const pos = this.pointsOfSale.get(payment.posId);
    return pos ? this.stores.get(pos.storeId) : undefined;
  }

  activePosByBeacon(beaconId: string): SimPointOfSale | undefined {
    return [...this.pointsOfSale.values()].find((p) => !p.deleted && p.beaconId === beaconId);
  }

  paymentsOn(posId: string): SimPayment[] {
    return [...this.payments.values()].filter((p) => p.posId === posId);
  }

  refundsOf(paymentId: string): SimRefund[] {
    return [...this.refunds.values()].filter((r) => r.paymentId === paymentId);
  }

  /**
   * PoS v10 idempotency: the same key with the same request gets the first answer again; the same
   * key with another request is refused (1306). Keys are scoped to the integrator and merchant.
   */
  idempotent<T>(
    scope: string,
    key: string,
    request: unknown,
    run: () => T,
  ): { kind: 'result'; body: T } | { kind: 'mismatch' } {
    const requestHash = createHash('sha256').update(canonical(request)).digest('hex');
    const existing = this.idempotency.get(`${scope}|${key}`);
    if (existing) {
      return existing.requestHash === requestHash
        ? { kind: 'result', body: existing.body as T }
        : { kind: 'mismatch' };
    }
    const body = run();
    this.idempotency.set(`${scope}|${key}`, { requestHash, body });
    return { kind: 'result', body };
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
