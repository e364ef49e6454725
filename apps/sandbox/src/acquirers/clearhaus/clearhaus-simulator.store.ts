import { Injectable } from '@nestjs/common';

export interface ClearhausTransaction {
  id: string;
  amount: number;
  code: number;
  processedAt: string;
}

export interface ClearhausAuthorization extends ClearhausTransaction {
  /** The API key's merchant account: another account cannot see or act on it. */
  merchantId: string;
  currency: string;
  reference: string | null;
  /** Masked (first 6, last 4): the simulator keeps no card number. */
  maskedPan: string;
  tokenized: boolean;
  threeDSecure: { version: string; status: string } | null;
  /** Tests: which 3-D Secure v2 form the authorization carried (`ares`, `rreq` or `raw`). */
  threeDSecureMessage?: string;
  captures: ClearhausTransaction[];
  refunds: ClearhausTransaction[];
  voids: ClearhausTransaction[];
}

export type ClearhausResource = 'authorizations' | 'captures' | 'refunds' | 'voids';

/** The next matching requests are acted on, then answered late or not at all. */
export interface ClearhausFault {
  resource: ClearhausResource;
  delayMs?: number;
  /** Act, then close the connection without an answer. */
  dropAnswer?: boolean;
  remaining: number;
}

/** Clearhaus' state: transactions by id, and every authorization request seen (for tests). */
@Injectable()
export class ClearhausSimulatorStore {
  readonly authorizations = new Map<string, ClearhausAuthorization>();
  /**
   * Tests: cards whose issuer requires strong customer authentication — 40416 without a passed
   * 3-D Secure result, approved with one (the test endpoint's own cards cannot show this).
   */
  readonly scaRequiredPans = new Set<string>();
  /** Authorization requests received per reference, refused ones included. */
  readonly requestsByReference = new Map<string, number>();
  private faults: ClearhausFault[] = [];

  countRequest(reference: string | null): void {
    const key = reference ?? '';
    this.requestsByReference.set(key, (this.requestsByReference.get(key) ?? 0) + 1);
  }

  addFault(fault: ClearhausFault): void {
    this.faults.push(fault);
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Takes the fault for this request, if one is armed. */
  takeFault(resource: ClearhausResource): ClearhausFault | undefined {
    const fault = this.faults.find((f) => f.resource === resource && f.remaining > 0);
    if (fault) fault.remaining -= 1;
    return fault;
  }
}
