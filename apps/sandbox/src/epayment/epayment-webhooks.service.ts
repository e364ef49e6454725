import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { signRequest, type PaymentEvent } from '@app/epayment';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import type { SimWebhook } from './epayment-sim.model';
import { EpaymentSimStore } from './epayment-sim.store';

/** Sandbox: the documented first retries (about every 2 s, four tries); the rest of 7 days is not played. */
const MAX_TRIES = 5;

/**
 * The Webhooks API: registrations (per MSN, or PSP-wide without one), and delivery of
 * `epayments.payment.<name>.v1` events signed with the registration's secret, in order per
 * registration (a failing event holds back the later ones), at least once.
 */
@Injectable()
export class EpaymentWebhooksService {
  private readonly logger = new Logger(EpaymentWebhooksService.name);

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: EpaymentSimStore,
  ) {}

  register(msn: string | undefined, url: string, events: string[]) {
    const id = randomUUID();
    const secret = randomBytes(48).toString('base64');
    this.store.webhooks.set(id, {
      id,
      url,
      events,
      secret,
      msn,
      queue: Promise.resolve(),
      deliveries: [],
    });
    return { id, secret };
  }

  list(msn: string | undefined) {
    return {
      webhooks: [...this.store.webhooks.values()]
        .filter((w) => w.msn === msn)
        .map(({ id, url, events }) => ({ id, url, events })),
    };
  }

  remove(msn: string | undefined, id: string): boolean {
    const hook = this.store.webhooks.get(id);
    if (!hook || hook.msn !== msn) return false;
    this.store.webhooks.delete(id);
    return true;
  }

  emit(msn: string, event: PaymentEvent): void {
    const type = `epayments.payment.${event.name.toLowerCase()}.v1`;
    const body = JSON.stringify({ msn, ...event });
    for (const hook of this.store.webhooks.values()) {
      if (!hook.events.includes(type) || (hook.msn !== undefined && hook.msn !== msn)) continue;
      hook.queue = hook.queue.then(() => this.deliver(hook, type, event.reference, body));
    }
  }

  private async deliver(hook: SimWebhook, type: string, reference: string, body: string) {
    const url = new URL(hook.url);
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const headers = signRequest(hook.secret, {
        method: 'POST',
        pathAndQuery: `${url.pathname}${url.search}`,
        host: url.host,
        date: new Date().toUTCString(),
        body,
      });
      let status: number | null;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.config.epayment.webhookTimeoutMs),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch {
        status = null;
      }
      hook.deliveries.push({ event: type, reference, status, at: new Date().toISOString() });
      if (status !== null && status >= 200 && status < 300) return;
      if (!this.store.webhooks.has(hook.id)) return;
      await sleep(this.config.epayment.webhookRetryMs);
    }
    this.logger.warn(`webhook ${type} for ${reference} not delivered to ${hook.url}`);
  }
}
