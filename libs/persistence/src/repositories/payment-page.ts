import type { Prisma } from '../generated/prisma/client';

/** A page of payments, newest first by (createdAt, id), so pages never skip or repeat a payment. */
export interface PaymentPageQuery {
  createdFrom?: Date;
  createdTo?: Date;
  after?: { createdAt: Date; id: string };
  limit: number;
}

export const PAYMENT_PAGE_ORDER: Prisma.PaymentOrderByWithRelationInput[] = [
  { createdAt: 'desc' },
  { id: 'desc' },
];

/** `filters` plus the created-at window and the cursor of `query`. */
export function paymentPageWhere(
  filters: Prisma.PaymentWhereInput,
  query: PaymentPageQuery,
): Prisma.PaymentWhereInput {
  const where: Prisma.PaymentWhereInput = {
    ...filters,
    createdAt:
      query.createdFrom || query.createdTo
        ? { gte: query.createdFrom, lt: query.createdTo }
        : undefined,
  };
  if (query.after) {
    const { createdAt, id } = query.after;
    where.OR = [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }];
  }
  return where;
}
