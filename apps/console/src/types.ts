export interface PaymentRow {
  id: string;
  merchant: { id: string; name: string; externalId: string };
  orderId: string;
  mobilePayPaymentId: string | null;
  status: string;
  amount: number;
  currency: string;
  createdAt: string;
  lastAttempt: {
    id: string;
    status: string;
    cardType: string;
    maskedCardNumber: string | null;
  } | null;
}

export interface TimelineEntry {
  step: string;
  label: string;
  at: string;
  offsetMs: number;
  detail: string | null;
}

export interface Attempt {
  id: string;
  status: string;
  kind: string;
  cardType: string;
  maskedCardNumber: string | null;
  tokenMethod: string | null;
  acquirer: string | null;
  acquirerReference: string | null;
  reasonCode: number | null;
  reasonMessage: string | null;
  callbackReceivedAt: string;
  deadlineAt: string;
  patchedAt: string | null;
  reversalRequiredAt: string | null;
  reversedAt: string | null;
  timeline: { deadlineOffsetMs: number; entries: TimelineEntry[] };
}

export interface Delivery {
  id: string;
  endpointUrl: string;
  status: string;
  manual: boolean;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: {
    attemptNumber: number;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
    at: string;
  }[];
}

export interface PaymentDetail extends Omit<PaymentRow, 'lastAttempt'> {
  pspReferenceId: string;
  expiresAt: string;
  amounts: { authorized: number; captured: number; refunded: number; cancelled: number };
  attempts: Attempt[];
  operations: {
    id: string;
    kind: string;
    amount: number;
    status: string;
    acquirer: string;
    failureReason: string | null;
    createdAt: string;
    completedAt: string | null;
  }[];
  reports: {
    id: string;
    kind: string;
    attemptId: string | null;
    status: string;
    tries: number;
    lastError: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
  events: {
    id: string;
    type: string;
    createdAt: string;
    dispatchedAt: string | null;
    deliveries: Delivery[];
  }[];
}

export interface AttentionItem {
  kind: string;
  id: string;
  paymentId: string | null;
  title: string;
  detail: string;
  since: string;
  action: 'run_reversal' | 'retry_report' | 'retry_webhooks' | null;
}

export interface ApiKey {
  id: string;
  prefix: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  active: boolean;
}

export interface MerchantRow {
  id: string;
  externalId: string;
  name: string;
  displayName: string;
  vatNumber: string;
  mobilePayMerchantId: string | null;
  status: string;
  onboarding: string;
  acquirerRoutes: Record<string, string> | null;
  payments: number;
  createdAt: string;
  apiKeys: ApiKey[];
}

export interface Overview {
  generatedAt: string;
  patchDeadlineMs: number;
  minutes: string[];
  callbacksPerSecond: number[];
  approvalRate: Record<string, (number | null)[]>;
  ackLatency: { p50Ms: (number | null)[]; p99Ms: (number | null)[] };
  callbackToPatch: { p99Ms: (number | null)[]; maxMs: (number | null)[] };
  queueDepth: { at: string; depth: Record<string, number> }[];
}
