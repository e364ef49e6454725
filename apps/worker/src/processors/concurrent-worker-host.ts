import type { OnApplicationBootstrap } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import type { AppConfig } from '@app/config';

/**
 * BullMQ runs one job at a time per worker unless told otherwise. Our jobs wait on the network
 * (acquirer, MobilePay), so a worker runs WORKER_CONCURRENCY of them at once: a slow acquirer
 * call must never hold up a deadline watchdog queued behind it.
 */
export abstract class ConcurrentWorkerHost extends WorkerHost implements OnApplicationBootstrap {
  protected constructor(private readonly workerConfig: AppConfig['worker']) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.workerConfig.concurrency;
  }
}
