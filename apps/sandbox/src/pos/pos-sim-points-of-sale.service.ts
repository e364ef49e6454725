import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { BEACON_TYPES, isBeaconId, isGuid, isPosText } from '@app/pos';
import { posError, posNotFound, validatePos } from './pos-sim-errors';
import type { PosCaller, SimPointOfSale, SimStore } from './pos-sim.model';
import { PosSimStore } from './pos-sim.store';
import { PosSimThrottleService } from './pos-sim-throttle.service';

const text = (max = 36) =>
  z.string().refine((v) => isPosText(v, max), 'invalid characters or length');

const createPosSchema = z.object({
  merchantPosId: text(),
  storeId: z.string().refine(isGuid, 'must be a GUID'),
  name: text(),
  beaconId: z.string().refine(isBeaconId, 'must be 15 digits or a GUID').nullish(),
  callbackAlias: text().nullish(),
  supportedBeaconTypes: z
    .array(z.enum(BEACON_TYPES))
    .min(1)
    .refine((types) => new Set(types).size === types.length, 'must be unique'),
  requirePaymentBeforeCheckin: z.boolean().optional(),
});

const storeFilterSchema = z.object({
  merchantBrandId: z
    .string()
    .regex(/^(MPPOS|POSDK|POSFI)\w{5}$/)
    .optional(),
  merchantLocationId: z.string().length(5).optional(),
});

/** Stores and points of sale (PoS management) and the check-in lookup. */
@Injectable()
export class PosSimPointsOfSaleService {
  constructor(
    private readonly store: PosSimStore,
    private readonly throttle: PosSimThrottleService,
  ) {}

  stores(caller: PosCaller, query: unknown): SimStore[] {
    const filter = validatePos(storeFilterSchema, query, {
      merchantBrandId: '1119',
      merchantLocationId: '1120',
    });
    return this.store
      .storesOf(caller.merchantVat)
      .filter(
        (s) =>
          (!filter.merchantBrandId || s.merchantBrandId === filter.merchantBrandId) &&
          (!filter.merchantLocationId || s.merchantLocationId === filter.merchantLocationId),
      );
  }

  getStore(caller: PosCaller, storeId: string): SimStore {
    const store = this.store.stores.get(storeId);
    if (!store || store.merchantVat !== caller.merchantVat) throw posNotFound('Store');
    return store;
  }

  create(caller: PosCaller, body: unknown, idempotencyKey: unknown): { posId: string } {
    const key = checkIdempotencyKey(idempotencyKey);
    const input = validatePos(createPosSchema, body, {
      merchantPosId: '1111',
      name: '1112',
      beaconId: '1100',
      callbackAlias: '1116',
    });
    const outcome = this.store.idempotent(
      `${caller.clientId}|${caller.merchantVat}`,
      key,
      { path: 'pointofsales', input },
      () => {
        this.store.storesOf(caller.merchantVat);
        const store = this.store.stores.get(input.storeId);
        if (!store) throw posError(409, '1002', 'Store not found');
        if (store.merchantVat !== caller.merchantVat) {
          throw posError(
            403,
            '1403',
            'Cannot create point of sale on store that does not belong to the merchant',
          );
        }
        const live = [...this.store.pointsOfSale.values()].filter((p) => !p.deleted);
        if (
          live.some(
            (p) =>
              p.clientId === caller.clientId &&
              p.merchantVat === caller.merchantVat &&
              p.merchantPosId === input.merchantPosId,
          )
        ) {
          throw posError(409, '1200', 'A point of sale with that MerchantPosId already exist');
        }
        if (input.beaconId && this.store.activePosByBeacon(input.beaconId)) {
          throw posError(409, '1202', 'A point of sale with that BeaconId already exist');
        }
        const pos: SimPointOfSale = {
          posId: randomUUID(),
          clientId: caller.clientId,
          merchantVat: caller.merchantVat,
          merchantPosId: input.merchantPosId,
          storeId: input.storeId,
          name: input.name,
          beaconId: input.beaconId ?? randomUUID(),
          callbackAlias: input.callbackAlias ?? null,
          supportedBeaconTypes: input.supportedBeaconTypes,
          requirePaymentBeforeCheckin: input.requirePaymentBeforeCheckin ?? false,
          deleted: false,
        };
        this.store.pointsOfSale.set(pos.posId, pos);
        return { posId: pos.posId };
      },
    );
    if (outcome.kind === 'mismatch') throw idempotencyKeyReused();
    return outcome.body;
  }

