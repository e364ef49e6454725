import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { AttentionRepository } from '@app/persistence';
import { JobProducer, WebhookJobProducer } from '@app/queue';

/** A capture/cancel/refund still pending this long has an unknown acquirer outcome. */
const OPERATION_UNKNOWN_AFTER_MS = 60_000;
const DAY_MS = 86_400_000;

export type AttentionAction = 'run_reversal' | 'retry_report' | 'retry_webhooks';

export interface AttentionItem {
  kind: 'unknown_outcome' | 'pending_reversal' | 'exhausted_report' | 'failing_webhook_endpoint';
  /** The attempt, operation, outbox report or endpoint the item is about. */
  id: string;
  paymentId: string | null;
  title: string;
  detail: string;
  since: string;
  /** The safe action that resolves it, if there is one (POST /v1/admin/attention/{action}/{id}). */
  action: AttentionAction | null;
}

/**
 * What needs a human, and the action that resolves it where one is safe:
 * - unknown outcomes (open attempts past their PATCH deadline, operations pending at the acquirer):
 *   no action — an authorization is never re-sent by hand, and the worker's inquiry, watchdog and
 *   janitor settle them; the item links to the payment.
 * - pending reversals: run the reversal now (idempotent at the acquirer, per attempt).
 * - exhausted capture/cancel/refund reports: deliver again with a fresh retry budget (MobilePay
 *   dedupes by the report's identifier). A PATCH that died is not re-sent: the attempt is failed
 *   and its authorization reversed.
 * - failing webhook endpoints: retry the waiting deliveries now (after the merchant fixed it).
 */
@Injectable()
export class AttentionService {
  constructor(
    private readonly attention: AttentionRepository,
    private readonly jobs: JobProducer,
    private readonly webhookJobs: WebhookJobProducer,
  ) {}

  async list(now = new Date()): Promise<{ data: AttentionItem[] }> {
    const [attempts, operations, reversals, reports, endpoints] = await Promise.all([
      this.attention.overdueAttempts(now),
      this.attention.pendingOperations(new Date(now.getTime() - OPERATION_UNKNOWN_AFTER_MS)),
      this.attention.pendingReversals(),
      this.attention.exhaustedReports(),
      this.attention.failingEndpoints(new Date(now.getTime() - DAY_MS)),
    ]);
    const items: AttentionItem[] = [
      ...attempts.map((a) => ({
        kind: 'unknown_outcome' as const,
        id: a.id,
        paymentId: a.paymentId,
        title: `Attempt ${a.status.toLowerCase()} past its PATCH deadline`,
        detail: `${a.payment.merchant.name}, order ${a.payment.merchantOrderId}, acquirer ${a.acquirer ?? '—'}`,
        since: a.deadlineAt.toISOString(),
        action: null,
      })),
      ...operations.map((o) => ({
        kind: 'unknown_outcome' as const,
        id: o.id,
        paymentId: o.paymentId,
        title: `${o.kind.toLowerCase()} of ${o.amount} ${o.payment.currency} pending at ${o.acquirer}`,
        detail: `${o.payment.merchant.name}, order ${o.payment.merchantOrderId}: the acquirer's answer is unknown`,
        since: o.createdAt.toISOString(),
        action: null,
      })),
      ...reversals.map((r) => ({
        kind: 'pending_reversal' as const,
        id: r.id,
        paymentId: r.paymentId,
        title: `Reversal owed at ${r.acquirer ?? 'the acquirer'}`,
        detail: `${r.payment.merchant.name}, order ${r.payment.merchantOrderId}, attempt ${r.status.toLowerCase()}`,
        since: r.reversalRequiredAt!.toISOString(),
        action: 'run_reversal' as const,
      })),
      ...reports.map((r) => ({
        kind: 'exhausted_report' as const,
        id: r.id,
        paymentId: r.paymentId,
        title: `${r.kind} to MobilePay gave up after ${r.tries} tries`,
        detail: r.lastError ?? '',
        since: r.createdAt.toISOString(),
        action: r.kind === 'PATCH_AUTHORIZATION_ATTEMPT' ? null : ('retry_report' as const),
      })),
      ...endpoints.map((e) => ({
        kind: 'failing_webhook_endpoint' as const,
        id: e.endpointId,
        paymentId: null,
        title: `Webhooks failing at ${e.url}`,
        detail: `${e.merchantName}: ${e.failing} waiting for a retry, ${e.gaveUp} given up; last answer ${e.lastStatusCode ?? e.lastError ?? '—'}`,
        since: (e.lastAttemptAt ?? now).toISOString(),
        action: e.failing > 0 ? ('retry_webhooks' as const) : null,
      })),
    ];
    return { data: items };
  }

  async act(action: AttentionAction, id: string): Promise<{ status: 'queued'; queued: number }> {
    switch (action) {
      case 'run_reversal': {
        const attempt = await this.attention.findReversal(id);
        if (!attempt) throw new DomainError(ErrorCode.NotFound, 'attempt not found');
        const owed =
          attempt.reversalRequiredAt &&
          (!attempt.reversedAt || attempt.reversedAt < attempt.reversalRequiredAt);
        if (!owed) throw new DomainError(ErrorCode.NotActionable, 'no reversal is owed');
        await this.jobs.reverseAuthorization(id);
        return { status: 'queued', queued: 1 };
      }
      case 'retry_report': {
        if (!(await this.attention.reviveReport(id))) {
          throw new DomainError(ErrorCode.NotActionable, 'no exhausted report to retry');
        }
        await this.jobs.retryReport(id);
        return { status: 'queued', queued: 1 };
      }
      case 'retry_webhooks': {
        const deliveries = await this.attention.retryableDeliveries(id);
        if (deliveries.length === 0) {
          throw new DomainError(ErrorCode.NotActionable, 'no delivery is waiting for a retry');
        }
        for (const d of deliveries) await this.webhookJobs.deliverWebhookNow(d.id, d.attempts + 1);
        return { status: 'queued', queued: deliveries.length };
      }
    }
  }
}
