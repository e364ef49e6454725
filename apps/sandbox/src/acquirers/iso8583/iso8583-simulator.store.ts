import { Injectable } from '@nestjs/common';
import { type Iso8583Behaviour, NORMAL_BEHAVIOUR } from './iso8583-behaviour.schema';

/** What the host remembers of one authorization, by RRN; never the card number itself. */
export interface Iso8583Record {
  rrn: string;
  /** Field 48 tag RF: the PSP's own reference (the authorization attempt id). */
  reference: string;
  /** 0100s received for this RRN; a repeat is answered from here without a new authorization. */
  requests: number;
  authorizations: number;
  inquiries: number;
  reversals: number;
  reversed: boolean;
  amount: number;
  currency: string;
  maskedCard: string;
  cardKind: 'pan' | 'network-token';
  tokenMethod: string | null;
  /** Field 48 tag DA of a token: the token service's delegated-authentication flag, if sent. */
  delegatedAuthentication: boolean | null;
  threeDS: boolean;
  terminalId: string;
  acquirerMerchantId: string;
  /** Field 22 and field 47 exactly as received (Dankort delegated authentication). */
  posDataCode: string | null;
  additionalDataNational: string | null;
  additionalDataNationalTags: Record<string, string>;
  responseCode: string;
  authorizationCode: string | null;
  captures: { id: string; amount: number }[];
  refunds: { id: string; amount: number }[];
  /** Partial reversals (0400 with an operation id): amounts released from the authorization. */
  releases: { id: string; amount: number }[];
  /** Digest of the request, to tell a retry from another request that reuses the RRN. */
  fingerprint: string;
  /** The stored answer (response code, approval code); echo fields are the request's own. */
  answer: Readonly<Record<number, string>>;
}

@Injectable()
export class Iso8583SimulatorStore {
  private readonly records = new Map<string, Iso8583Record>();
  private behaviour: Iso8583Behaviour = { ...NORMAL_BEHAVIOUR };

  get(rrn: string): Iso8583Record | undefined {
    return this.records.get(rrn);
  }

  save(record: Iso8583Record): void {
    this.records.set(record.rrn, record);
  }

  list(): Iso8583Record[] {
    return [...this.records.values()];
  }

  currentBehaviour(): Iso8583Behaviour {
    return { ...this.behaviour };
  }

  setBehaviour(update: Partial<Iso8583Behaviour>): Iso8583Behaviour {
    this.behaviour = { ...this.behaviour, ...update };
    return this.currentBehaviour();
  }

  /** The behaviour for the message just received; a limited mode counts down to normal. */
  takeBehaviour(): Iso8583Behaviour {
    const current = this.currentBehaviour();
    if (this.behaviour.times !== null) {
      this.behaviour.times -= 1;
      if (this.behaviour.times <= 0) this.behaviour = { ...NORMAL_BEHAVIOUR };
    }
    return current;
  }

  clear(): void {
    this.records.clear();
    this.behaviour = { ...NORMAL_BEHAVIOUR };
  }
}
