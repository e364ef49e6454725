import { Logger } from '@nestjs/common';
import { ReasonCode } from '@app/domain';
import { type MobilePayClient, MobilePayError } from '@app/mobilepay';
import { type PspMetrics, runInSpan } from '@app/observability';
import type { OperationsRepository } from '@app/persistence';

/** PATCHes that leave the attempt open: the 3-D Secure steps. */
const INTERMEDIATE = new Set<number>([
  ReasonCode.ThreeDSecureRequired,
  ReasonCode.ThreeDSecureCompleted,
]);

interface PatchBody {
  succeeded: boolean;
  reasonCode?: number | null;
}

/**
 * Observes the PATCH of an authorization attempt where it happens — MobilePay's answer: a span
 * (payment id, attempt id, outcome; never the body) and, for the final PATCH once accepted, the
 * callback → PATCH latency and deadline misses.
 */
export function instrumentPatches(
  client: MobilePayClient,
  metrics: PspMetrics,
  operations: OperationsRepository,
): void {
  const logger = new Logger('PatchMetrics');
  const original = client.patchAuthorizationAttempt.bind(client);
  client.patchAuthorizationAttempt = (paymentId, attemptId, body, ...rest) => {
    const { succeeded, reasonCode } = body as PatchBody;
    const final = succeeded || !INTERMEDIATE.has(reasonCode ?? 0);
    return runInSpan(
      'mobilepay.patch-attempt',
      {
        'psp.mobilepay.payment_id': paymentId,
        'psp.attempt.id': attemptId,
        'psp.patch.succeeded': succeeded,
        'psp.patch.final': final,
        ...(reasonCode ? { 'psp.patch.reason_code': reasonCode } : {}),
      },
      async () => {
        try {
          await original(paymentId, attemptId, body, ...rest);
        } catch (error) {
          if (final && error instanceof MobilePayError && !error.transient) {
            metrics.deadlineMissed('patch_refused');
          }
          throw error;
        }
        if (!final) return;
        // Metrics must never fail a delivered PATCH.
        await observeFinal(attemptId, succeeded, reasonCode, metrics, operations).catch(
          (error: unknown) => logger.warn({ err: error, attemptId }, 'PATCH metrics skipped'),
        );
      },
    );
  };
}

async function observeFinal(
  attemptId: string,
  succeeded: boolean,
  reasonCode: number | null | undefined,
  metrics: PspMetrics,
  operations: OperationsRepository,
): Promise<void> {
  if (!succeeded && reasonCode === ReasonCode.Timeout) metrics.deadlineMissed('watchdog_timeout');
  const times = await operations.attemptTimes(attemptId);
  if (!times) return;
  const now = Date.now();
  metrics.finalPatchAccepted(succeeded, (now - times.callbackReceivedAt.getTime()) / 1000);
  if (now > times.deadlineAt.getTime()) metrics.deadlineMissed('late_patch');
}
