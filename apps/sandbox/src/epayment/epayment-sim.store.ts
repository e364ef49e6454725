import { Injectable } from '@nestjs/common';
import type { IdempotentAnswer, SimPayment, SimWebhook } from './epayment-sim.model';

/** In-memory state of the ePayment simulator. */
@Injectable()
export class EpaymentSimStore {
  readonly payments = new Map<string, SimPayment>();
  readonly tokens = new Map<string, { msn?: string; expiresAt: number }>();
  readonly idempotency = new Map<string, IdempotentAnswer>();
  readonly webhooks = new Map<string, SimWebhook>();
  /** Sliding-window counters for the documented rate limits. */
  private readonly hits = new Map<string, number[]>();

  key(msn: string, reference: string): string {
    return `${msn}:${reference}`;
  }

  findByAttempt(attemptId: string): { payment: SimPayment; index: number } | undefined {
    for (const payment of this.payments.values()) {
      const index = payment.attempts.findIndex((a) => a.id === attemptId);
      if (index >= 0) return { payment, index };
    }
    return undefined;
  }

  /** Counts a hit; returns the seconds to wait when the limit is exceeded. */
  hit(bucket: string, max: number, windowMs = 60_000): number | undefined {
    const now = Date.now();
    const recent = (this.hits.get(bucket) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= max) {
      this.hits.set(bucket, recent);
      return Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(bucket, recent);
    return undefined;
  }

  clear(): void {
    this.payments.clear();
    this.tokens.clear();
    this.idempotency.clear();
    this.webhooks.clear();
    this.hits.clear();
  }
}
