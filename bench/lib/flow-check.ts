import type { Stack } from '../../scripts/stack/stack';
import { query } from './bench-database';
import {
  acquirerAuthorizations,
  attemptOfReference,
  isFinalPatch,
  type RecordedAttempt,
  sandboxPayments,
} from './sandbox-records';

export interface FlowCheck {
  payments: number;
  attempts: number;
  acked: number;
  succeeded: number;
  failed: number;
  /** Acked callbacks without their one final PATCH (lost work, or a deadline missed). */
  withoutFinalPatch: number;
  deadlineMissed: number;
  /** PATCHes MobilePay refused as contradicting the attempt's outcome. */
  contradictingPatches: number;
  /** The identical final PATCH sent again (a retry after a crash; MobilePay answers 204). */
  identicalPatchRetries: number;
  latePatches: number;
  /** Authorized at the acquirer but MobilePay never acked the callback (must be reversed). */
  unackedButAuthorized: number;
  acquirer: {
    references: number;
    duplicateAuthorizations: number;
    paymentsWithTwoStandingApprovals: number;
    /** Approved, not reversed, and not the attempt MobilePay recorded as succeeded. */
    orphanApprovals: number;
    succeededWithoutApproval: number;
  };
  database: {
    attempts: number;
    missing: number;
    stuck: Record<string, number>;
    reversalsOutstanding: number;
    disagreeingWithMobilePay: number;
    outboxPending: number;
  };
  violations: string[];
}

interface AttemptRow {
  id: string;
  status: string;
  reversalDue: boolean;
}

const FINAL_STATUSES = ['SUCCEEDED', 'FAILED'];

/**
 * The no-loss / no-double-charge invariants (DESIGN §4.1, §4.2) from MobilePay's records (the
 * sandbox), the acquirers' records and our database, for one merchant's payments.
 */
