import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { watchdogFireTime } from '@app/domain';
import { AttemptRepository, OutboxRepository, PaymentRepository } from '@app/persistence';
import { JobProducer } from '@app/queue';

const SWEEP_BATCH = 200;

/**
 * Postgres is the source of truth, Redis only carries jobs: if Redis loses them (restart without
 * persistence, eviction, a failed enqueue after commit), this sweep finds the pending work in
 * Postgres and queues it again. Duplicates are harmless because every handler is idempotent.
 */
@Injectable()
export class JanitorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JanitorService.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly attempts: AttemptRepository,
    private readonly outbox: OutboxRepository,
    private readonly jobs: JobProducer,
    private readonly payments: PaymentRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.worker.janitorIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * A payment past its validity that MobilePay never reported expired: expired here, after a
   * grace for MobilePay's own callback and any last PATCH, so the merchant hears of it.
   */
  private async expireLapsed(): Promise<void> {
    const { patchDeadlineMs } = this.config.payments;
    const before = new Date(Date.now() - patchDeadlineMs - this.config.worker.janitorGraceMs);
    const lapsed = await this.payments.findLapsed(before, SWEEP_BATCH);
    for (const payment of lapsed) {
      const expired = await this.payments.expire(payment, {
        code: null,
        reason: 'payment validity ended without an answer from MobilePay',
      });
      if (expired) this.logger.log({ paymentId: payment.id }, 'lapsed payment expired');
    }
  }

  async sweep(): Promise<{ attempts: number; reports: number }> {
    if (this.running) return { attempts: 0, reports: 0 };
    this.running = true;
    try {
      const olderThan = new Date(Date.now() - this.config.worker.janitorGraceMs);
      // Every open attempt keeps its watchdog; one a worker should be on gets its job back (a
      // re-run of an AUTHORIZING attempt asks the acquirer first, so it never authorizes twice).
      const open = await this.attempts.findOpen(olderThan, SWEEP_BATCH);
      const stale = open.filter((a) => a.status === 'RECEIVED' || a.status === 'AUTHORIZING');
      for (const attempt of stale) await this.jobs.redriveAuthorize(attempt.id);
      for (const attempt of open) {
        await this.jobs.redriveWatchdog(
          attempt.id,
          watchdogFireTime(attempt.deadlineAt, this.config.payments.patchDeadlineMs),
        );
      }
      const pending = await this.outbox.findPending(olderThan, SWEEP_BATCH);
      for (const message of pending) await this.jobs.redriveReport(message.id);
      // Deadlines whose watchdog was lost, and authorizations still waiting to be voided.
      const overdue = await this.attempts.findOverdue(new Date(), SWEEP_BATCH);
      // One watchdog per attempt per minute at most, however often the sweep runs.
      const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
      for (const attempt of overdue) await this.jobs.deadlineWatchdog(attempt.id, minute);
      const reversals = await this.attempts.findReversalsDue(SWEEP_BATCH);
      for (const attempt of reversals) await this.jobs.reverseAuthorization(attempt.id);
      await this.expireLapsed();
      const unresolved = await this.attempts.countUnresolved(
        new Date(Date.now() - this.config.worker.janitorGraceMs),
      );
      if (unresolved > 0)
        this.logger.warn({ unresolved }, 'attempts unresolved past their deadline');
      if (stale.length + pending.length > 0) {
        this.logger.warn(
          { attempts: stale.length, reports: pending.length },
          'janitor re-queued work',
        );
      }
      return { attempts: stale.length, reports: pending.length };
    } catch (error) {
      this.logger.warn({ err: error }, 'janitor sweep failed; will try again');
      return { attempts: 0, reports: 0 };
    } finally {
      this.running = false;
    }
  }
}