  get(caller: PosCaller, posId: string, [otherIntegrator, otherMerchant] = ['1400', '1410']) {
    const pos = this.store.pointsOfSale.get(posId);
    if (!pos || pos.deleted) throw posNotFound('Point of sale');
    if (pos.clientId !== caller.clientId) {
      throw posError(403, otherIntegrator, 'Point of sale was created by a different integrator');
    }
    if (pos.merchantVat !== caller.merchantVat) {
      throw posError(403, otherMerchant, 'Point of sale was created for a different merchant');
    }
    return pos;
  }

  view(pos: SimPointOfSale) {
    return {
      posId: pos.posId,
      merchantPosId: pos.merchantPosId,
      storeId: pos.storeId,
      name: pos.name,
      beaconId: pos.beaconId,
      callbackAlias: pos.callbackAlias,
      supportedBeaconTypes: pos.supportedBeaconTypes,
      requirePaymentBeforeCheckin: pos.requirePaymentBeforeCheckin,
    };
  }

  delete(caller: PosCaller, posId: string): void {
    const pos = this.get(caller, posId, ['1400', '1409']);
    pos.deleted = true;
    pos.checkIn = undefined;
  }

  query(caller: PosCaller, query: Record<string, string | undefined>): { posIds: string[] } {
    const posIds = [...this.store.pointsOfSale.values()]
      .filter(
        (p) =>
          !p.deleted &&
          p.clientId === caller.clientId &&
          p.merchantVat === caller.merchantVat &&
          (!query.storeId || p.storeId === query.storeId) &&
          (!query.beaconId || p.beaconId === query.beaconId) &&
          (!query.merchantPosId || p.merchantPosId === query.merchantPosId),
      )
      .map((p) => p.posId);
    return { posIds };
  }

  checkIn(caller: PosCaller, posId: string) {
    const pos = this.get(caller, posId);
    this.throttle.poll(checkInPolls(pos));
    const user = pos.checkIn?.phoneNumber;
    return {
      isUserCheckedIn: user !== undefined,
      loyaltyIds: user === undefined ? null : loyaltyIdsOf(user),
      pollDelayInMs: this.throttle.pollDelayMs,
      customerToken: user === undefined ? null : customerToken(user),
      customerReceiptToken: null,
    };
  }
}

const checkInPollsByPos = new WeakMap<SimPointOfSale, { polls: number[]; throttled: number }>();

function checkInPolls(pos: SimPointOfSale) {
  let polled = checkInPollsByPos.get(pos);
  if (!polled) {
    polled = { polls: [], throttled: 0 };
    checkInPollsByPos.set(pos, polled);
  }
  return polled;
}

export function checkIdempotencyKey(raw: unknown): string {
  if (raw === undefined) throw posError(400, '1164', 'Missing x-mobilepay-idempotency-key header');
  if (Array.isArray(raw) || (typeof raw === 'string' && raw.includes(','))) {
    throw posError(400, '1163', 'Duplicated x-mobilepay-idempotency-key header');
  }
  const key = typeof raw === 'string' ? raw : '';
  if (!isPosText(key)) throw posError(400, '1162', 'Invalid x-mobilepay-idempotency-key header');
  return key;
}

export function idempotencyKeyReused() {
  return posError(
    409,
    '1306',
    'x-mobilepay-idempotency-key header has to be unique per request unless the request is a retry of a previous request',
  );
}

/** The documented test users: numbers ending in 04 are enrolled in loyalty. */
export function loyaltyIdsOf(phoneNumber: string): string[] {
  return phoneNumber.endsWith('04') ? ['123456'] : [];
}

export function customerToken(phoneNumber: string): string {
  return Buffer.from(phoneNumber).toString('hex').padEnd(40, '0').slice(0, 40);
}
