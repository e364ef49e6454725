import { Injectable } from '@nestjs/common';
import type { AcquirerBehaviour } from './authorization-request.schema';
import type { AuthorizationStatus, DeclineCode } from './test-cards';

export interface AuthorizationResult {
  reference: string;
  acquirerReference: string;
  status: AuthorizationStatus;
  declineCode?: DeclineCode;
  amount: number;
  currency: string;
}

/** What the acquirer remembers of one reference; never the card number itself. */
export interface AcquirerRecord {
  reference: string;
  requests: number;
  authorizations: number;
  amount: number;
  currency: string;
  cardType: string;
  cardKind: 'pan' | 'network-token';
  posCode: string | null;
  delegatedAuthentication: boolean;
  threeDS: boolean;
  status: AuthorizationStatus;
  maskedCard: string;
  reversed: boolean;
  /** Digest of the request, to tell a retry from a different request reusing the reference. */
  fingerprint: string;
  result: AuthorizationResult;
}

export type OperationKind = 'capture' | 'refund' | 'cancel';

/** A capture, refund or cancel (void of the rest) of one approved authorization. */
export interface OperationRecord {
  kind: OperationKind;
  reference: string;
  authorizationReference: string;
  acquirerReference: string;
  status: 'APPROVED' | 'DECLINED';
  amount: number;
  requests: number;
  at: string;
}

/** Totals per authorization, enforced when an operation is approved. */
export interface AuthorizationTotals {
  captured: number;
  refunded: number;
  cancelled: number;
}

const DEFAULT_BEHAVIOUR: AcquirerBehaviour = {
  delayMs: 0,
  failNext: 0,
  inquiryUnavailable: false,
  actAfterMs: 0,
};

@Injectable()
export class AcquirerStore {
  private readonly records = new Map<string, AcquirerRecord>();
  private readonly operations = new Map<string, OperationRecord>();
  private readonly totals = new Map<string, AuthorizationTotals>();
  private behaviour: AcquirerBehaviour = { ...DEFAULT_BEHAVIOUR };

  get(reference: string): AcquirerRecord | undefined {
    return this.records.get(reference);
  }

  save(record: AcquirerRecord): void {
    this.records.set(record.reference, record);
  }

  list(): AcquirerRecord[] {
    return [...this.records.values()];
  }

  currentBehaviour(): AcquirerBehaviour {
    return { ...this.behaviour };
  }

  setBehaviour(update: Partial<AcquirerBehaviour>): AcquirerBehaviour {
    this.behaviour = { ...this.behaviour, ...update };
    return this.currentBehaviour();
  }

  takeFailure(): boolean {
    if (this.behaviour.failNext <= 0) return false;
    this.behaviour.failNext -= 1;
    return true;
  }

  operation(reference: string): OperationRecord | undefined {
    return this.operations.get(reference);
  }

  operationsOf(authorizationReference: string): OperationRecord[] {
    return [...this.operations.values()].filter(
      (op) => op.authorizationReference === authorizationReference,
    );
  }

  totalsOf(authorizationReference: string): AuthorizationTotals {
    let totals = this.totals.get(authorizationReference);
    if (!totals) {
      totals = { captured: 0, refunded: 0, cancelled: 0 };
      this.totals.set(authorizationReference, totals);
    }
    return totals;
  }

  saveOperation(operation: OperationRecord): void {
    this.operations.set(operation.reference, operation);
  }

  clear(): void {
    this.operations.clear();
    this.totals.clear();
    this.records.clear();
    this.behaviour = { ...DEFAULT_BEHAVIOUR };
  }
}
