import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

/**
 * Named one-shot timers (payment expiry, attempt deadlines). Keyed so a reschedule replaces the
 * previous timer, and cleared on reset and shutdown so no timer outlives the state it refers to.
 */
@Injectable()
export class SchedulerService implements OnModuleDestroy {
  private readonly logger = new Logger(SchedulerService.name);
  private readonly timers = new Map<string, NodeJS.Timeout>();

  schedule(key: string, delayMs: number, task: () => void | Promise<void>): void {
    this.cancel(key);
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        Promise.resolve()
          .then(task)
          .catch((error: unknown) => this.logger.error(`timer ${key} failed`, String(error)));
      },
      Math.max(0, delayMs),
    );
    timer.unref();
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  onModuleDestroy(): void {
    this.clear();
  }
}
