import { http } from '../../scripts/stack/http';
import type { Stack } from '../../scripts/stack/stack';
import { inLanes } from './payments';

export interface RecordedDelivery {
  at: string;
  kind?: string;
  status: number | null;
  latencyMs: number;
  duplicate?: boolean;
}

export interface RecordedPatch {
  at: string;
  body: { succeeded: boolean; reasonCode?: number };
  status: number;
  late: boolean;
}

export interface RecordedAttempt {
  authorizationAttemptId: string;
  state: string;
  callbackStatus: string;
  callbackKind: string | null;
  deliveries: RecordedDelivery[];
  patches: RecordedPatch[];
  final: { succeeded: boolean; reasonCode: number | null } | null;
  late: boolean;
}

export interface RecordedPayment {
  paymentId: string;
  attempts: RecordedAttempt[];
}

/** An authorization at either acquirer simulator, by our reference (attempt id, `.3ds` suffix). */
export interface AcquirerAuthorization {
  acquirer: 'rest' | 'iso8583';
  reference: string;
  authorizations: number;
  approved: boolean;
  reversed: boolean;
}

const THREE_DS_STEPS = [1008, 1009];

/** A PATCH that ends the attempt (not a 3-D Secure step). */
export function isFinalPatch(patch: RecordedPatch): boolean {
  return patch.body.succeeded || !THREE_DS_STEPS.includes(patch.body.reasonCode ?? 0);
}

/** MobilePay's record of each payment (the sandbox's inspection API). */
export async function sandboxPayments(
  stack: Stack,
  mobilePayPaymentIds: string[],
): Promise<RecordedPayment[]> {
  return inLanes(mobilePayPaymentIds.length, 8, async (i) => {
    const id = mobilePayPaymentIds[i];
    const { status, body } = await http<{ attempts: RecordedAttempt[] }>(
      'GET',
      `${stack.urls.sandbox}/sandbox/v1/payments/${id}`,
    );
    if (status !== 200) throw new Error(`sandbox view of ${id}: ${status}`);
    return { paymentId: id, attempts: body.attempts };
  });
}

export async function acquirerAuthorizations(stack: Stack): Promise<AcquirerAuthorization[]> {
  const rest = await http<
    { reference: string; authorizations: number; status: string; reversed: boolean }[]
  >('GET', `${stack.urls.sandbox}/acquirer/v1/_records`);
  const iso = await http<
    { reference: string; authorizations: number; responseCode: string; reversed: boolean }[]
  >('GET', `${stack.urls.sandbox}/acquirer/iso8583/_records`);
  if (rest.status !== 200 || iso.status !== 200) {
    throw new Error(`acquirer records: ${rest.status} / ${iso.status}`);
  }
  return [
    ...rest.body.map((r) => ({
      acquirer: 'rest' as const,
      reference: r.reference,
      authorizations: r.authorizations,
      approved: r.status === 'APPROVED',
      reversed: r.reversed,
    })),
    ...iso.body.map((r) => ({
      acquirer: 'iso8583' as const,
      reference: r.reference,
      authorizations: r.authorizations,
      approved: r.responseCode === '00',
      reversed: r.reversed,
    })),
  ];
}

/** The attempt an acquirer reference belongs to (the 3-D Secure re-authorization has `.3ds`). */
export function attemptOfReference(reference: string): string {
  return reference.replace(/\.3ds$/, '');
}