export async function checkFlows(
  stack: Stack,
  databaseUrl: string,
  merchantId: string,
  mobilePayPaymentIds: string[],
): Promise<FlowCheck> {
  const payments = await sandboxPayments(stack, mobilePayPaymentIds);
  const attempts = new Map<string, { paymentId: string; attempt: RecordedAttempt }>();
  for (const p of payments)
    for (const a of p.attempts)
      attempts.set(a.authorizationAttemptId, { paymentId: p.paymentId, attempt: a });
  const rows = await query<AttemptRow & { outbox: number }>(
    databaseUrl,
    `SELECT a.id, a.status,
            (a."reversalRequiredAt" IS NOT NULL AND a."reversedAt" IS NULL) AS "reversalDue",
            (SELECT count(*)::int FROM "OutboxMessage" o
              WHERE o."attemptId" = a.id AND o.status = 'PENDING') AS outbox
       FROM "AuthorizationAttempt" a JOIN "Payment" p ON p.id = a."paymentId"
      WHERE p."merchantId" = $1`,
    [merchantId],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const violations: string[] = [];
  const note = (message: string) => violations.length < 50 && violations.push(message);
  const check: FlowCheck = {
    payments: payments.length,
    attempts: attempts.size,
    acked: 0,
    succeeded: 0,
    failed: 0,
    withoutFinalPatch: 0,
    deadlineMissed: 0,
    contradictingPatches: 0,
    identicalPatchRetries: 0,
    latePatches: 0,
    unackedButAuthorized: 0,
    acquirer: {
      references: 0,
      duplicateAuthorizations: 0,
      paymentsWithTwoStandingApprovals: 0,
      orphanApprovals: 0,
      succeededWithoutApproval: 0,
    },
    database: {
      attempts: rows.length,
      missing: 0,
      stuck: {},
      reversalsOutstanding: 0,
      disagreeingWithMobilePay: 0,
      outboxPending: 0,
    },
    violations,
  };

  for (const [id, { attempt }] of attempts) {
    const late = attempt.patches.filter((p) => p.late).length + (attempt.late ? 1 : 0);
    if (late > 0) {
      check.latePatches += late;
      note(`attempt ${id}: PATCH after the deadline`);
    }
    if (attempt.callbackStatus !== 'acked') continue;
    check.acked++;
    const finals = attempt.patches.filter(isFinalPatch);
    const accepted = finals.filter((p) => p.status >= 200 && p.status < 300 && !p.late);
    const refused = finals.filter((p) => p.status === 409 && !p.late);
    check.contradictingPatches += refused.length;
    if (refused.length > 0) note(`attempt ${id}: ${refused.length} contradicting PATCH(es)`);
    check.identicalPatchRetries += Math.max(0, accepted.length - 1);
    if (attempt.state === 'deadline-missed') {
      check.deadlineMissed++;
      note(`attempt ${id}: deadline missed`);
    }
    if (!['succeeded', 'failed'].includes(attempt.state) || accepted.length === 0) {
      check.withoutFinalPatch++;
      note(`attempt ${id}: acked, but ${attempt.state} without a final PATCH`);
    } else if (attempt.final?.succeeded) check.succeeded++;
    else check.failed++;
    const row = byId.get(id);
    if (!row) {
      check.database.missing++;
      note(`attempt ${id}: acked by the gateway but not in the database`);
      continue;
    }
    const ours = row.status === 'SUCCEEDED' ? true : row.status === 'FAILED' ? false : undefined;
    if (ours !== undefined && attempt.final && ours !== attempt.final.succeeded) {
      check.database.disagreeingWithMobilePay++;
      note(`attempt ${id}: ${row.status} here, succeeded=${attempt.final.succeeded} at MobilePay`);
    }
  }
  for (const row of rows) {
    if (!FINAL_STATUSES.includes(row.status)) {
      check.database.stuck[row.status] = (check.database.stuck[row.status] ?? 0) + 1;
      note(`attempt ${row.id}: stuck in ${row.status}`);
    }
    if (row.reversalDue) {
      check.database.reversalsOutstanding++;
      note(`attempt ${row.id}: reversal still due`);
    }
    check.database.outboxPending += row.outbox;
  }

  const standingByPayment = new Map<string, number>();
  const authorizationsByReference = new Map<string, number>();
  const approvedAttempts = new Set<string>();
  for (const auth of await acquirerAuthorizations(stack)) {
    const attemptId = attemptOfReference(auth.reference);
    const owner = attempts.get(attemptId);
    if (!owner) continue; // another run's or another merchant's
    authorizationsByReference.set(
      auth.reference,
      (authorizationsByReference.get(auth.reference) ?? 0) + auth.authorizations,
    );
    if (!auth.approved || auth.reversed) continue;
    approvedAttempts.add(attemptId);
    standingByPayment.set(owner.paymentId, (standingByPayment.get(owner.paymentId) ?? 0) + 1);
    if (owner.attempt.callbackStatus !== 'acked') check.unackedButAuthorized++;
    if (!owner.attempt.final?.succeeded || owner.attempt.state !== 'succeeded') {
      check.acquirer.orphanApprovals++;
      note(`attempt ${attemptId}: approved at the acquirer (${auth.reference}), not reversed`);
    }
  }
  check.acquirer.references = authorizationsByReference.size;
  for (const [reference, count] of authorizationsByReference) {
    if (count > 1) {
      check.acquirer.duplicateAuthorizations += count - 1;
      note(`reference ${reference}: ${count} authorizations`);
    }
  }
  for (const [paymentId, count] of standingByPayment) {
    if (count > 1) {
      check.acquirer.paymentsWithTwoStandingApprovals++;
      note(`payment ${paymentId}: ${count} standing approvals`);
    }
  }
  for (const [id, { attempt }] of attempts) {
    if (attempt.state === 'succeeded' && !approvedAttempts.has(id)) {
      check.acquirer.succeededWithoutApproval++;
      note(`attempt ${id}: succeeded at MobilePay without a standing approval`);
    }
  }
  return check;
}

/** True once every acked callback has its final PATCH and nothing is left to do on our side. */
export function settled(check: FlowCheck): boolean {
  return (
    check.withoutFinalPatch === 0 &&
    Object.keys(check.database.stuck).length === 0 &&
    check.database.reversalsOutstanding === 0 &&
    check.database.outboxPending === 0 &&
    check.acquirer.orphanApprovals === 0
  );
}
