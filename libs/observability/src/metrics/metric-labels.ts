/** Label values of PspMetrics: closed sets, so no caller can add unbounded series. */

export type CallbackType = 'card-data' | 'token' | 'checkout' | 'failed' | 'other';

/**
 * accepted, duplicate, rejected (acked but failed at intake), stored, expired, unchanged: 2xx
 * answers; failover: 501 to a token callback; refused: other 4xx; unavailable: 503; error: 5xx.
 */
export type CallbackOutcome =
  | 'accepted'
  | 'duplicate'
  | 'rejected'
  | 'stored'
  | 'expired'
  | 'unchanged'
  | 'ok'
  | 'failover'
  | 'refused'
  | 'unavailable'
  | 'error';

/**
 * watchdog_timeout: failed by the deadline watchdog for lack of an acquirer answer;
 * late_patch: MobilePay accepted the final PATCH after the deadline;
 * patch_refused: MobilePay refused the PATCH for good (e.g. past its deadline).
 */
export type DeadlineMiss = 'watchdog_timeout' | 'late_patch' | 'patch_refused';

export type AcquirerOperation = 'authorize' | 'inquire' | 'reverse';

export type WebhookFailureCause =
  'timeout' | 'network' | 'http_4xx' | 'http_5xx' | 'signature' | 'other';

export interface QueueStats {
  queue: string;
  /** waiting, active, delayed, failed, … as BullMQ counts them. */
  counts: Record<string, number>;
  oldestWaitingAgeSeconds: number;
}

export interface AttemptBacklog {
  byStatus: Record<string, number>;
  overdue: number;
}
