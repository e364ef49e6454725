import { Injectable } from '@nestjs/common';

export interface Faults {
  /** Delay added before every PSP → MobilePay API call is handled. */
  apiLatencyMs: number;
  /** Answer 503 to this many of the next PSP calls, without acting on them. */
  apiFailNext: number;
  /** Act on this many of the next PSP calls, then drop the connection without an answer. */
  apiDropResponseNext: number;
  /** Deliver every card-data callback this many extra times after it was acked. */
  duplicateCallbacks: number;
  /** An outage: answer 503 to every PSP call, without acting on it, for this long from now. */
  apiOutageMs: number;
  /** Act on every PATCH of an authorization attempt at once, but answer it this much later. */
  patchAnswerDelayMs: number;
}

const NONE: Faults = {
  apiLatencyMs: 0,
  apiFailNext: 0,
  apiDropResponseNext: 0,
  duplicateCallbacks: 0,
  apiOutageMs: 0,
  patchAnswerDelayMs: 0,
};

@Injectable()
export class FaultsStore {
  private faults: Faults = { ...NONE };
  private outageUntil = 0;

  /** The faults in force; `apiOutageMs` is what is left of the outage. */
  current(): Faults {
    return { ...this.faults, apiOutageMs: Math.max(0, this.outageUntil - Date.now()) };
  }

  set(update: Partial<Faults>): Faults {
    const { apiOutageMs, ...rest } = update;
    this.faults = { ...this.faults, ...rest };
    if (apiOutageMs !== undefined) this.outageUntil = Date.now() + apiOutageMs;
    return this.current();
  }

  clear(): void {
    this.faults = { ...NONE };
    this.outageUntil = 0;
  }

  /** Consumes one injected failure, if any are left; always true during an outage. */
  takeFailure(): boolean {
    if (Date.now() < this.outageUntil) return true;
    return this.take('apiFailNext');
  }

  takeDrop(): boolean {
    return this.take('apiDropResponseNext');
  }

  private take(key: 'apiFailNext' | 'apiDropResponseNext'): boolean {
    if (this.faults[key] <= 0) return false;
    this.faults[key] -= 1;
    return true;
  }
}
