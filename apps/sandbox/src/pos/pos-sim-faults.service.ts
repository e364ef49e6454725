import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { posError, PosThrottledError } from './pos-sim-errors';

export const POS_OPERATIONS = [
  'token',
  'stores',
  'createPos',
  'getPos',
  'deletePos',
  'queryPos',
  'checkin',
  'initiate',
  'prepare',
  'ready',
  'getPayment',
  'queryPayments',
  'capture',
  'cancel',
  'createRefund',
  'getRefund',
  'queryRefunds',
  'captureRefund',
  'cancelRefund',
] as const;

export type PosOperation = (typeof POS_OPERATIONS)[number];

export interface PosFault {
  operation: PosOperation;
  /** Only calls about this resource (payment, refund or PoS id in the path); default: any. */
  resourceId?: string;
  /**
   * `before`: fail without doing anything; `after`: do the work, then fail or stall — the
   * answer is lost, which is what retries with the same idempotency key are for.
   */
  when: 'before' | 'after';
  /** HTTP status to answer with (429 adds Retry-After); omitted with `delayMs`: answer late. */
  status?: number;
  code?: string;
  retryAfterS?: number;
  delayMs?: number;
  times: number;
}

/** Scripted failures of the PoS API, consumed one request at a time. */
@Injectable()
export class PosSimFaultsService {
  private faults: PosFault[] = [];
  readonly log: {
    operation: PosOperation;
    resourceId?: string;
    at: number;
    fault?: PosFault['when'];
  }[] = [];

  add(fault: PosFault): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
    this.log.length = 0;
  }

  /** Runs one API operation under whatever fault is scripted for it. */
  async around<T>(
    operation: PosOperation,
    run: () => T | Promise<T>,
    resourceId?: string,
  ): Promise<T> {
    const fault = this.take(operation, resourceId);
    this.log.push({ operation, resourceId, at: Date.now(), fault: fault?.when });
    if (fault?.when === 'before') this.fail(fault);
    const result = await run();
    if (fault?.when === 'after') {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.status) this.fail(fault);
    }
    return result;
  }

  private take(operation: PosOperation, resourceId?: string): PosFault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.operation === operation &&
        f.times > 0 &&
        (f.resourceId === undefined || f.resourceId === resourceId),
    );
    if (!fault) return undefined;
    fault.times--;
    return fault;
  }

  private fail(fault: PosFault): never {
    const status = fault.status ?? 500;
    if (status === 429) throw new PosThrottledError(fault.retryAfterS ?? 1, 'scripted throttling');
    throw posError(status, fault.code ?? (status >= 500 ? '2000' : ''), 'scripted fault');
  }
}
