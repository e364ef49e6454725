/** The raw facts an attempt's timeline is drawn from (rows of the attempt, its history, its PATCHes). */
export interface TimelineSource {
  acquirer: string | null;
  callbackReceivedAt: Date;
  deadlineAt: Date;
  history: { fromStatus: string | null; toStatus: string; detail: string | null; at: Date }[];
  patches: { createdAt: Date; sentAt: Date | null; status: string; tries: number }[];
}

export type TimelineStep =
  | 'callback_received'
  | 'authorize_sent'
  | 'acquirer_answer'
  | 'three_ds'
  | 'patch_queued'
  | 'patch_acknowledged'
  | 'patch_refused'
  | 'final';

export interface TimelineEntry {
  step: TimelineStep;
  label: string;
  at: string;
  /** Milliseconds after the callback: the x axis, drawn against `deadlineOffsetMs`. */
  offsetMs: number;
  detail: string | null;
}

export interface AttemptTimeline {
  deadlineOffsetMs: number;
  entries: TimelineEntry[];
}

const LABELS: Record<string, [TimelineStep, string] | undefined> = {
  AUTHORIZING: ['authorize_sent', 'authorize sent to the acquirer'],
  AUTHORIZED: ['acquirer_answer', 'acquirer approved'],
  DECLINED: ['acquirer_answer', 'acquirer declined'],
  THREE_DS_PENDING: ['three_ds', '3-D Secure challenge (PATCH 1008)'],
  THREE_DS_AUTHENTICATED: ['three_ds', '3-D Secure passed (PATCH 1009), re-authorizing'],
  SUCCEEDED: ['final', 'MobilePay accepted: succeeded'],
  FAILED: ['final', 'attempt failed'],
};

/**
 * Callback received → authorize sent → acquirer answer → PATCH queued / acknowledged (3-D Secure
 * steps in between), each as an offset from the callback so it can be drawn against MobilePay's
 * PATCH deadline. Built from the status history and the attempt's PATCH reports in the outbox.
 */
export function attemptTimeline(source: TimelineSource): AttemptTimeline {
  const start = source.callbackReceivedAt.getTime();
  const entry = (step: TimelineStep, label: string, at: Date, detail: string | null = null) => ({
    step,
    label,
    at: at.toISOString(),
    offsetMs: at.getTime() - start,
    detail,
  });
  const entries: TimelineEntry[] = [
    entry('callback_received', 'callback received and acked', source.callbackReceivedAt),
  ];
  for (const change of source.history) {
    if (change.fromStatus === null && change.toStatus === 'RECEIVED') continue;
    const known = LABELS[change.toStatus];
    if (!known) continue;
    const [step, label] = known;
    const named =
      step === 'authorize_sent' && source.acquirer ? `authorize sent to ${source.acquirer}` : label;
    entries.push(entry(step, named, change.at, change.detail));
  }
  for (const patch of source.patches) {
    entries.push(entry('patch_queued', 'PATCH queued', patch.createdAt));
    if (patch.sentAt) {
      entries.push(
        entry('patch_acknowledged', 'PATCH acknowledged by MobilePay', patch.sentAt, tries(patch)),
      );
    } else if (patch.status === 'DEAD') {
      entries.push(
        entry('patch_refused', 'PATCH refused or given up', patch.createdAt, tries(patch)),
      );
    }
  }
  entries.sort((a, b) => a.offsetMs - b.offsetMs);
  return { deadlineOffsetMs: source.deadlineAt.getTime() - start, entries };
}

function tries(patch: { tries: number }): string {
  return `${patch.tries} ${patch.tries === 1 ? 'try' : 'tries'}`;
}
