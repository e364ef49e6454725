import { randomUUID } from 'node:crypto';
import { PaymentRepository, type CreatePaymentOutcome, type PrismaService } from '@app/persistence';
import { newMerchant, newPaymentInput, testPrisma } from './helpers/persistence-fixtures';

function kinds(outcomes: CreatePaymentOutcome[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const outcome of outcomes) tally[outcome.kind] = (tally[outcome.kind] ?? 0) + 1;
  return tally;
}

function paymentIdOf(outcome: CreatePaymentOutcome): string | undefined {
  return outcome.kind === 'too-many-initiations' ? undefined : outcome.payment.id;
}

describe('PaymentRepository (real PostgreSQL)', () => {
  let prisma: PrismaService;
  let sut: PaymentRepository;

  beforeAll(() => {
    prisma = testPrisma();
    sut = new PaymentRepository(prisma);
  });

  afterAll(async () => {
    await prisma.onModuleDestroy();
  });

  it('stores the amount exactly, in integer minor units', async () => {
    const merchant = await newMerchant(prisma);
    const outcome = await sut.create(newPaymentInput(merchant.id, { amount: 99_999_999_999n }), 3);
    expect(outcome.kind).toBe('created');
    const row = await prisma.payment.findUniqueOrThrow({ where: { id: paymentIdOf(outcome) } });
    expect(row.amount).toBe(99_999_999_999n);
    expect(row.authorizedAmount).toBe(0n);
  });

  it('lets only maxPerOrder of 6 concurrent initiations of one order through', async () => {
    const merchant = await newMerchant(prisma);
    const merchantOrderId = `order-${randomUUID()}`;

    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        sut.create(newPaymentInput(merchant.id, { merchantOrderId }), 3),
      ),
    );

    expect(kinds(outcomes)).toEqual({ created: 3, 'too-many-initiations': 3 });
    expect(
      await prisma.payment.count({ where: { merchantId: merchant.id, merchantOrderId } }),
    ).toBe(3);
  });

  it('counts initiations per merchant: another merchant may use the same order id', async () => {
    const [first, second] = [await newMerchant(prisma), await newMerchant(prisma)];
    const merchantOrderId = `order-${randomUUID()}`;
    await sut.create(newPaymentInput(first.id, { merchantOrderId }), 1);
    expect((await sut.create(newPaymentInput(first.id, { merchantOrderId }), 1)).kind).toBe(
      'too-many-initiations',
    );
    expect((await sut.create(newPaymentInput(second.id, { merchantOrderId }), 1)).kind).toBe(
      'created',
    );
  });

  it("never returns another merchant's payment", async () => {
    const [owner, other] = [await newMerchant(prisma), await newMerchant(prisma)];
    const outcome = await sut.create(newPaymentInput(owner.id), 3);
    const id = paymentIdOf(outcome)!;

    expect(await sut.findForMerchant(other.id, id)).toBeNull();
    expect(await sut.findForMerchant(owner.id, id)).toMatchObject({
      id,
      merchantId: owner.id,
      attempts: [],
      operations: [],
    });
  });
});
