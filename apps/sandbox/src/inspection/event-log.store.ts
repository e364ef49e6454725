import { Injectable, Logger } from '@nestjs/common';

export type EventDirection = 'psp->mobilepay' | 'mobilepay->psp';

/** One HTTP exchange between the PSP and the simulated MobilePay, in either direction. */
export interface SandboxEvent {
  /** When the exchange ended: the answer was sent (or the connection dropped). */
  at: string;
  /** When the request arrived (PSP → MobilePay calls), before any injected latency. */
  receivedAt?: string;
  direction: EventDirection;
  method: string;
  path: string;
  /** HTTP status, or null when no answer arrived (network error, timeout, dropped response). */
  status: number | null;
  paymentId?: string;
  authorizationAttemptId?: string;
  kind?: string;
  error?: string;
  latencyMs?: number;
  body?: unknown;
}

@Injectable()
export class EventLogStore {
  private readonly logger = new Logger('SandboxEvents');
  private events: SandboxEvent[] = [];

  record(event: Omit<SandboxEvent, 'at'>): void {
    const entry: SandboxEvent = { at: new Date().toISOString(), ...event };
    this.events.push(entry);
    // Bodies stay out of the log: callback bodies carry (encrypted) card data.
    this.logger.debug(
      `${entry.direction} ${entry.method} ${entry.path} → ${entry.status ?? entry.error ?? '-'}`,
    );
  }

  list(paymentId?: string): SandboxEvent[] {
    return paymentId ? this.events.filter((e) => e.paymentId === paymentId) : [...this.events];
  }

  clear(): void {
    this.events = [];
  }
}
