import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IdempotencyRepository, WebhookRepository } from '@app/persistence';
import { WebhookJobProducer } from '@app/queue';
import { OperationRecoveryService } from './operation-recovery.service';

const BATCH = 200;
/** An operation pending this long has lost its gateway request (the acquirer timeout is shorter). */
const OPERATION_STALE_MS = 60_000;

/**
 * Background work of the merchant API: payment events become webhook deliveries (the events
 * table is their outbox), overdue deliveries whose job was lost are queued again, pending
 * captures/cancels/refunds are settled, and expired Idempotency-Keys are purged.
 */
@Injectable()
export class MerchantApiJanitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MerchantApiJanitorService.name);
  private timers: NodeJS.Timeout[] = [];
  private dispatching = false;
  private sweeping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly jobs: WebhookJobProducer,
    private readonly operations: OperationRecoveryService,
  ) {}

  onApplicationBootstrap(): void {
    this.timers = [
      setInterval(() => void this.dispatch(), this.config.webhooks.dispatchIntervalMs),
      setInterval(() => void this.sweep(), this.config.worker.janitorIntervalMs),
    ];
    for (const timer of this.timers) timer.unref();
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** New payment events → one delivery per webhook endpoint, queued at once. */
  async dispatch(): Promise<number> {
    if (this.dispatching) return 0;
    this.dispatching = true;
    try {
      let total = 0;
      for (;;) {
        const deliveries = await this.webhooks.dispatchPending(BATCH);
        for (const id of deliveries) await this.jobs.tryDeliverWebhook(id, 1);
        total += deliveries.length;
        if (deliveries.length < BATCH) return total;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook dispatch failed; will try again');
      return 0;
    } finally {
      this.dispatching = false;
    }
  }

  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      const overdue = await this.webhooks.findOverdue(
        new Date(now - this.config.worker.janitorGraceMs),
        BATCH,
      );
      for (const delivery of overdue) {
        await this.jobs.redriveWebhook(delivery.id, delivery.attempts + 1);
      }
      const settled = await this.operations.recover(new Date(now - OPERATION_STALE_MS), BATCH);
      const purged = await this.idempotency.purgeExpired(new Date(now));
      if (overdue.length + settled + purged > 0) {
        this.logger.log({ overdue: overdue.length, settled, purged }, 'merchant API janitor');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'merchant API janitor sweep failed; will try again');
    } finally {
      this.sweeping = false;
    }
  }
}
