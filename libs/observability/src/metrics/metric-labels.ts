/** Label values of PspMetrics: closed sets, so no caller can add unbounded series. */

export const CALLBACK_TYPES = ['card-data', 'token', 'checkout', 'failed', 'other'] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];

/**
 * accepted, duplicate, rejected (acked but failed at intake), stored, expired, unchanged: 2xx
 * answers; failover: 501 to a token callback; refused: other 4xx; unavailable: 503; error: 5xx.
 */
export const CALLBACK_OUTCOMES = [
  'accepted',
  'duplicate',
  'rejected',
  'stored',
  'expired',
  'unchanged',
  'ok',
  'failover',
  'refused',
  'unavailable',
  'error',
] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

/**
 * watchdog_timeout: failed by the deadline watchdog for lack of an acquirer answer;
 * late_patch: MobilePay accepted the final PATCH after the deadline;
 * patch_refused: MobilePay refused the PATCH for good (e.g. past its deadline).
 */
export const DEADLINE_MISSES = ['watchdog_timeout', 'late_patch', 'patch_refused'] as const;
export type DeadlineMiss = (typeof DEADLINE_MISSES)[number];

export type AcquirerOperation = 'authorize' | 'inquire' | 'reverse';

export const WEBHOOK_FAILURE_CAUSES = [
  'timeout',
  'network',
  'http_4xx',
  'http_5xx',
  'signature',
  'other',
] as const;
export type WebhookFailureCause = (typeof WEBHOOK_FAILURE_CAUSES)[number];

export interface QueueStats {
  queue: string;
  /** waiting, active, delayed, failed, … as BullMQ counts them. */
  counts: Record<string, number>;
  oldestWaitingAgeSeconds: number;
}

export interface AttemptBacklog {
  byStatus: Record<string, number>;
  overdue: number;
  reversalsPending: number;
}

export interface OutboxStats {
  pending: number;
  dead: number;
  oldestPendingAgeSeconds: number;
}
