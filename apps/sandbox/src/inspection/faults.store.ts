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
}

const NONE: Faults = {
  apiLatencyMs: 0,
  apiFailNext: 0,
  apiDropResponseNext: 0,
  duplicateCallbacks: 0,
};

@Injectable()
export class FaultsStore {
  private faults: Faults = { ...NONE };

  current(): Faults {
    return { ...this.faults };
  }

  set(update: Partial<Faults>): Faults {
    this.faults = { ...this.faults, ...update };
    return this.current();
  }

  clear(): void {
    this.faults = { ...NONE };
  }

  /** Consumes one injected failure, if any are left. */
  takeFailure(): boolean {
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
