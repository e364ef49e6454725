import { writeFileSync } from 'node:fs';
import {
  createPayment,
  type CreatedPayment,
  type DemoMerchant,
  onboardMerchant,
} from '../../scripts/stack/scenario';
import type { Stack } from '../../scripts/stack/stack';

/** Runs `work` for 0…count-1 with `lanes` in parallel, keeping the results in order. */
export async function inLanes<T>(
  count: number,
  lanes: number,
  work: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await work(index);
      }
    }),
  );
  return results;
}

export interface PreparedPayments {
  merchant: DemoMerchant;
  payments: CreatedPayment[];
}

/** A merchant of its own (so checks can be scoped to it) and `count` payments through the API. */
export async function preparePayments(
  stack: Stack,
  count: number,
  overrides: (index: number) => Record<string, unknown> = () => ({}),
  merchant?: DemoMerchant,
): Promise<PreparedPayments> {
  const owner = merchant ?? (await onboardMerchant(stack));
  const payments = await inLanes(count, 8, (i) => createPayment(stack, owner, overrides(i)));
  return { merchant: owner, payments };
}

export interface SwipeCard {
  cardNumber: string;
  cardType: string;
  /** false: the card-data callback (RSA); true: a network-token callback. */
  tokenize: boolean;
}

/** The shopper's side of the load: one swipe per payment at the sandbox, for the load process. */
export function writeSwipePlan(
  file: string,
  payments: CreatedPayment[],
  cardOf: (index: number) => SwipeCard,
): void {
  const lines = payments.map((payment, i) =>
    JSON.stringify({
      path: `/sandbox/v1/payments/${payment.mobilePayPaymentId}/swipe`,
      body: cardOf(i),
    }),
  );
  writeFileSync(file, lines.join('\n'));
}
