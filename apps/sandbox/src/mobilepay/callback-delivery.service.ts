import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { EventLogStore } from '../inspection/event-log.store';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import type { CallbackKind, Delivery } from './payment.model';

export interface Callback {
  url: string;
  /** Serialized JSON, sent byte for byte on every try. */
  body: string;
  /** What the event log shows instead of `body` (token callbacks: token and cryptogram masked). */
  view?: unknown;
  kind: CallbackKind;
  paymentId: string;
  authorizationAttemptId?: string;
  /** An answer with this status ends delivery at once, unretried (token callback: 501). */
  failOverOn?: number;
}

/** acked: 2xx; failed: the retry window ran out; failed-over: answered `failOverOn`. */
export type DeliveryOutcome = 'acked' | 'failed' | 'failed-over';

/**
 * MobilePay's callback sender: retries on network errors and non-2xx answers every retry interval
 * for the retry window (guide: 15 s), each try with its own timeout; every try is recorded.
 */
@Injectable()
export class CallbackDeliveryService implements OnModuleDestroy {
  private shutdown = new AbortController();

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly events: EventLogStore,
  ) {}

  async deliver(callback: Callback, deliveries: Delivery[]): Promise<DeliveryOutcome> {
    const { retryWindowMs, retryIntervalMs } = this.config.callbacks;
    const signal = this.shutdown.signal;
    const correlationId = randomUUID();
    const started = Date.now();
    for (;;) {
      const delivery = await this.tryOnce(callback, correlationId, false);
      deliveries.push(delivery);
      if (isAck(delivery)) return 'acked';
      if (callback.failOverOn !== undefined && delivery.status === callback.failOverOn) {
        return 'failed-over';
      }
      if (signal.aborted || Date.now() - started + retryIntervalMs > retryWindowMs) return 'failed';
      try {
        await sleep(retryIntervalMs, undefined, { signal });
      } catch {
        return 'failed';
      }
    }
  }

  /** One extra, unretried delivery of an already acked callback (duplicate-delivery simulation). */
  async deliverDuplicate(callback: Callback, deliveries: Delivery[]): Promise<void> {
    deliveries.push(await this.tryOnce(callback, randomUUID(), true));
  }

  /** Stops retry loops of state that was just thrown away. */
  abortAll(): void {
    this.shutdown.abort();
    this.shutdown = new AbortController();
  }

  onModuleDestroy(): void {
    this.shutdown.abort();
  }

  private async tryOnce(
    callback: Callback,
    correlationId: string,
    duplicate: boolean,
  ): Promise<Delivery> {
    const at = new Date().toISOString();
    const started = performance.now();
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(callback.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', CorrelationId: correlationId },
        body: callback.body,
        signal: AbortSignal.any([
          AbortSignal.timeout(this.config.callbacks.timeoutMs),
          this.shutdown.signal,
        ]),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (e) {
      error = describe(e);
    }
    const latencyMs = Math.round(performance.now() - started);
    this.events.record({
      direction: 'mobilepay->psp',
      method: 'POST',
      path: callback.url,
      status,
      kind: duplicate ? `${callback.kind} (duplicate)` : callback.kind,
      paymentId: callback.paymentId,
      ...(callback.authorizationAttemptId
        ? { authorizationAttemptId: callback.authorizationAttemptId }
        : {}),
      ...(error ? { error } : {}),
      latencyMs,
      body: callback.view ?? (JSON.parse(callback.body) as unknown),
    });
    return {
      at,
      kind: callback.kind,
      status,
      latencyMs,
      ...(error ? { error } : {}),
      ...(duplicate ? { duplicate } : {}),
    };
  }
}

function isAck(delivery: Delivery): boolean {
  return delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error.name === 'TimeoutError') return 'timeout';
  return cause?.code ?? cause?.message ?? error.message;
}
