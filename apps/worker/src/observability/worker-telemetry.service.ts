import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { AcquirerRouter } from '@app/acquirers';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { MobilePayClient } from '@app/mobilepay';
import { PspMetrics } from '@app/observability';
import { OperationsRepository } from '@app/persistence';
import { QueueInspector } from '@app/queue';
import { instrumentAcquirers } from './acquirer-instrumentation';
import { instrumentPatches } from './patch-instrumentation';

/**
 * The worker's telemetry: instruments the acquirer and PATCH calls at boot, and refreshes the
 * gauges that need a query (queue depth and age, unresolved attempts) on an interval — scrapes
 * then read the last snapshot instead of hitting Redis and Postgres each time.
 */
@Injectable()
export class WorkerTelemetry
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(WorkerTelemetry.name);
  private timer: NodeJS.Timeout | undefined;
  private readonly seenStatuses = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: PspMetrics,
    private readonly router: AcquirerRouter,
    private readonly mobilePay: MobilePayClient,
    private readonly operations: OperationsRepository,
    private readonly queues: QueueInspector,
  ) {}

  onModuleInit(): void {
    instrumentAcquirers(this.router, this.metrics);
    instrumentPatches(this.mobilePay, this.metrics, this.operations);
  }

  onApplicationBootstrap(): void {
    void this.queues.evictionPolicyProblem().then((policy) => {
      if (policy) {
        this.logger.error(
          { policy },
          'Redis maxmemory-policy must be noeviction for BullMQ: jobs can be lost',
        );
      }
    });
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.config.metrics.pollIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async poll(): Promise<void> {
    try {
      const [queues, backlog, outbox] = await Promise.all([
        this.queues.stats(),
        this.operations.attemptBacklog(),
        this.operations.outboxBacklog(),
      ]);
      this.metrics.recordQueueStats(queues);
      this.metrics.recordOutboxStats(outbox);
      // A status that emptied reports 0 rather than vanishing from the gauge.
      for (const status of Object.keys(backlog.byStatus)) this.seenStatuses.add(status);
      const byStatus: Record<string, number> = {};
      for (const status of this.seenStatuses) byStatus[status] = backlog.byStatus[status] ?? 0;
      this.metrics.recordAttemptBacklog({ ...backlog, byStatus });
    } catch (error) {
      this.logger.warn({ err: error }, 'metrics poll failed; will try again');
    }
  }
}
