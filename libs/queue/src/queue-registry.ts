/**
 * The one place queue names, job names and payloads are declared. Payloads carry ids only, never
 * card data; job ids are deterministic so a redelivered callback can never queue a second job.
 */
export const QueueName = {
  Authorization: 'authorization',
  MobilePayReports: 'mobilepay-reports',
  MerchantWebhooks: 'merchant-webhooks',
  /** In-store (PoS v10): polls of payments and refunds, and captures/cancels to (re)deliver. */
  PosPayments: 'pos-payments',
} as const;

export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  Authorize: 'authorize',
  DeadlineWatchdog: 'deadline-watchdog',
  DeliverReport: 'deliver-report',
  DeliverWebhook: 'deliver-webhook',
  ReverseAuthorization: 'reverse-authorization',
  PollPosPayment: 'poll-pos-payment',
  PollPosRefund: 'poll-pos-refund',
  SettlePosPayment: 'settle-pos-payment',
  SettlePosRefund: 'settle-pos-refund',
} as const;

export type JobName = (typeof JobName)[keyof typeof JobName];

export interface JobPayloads {
  [JobName.Authorize]: { attemptId: string };
  [JobName.DeadlineWatchdog]: { attemptId: string };
  [JobName.DeliverReport]: { outboxId: string };
  /** Attempt `attempt` (1-based) of one webhook delivery. */
  [JobName.DeliverWebhook]: { deliveryId: string; attempt: number };
  [JobName.ReverseAuthorization]: { attemptId: string };
  /** Poll number `poll` (0-based) of an in-store payment: one job per poll, never two. */
  [JobName.PollPosPayment]: { posPaymentId: string; poll: number };
  [JobName.PollPosRefund]: { posRefundId: string; poll: number };
  [JobName.SettlePosPayment]: { posPaymentId: string };
  [JobName.SettlePosRefund]: { posRefundId: string };
}

/** Which queue each job runs on. The worker refuses to boot unless every job has one handler. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.Authorize]: QueueName.Authorization,
  [JobName.DeadlineWatchdog]: QueueName.Authorization,
  [JobName.DeliverReport]: QueueName.MobilePayReports,
  [JobName.DeliverWebhook]: QueueName.MerchantWebhooks,
  [JobName.ReverseAuthorization]: QueueName.Authorization,
  [JobName.PollPosPayment]: QueueName.PosPayments,
  [JobName.PollPosRefund]: QueueName.PosPayments,
  [JobName.SettlePosPayment]: QueueName.PosPayments,
  [JobName.SettlePosRefund]: QueueName.PosPayments,
};

export const jobId = {
  authorize: (attemptId: string) => attemptId,
  /** The re-authorization after a 3-D Secure challenge is a job of its own. */
  reauthorize: (attemptId: string) => `${attemptId}-3ds`,
  /** One per deadline: a 3-D Secure step moves the deadline and needs a fresh watchdog. */
  deadlineWatchdog: (attemptId: string, fireAt: Date) =>
    `deadline-${attemptId}-${fireAt.getTime()}`,
  reverse: (attemptId: string) => `reverse-${attemptId}`,
  deliverReport: (outboxId: string) => outboxId,
  deliverWebhook: (deliveryId: string, attempt: number) => `webhook-${deliveryId}-${attempt}`,
  pollPosPayment: (posPaymentId: string, poll: number) => `pos-poll-${posPaymentId}-${poll}`,
  pollPosRefund: (posRefundId: string, poll: number) => `pos-refund-poll-${posRefundId}-${poll}`,
  settlePosPayment: (posPaymentId: string) => `pos-settle-${posPaymentId}`,
  settlePosRefund: (posRefundId: string) => `pos-refund-settle-${posRefundId}`,
};
