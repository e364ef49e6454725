import { randomUUID } from 'node:crypto';
import {
  PaymentOperationRepository,
  type Payment,
  type PaymentOperation,
  type PrismaService,
  type ReserveOutcome,
} from '@app/persistence';
import { newInitiatedPayment, newMerchant, testPrisma } from './helpers/persistence-fixtures';

describe('PaymentOperationRepository (real PostgreSQL)', () => {
  let prisma: PrismaService;
  let sut: PaymentOperationRepository;

  beforeAll(() => {
    prisma = testPrisma();
    sut = new PaymentOperationRepository(prisma);
  });

  afterAll(async () => {
    await prisma.onModuleDestroy();
  });

  async function authorizedPayment(amount = 10_000n): Promise<Payment> {
    const merchant = await newMerchant(prisma);
    const payment = await newInitiatedPayment(prisma, merchant.id, { amount });
    return prisma.payment.update({
      where: { id: payment.id },
      data: { status: 'AUTHORIZED', authorizedAmount: amount },
    });
  }

  const reserve = (
    payment: Payment,
    kind: PaymentOperation['kind'],
    amount: bigint | undefined,
  ): Promise<ReserveOutcome> =>
    sut.reserve({
      id: randomUUID(),
      merchantId: payment.merchantId,
      paymentId: payment.id,
      kind,
      amount,
      acquirer: 'rest-acquirer',
      authorizationReference: randomUUID(),
    });

  const reserved = (outcome: ReserveOutcome): PaymentOperation => {
    if (outcome.kind !== 'reserved') throw new Error(`not reserved: ${outcome.kind}`);
    return outcome.operation;
  };

  it('lets only 3 of 10 concurrent 30 % captures through, and never over the authorized amount', async () => {
    const payment = await authorizedPayment();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => reserve(payment, 'CAPTURE', 3_000n)),
    );
    expect(outcomes.filter((o) => o.kind === 'reserved')).toHaveLength(3);
    expect(outcomes.filter((o) => o.kind === 'exceeds')).toHaveLength(7);
    const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ capturedAmount: 9_000n, pendingCaptureAmount: 9_000n });
  });

  it('does not refund a capture still pending, and refunds at most what was captured', async () => {
    const payment = await authorizedPayment();
    const capture = reserved(await reserve(payment, 'CAPTURE', undefined));
    expect(capture.amount).toBe(10_000n);
    expect(await reserve(payment, 'REFUND', 1_000n)).toEqual({ kind: 'exceeds', available: 0n });

    const outboxId = await sut.succeed(capture.id, 'ACQ-1');
    expect(outboxId).toBeDefined();
    expect(await sut.succeed(capture.id, 'ACQ-1')).toBeUndefined();

    const refunds = await Promise.all(
      Array.from({ length: 10 }, () => reserve(payment, 'REFUND', 3_000n)),
    );
    expect(refunds.filter((o) => o.kind === 'reserved')).toHaveLength(3);
    const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ capturedAmount: 10_000n, refundedAmount: 9_000n });
  });

  it('writes the MobilePay report and the merchant event with the success, once', async () => {
    const payment = await authorizedPayment();
    const capture = reserved(await reserve(payment, 'CAPTURE', 2_500n));
    const outboxId = await sut.succeed(capture.id, 'ACQ-2');

    const outbox = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: outboxId } });
    expect(outbox).toMatchObject({ kind: 'REPORT_CAPTURE', paymentId: payment.id });
    expect(outbox.payload).toMatchObject({
      kind: 'capture',
      operationId: capture.id,
      body: { amount: 2_500, captureIdentifier: capture.id },
    });
    const events = await prisma.paymentEvent.findMany({ where: { paymentId: payment.id } });
    expect(events.map((e) => e.type)).toEqual(['payment.captured']);
  });

  it('releases the reservation when the acquirer declines', async () => {
    const payment = await authorizedPayment();
    const capture = reserved(await reserve(payment, 'CAPTURE', 4_000n));
    expect(await sut.fail(capture.id, 'DECLINED')).toBe(true);
    expect(await sut.fail(capture.id, 'DECLINED')).toBe(false);
    const row = await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ capturedAmount: 0n, pendingCaptureAmount: 0n });
    expect(reserved(await reserve(payment, 'CAPTURE', 10_000n)).amount).toBe(10_000n);
  });

  it('cancels the uncaptured rest; a payment never captured ends CANCELLED', async () => {
    const partly = await authorizedPayment();
    await sut.succeed(reserved(await reserve(partly, 'CAPTURE', 3_000n)).id, null);
    const rest = reserved(await reserve(partly, 'CANCEL', 99n));
    expect(rest.amount).toBe(7_000n);
    await sut.succeed(rest.id, null);
    expect(await reserve(partly, 'CAPTURE', 1n)).toEqual({ kind: 'exceeds', available: 0n });
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: partly.id } })).status).toBe(
      'AUTHORIZED',
    );

    const untouched = await authorizedPayment();
    await sut.succeed(reserved(await reserve(untouched, 'CANCEL', undefined)).id, null);
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: untouched.id } })).toMatchObject({
      status: 'CANCELLED',
      cancelledAmount: 10_000n,
    });
  });

  it("refuses another merchant's payment and payments that are not authorized", async () => {
    const payment = await authorizedPayment();
    const other = await newMerchant(prisma);
    expect(await reserve({ ...payment, merchantId: other.id }, 'CAPTURE', 1n)).toEqual({
      kind: 'not-found',
    });
    await prisma.payment.update({ where: { id: payment.id }, data: { status: 'EXPIRED' } });
    expect(await reserve(payment, 'CAPTURE', 1n)).toEqual({
      kind: 'invalid-state',
      status: 'EXPIRED',
    });
  });
});
