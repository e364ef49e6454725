import { randomBytes, randomUUID } from 'node:crypto';
import { CardDataSealer, sealCard, unsealCard, type SealedCard } from '@app/crypto';
import {
  AttemptRepository,
  IntakeRepository,
  type AcquirerOutcome,
  type AttemptPatch,
  type Payment,
  type PrismaService,
  type ReceivedAttempt,
} from '@app/persistence';
import { newInitiatedPayment, newMerchant, testPrisma } from './helpers/persistence-fixtures';

const PAN = '4111111111111111';
const CARD: SealedCard = { kind: 'pan', number: PAN, expiryMonth: 12, expiryYear: 2030 };

describe('AttemptRepository (real PostgreSQL)', () => {
  let prisma: PrismaService;
  let sut: AttemptRepository;
  let intake: IntakeRepository;
  const sealer = new CardDataSealer(randomBytes(32));

  beforeAll(() => {
    prisma = testPrisma();
    sut = new AttemptRepository(prisma);
    intake = new IntakeRepository(prisma);
  });

  afterAll(async () => {
    await prisma.onModuleDestroy();
  });

  async function payment(amount = 12_345n): Promise<Payment> {
    const merchant = await newMerchant(prisma);
    return newInitiatedPayment(prisma, merchant.id, { amount });
  }

  function received(paymentId: string): ReceivedAttempt {
    const now = new Date();
    return {
      id: randomUUID(),
      paymentId,
      cardType: 'VISA-CREDIT',
      kind: 'PAN',
      maskedCardNumber: '411111******1111',
      tokenMethod: null,
      cardIssuedInCountryCode: null,
      callbackReceivedAt: now,
      deadlineAt: new Date(now.getTime() + 32_000),
    };
  }

  async function receivedAttempt(amount = 12_345n) {
    const pay = await payment(amount);
    const attempt = received(pay.id);
    expect(await intake.recordReceived(attempt, sealCard(sealer, CARD, attempt.id))).toBe(true);
    return { payment: pay, attempt };
  }

  function approvedOutcome(authorizedAmount: bigint): AcquirerOutcome {
    return {
      status: 'AUTHORIZED',
      acquirer: 'rest-acquirer',
      acquirerMerchantId: 'acq-merchant-1',
      acquirerVatNumber: 'DK12345678',
      acquirerReference: 'acq-ref-1',
      authorizationReference: 'attempt-ref.3ds',
      reasonCode: null,
      reasonMessage: null,
      authorizedAmount,
    };
  }

  function successPatch(pay: Payment, attemptId: string): AttemptPatch {
    return {
      mobilePayPaymentId: pay.mobilePayPaymentId!,
      attemptId,
      body: {
        succeeded: true,
        acquirerVatNumber: 'DK12345678',
        acquirerMerchantId: 'acq-merchant-1',
        acquirerPaymentReference: 'acq-ref-1',
      },
    };
  }

  function failurePatch(pay: Payment, attemptId: string): AttemptPatch {
    return {
      mobilePayPaymentId: pay.mobilePayPaymentId!,
      attemptId,
      body: { succeeded: false, reasonCode: 1003, reasonMessage: 'card expired' },
    };
  }

  const counts = async (attemptId: string) => ({
    attempts: await prisma.authorizationAttempt.count({ where: { id: attemptId } }),
    sealed: await prisma.sealedCardData.count({ where: { attemptId } }),
    outbox: await prisma.outboxMessage.count({ where: { attemptId } }),
    history: await prisma.attemptStatusChange.count({ where: { attemptId } }),
  });

  const history = async (attemptId: string) =>
    (
      await prisma.attemptStatusChange.findMany({ where: { attemptId }, orderBy: { id: 'asc' } })
    ).map((row) => `${row.fromStatus ?? '-'}>${row.toStatus}`);

  describe('recordReceived', () => {
    it('stores the attempt once; a redelivered callback writes nothing', async () => {
      const pay = await payment();
      const attempt = received(pay.id);

      expect(await intake.recordReceived(attempt, sealCard(sealer, CARD, attempt.id))).toBe(true);
      expect(await intake.recordReceived(attempt, sealCard(sealer, CARD, attempt.id))).toBe(false);

      expect(await counts(attempt.id)).toEqual({ attempts: 1, sealed: 1, outbox: 0, history: 1 });
      const row = await prisma.authorizationAttempt.findUniqueOrThrow({
        where: { id: attempt.id },
      });
      expect(row.status).toBe('RECEIVED');
      expect(row.maskedCardNumber).toBe('411111******1111');
    });

    it('keeps the card sealed at rest and unsealable for this attempt only', async () => {
      const { attempt } = await receivedAttempt();
      const row = await prisma.sealedCardData.findUniqueOrThrow({
        where: { attemptId: attempt.id },
      });
      expect(Buffer.from(row.ciphertext).toString('latin1')).not.toContain(PAN);

      const blob = await sut.findSealed(attempt.id);
      expect(blob).not.toBeNull();
      expect(unsealCard(sealer, blob!, attempt.id)).toEqual(CARD);
      expect(() => unsealCard(sealer, blob!, randomUUID())).toThrow();
    });
  });

  describe('claimForAuthorization', () => {
    it('lets exactly one of 10 concurrent workers win the claim', async () => {
      const { attempt } = await receivedAttempt();

      const results = await Promise.all(
        Array.from({ length: 10 }, () => sut.claimForAuthorization(attempt.id)),
      );

      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      const row = await prisma.authorizationAttempt.findUniqueOrThrow({
        where: { id: attempt.id },
      });
      expect(row.status).toBe('AUTHORIZING');
      expect(await history(attempt.id)).toEqual(['->RECEIVED', 'RECEIVED>AUTHORIZING']);
    });

    it('lets the deadline watchdog fail only an attempt no worker has claimed', async () => {
      const { payment: pay, attempt } = await receivedAttempt();
      const stale = (await sut.findWithPayment(attempt.id))!; // read as RECEIVED by the watchdog
      expect(await sut.claimForAuthorization(attempt.id)).toBe('claimed');

      expect(await sut.failUnstarted(stale, failurePatch(pay, attempt.id))).toBeUndefined();
      expect(await counts(attempt.id)).toMatchObject({ sealed: 1, outbox: 0 });
    });

    it('never lets both the claim and the deadline watchdog win the same attempt', async () => {
      const attempts = await Promise.all(Array.from({ length: 20 }, () => receivedAttempt()));

      const races = await Promise.all(
        attempts.map(async ({ payment: pay, attempt }) => {
          const withPayment = (await sut.findWithPayment(attempt.id))!;
          const [claim, outboxId] = await Promise.all([
            sut.claimForAuthorization(attempt.id),
            sut.failUnstarted(withPayment, failurePatch(pay, attempt.id)),
          ]);
          return {
            attemptId: attempt.id,
            claimed: claim === 'claimed',
            failed: outboxId !== undefined,
          };
        }),
      );

      for (const race of races) {
        expect([race.claimed, race.failed].filter(Boolean)).toHaveLength(1);
        const row = await prisma.authorizationAttempt.findUniqueOrThrow({
          where: { id: race.attemptId },
        });
        expect(row.status).toBe(race.claimed ? 'AUTHORIZING' : 'DECLINED');
        expect(await counts(race.attemptId)).toMatchObject(
          race.claimed ? { sealed: 1, outbox: 0 } : { sealed: 0, outbox: 1 },
        );
      }
    });

    it('lets only one of two attempts of the same payment reach the acquirer at a time', async () => {
      const pay = await payment();
      const first = received(pay.id);
      const second = received(pay.id);
      await intake.recordReceived(first, sealCard(sealer, CARD, first.id));
      await intake.recordReceived(second, sealCard(sealer, CARD, second.id));

      const results = await Promise.all([
        sut.claimForAuthorization(first.id),
        sut.claimForAuthorization(second.id),
      ]);

      expect(results.sort()).toEqual(['claimed', 'sibling-in-flight']);
    });

    it('refuses a second attempt once the payment has an authorization', async () => {
      const { payment: pay, attempt } = await receivedAttempt();
      expect(await sut.claimForAuthorization(attempt.id)).toBe('claimed');
      const withPayment = (await sut.findWithPayment(attempt.id))!;
      await sut.recordAcquirerOutcome(withPayment, approvedOutcome(12_345n), {
        mobilePayPaymentId: pay.mobilePayPaymentId!,
        attemptId: attempt.id,
        body: { succeeded: true },
      });
      const late = received(pay.id);
      await intake.recordReceived(late, sealCard(sealer, CARD, late.id));

      expect(await sut.claimForAuthorization(late.id)).toBe('sibling-authorized');
    });

    it('refuses an unknown attempt', async () => {
      expect(await sut.claimForAuthorization(randomUUID())).toBe('not-claimable');
    });
  });

  describe('recordAcquirerOutcome and markPatched', () => {
    it('records an approval, drops the card data and queues one PATCH, then finishes', async () => {
      const { payment: pay, attempt } = await receivedAttempt(99_999_999_999n);
      expect(await sut.claimForAuthorization(attempt.id)).toBe('claimed');
      const withPayment = (await sut.findWithPayment(attempt.id))!;
      const patch = successPatch(pay, attempt.id);

      const outboxId = await sut.recordAcquirerOutcome(
        withPayment,
        approvedOutcome(99_999_999_999n),
        patch,
      );

      expect(outboxId).toEqual(expect.any(String));
      const paymentRow = await prisma.payment.findUniqueOrThrow({ where: { id: pay.id } });
      expect(paymentRow.authorizedAmount).toBe(99_999_999_999n);
      expect(await counts(attempt.id)).toEqual({ attempts: 1, sealed: 0, outbox: 1, history: 3 });
      const outbox = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: outboxId! } });
      expect(outbox).toMatchObject({
        kind: 'PATCH_AUTHORIZATION_ATTEMPT',
        status: 'PENDING',
        paymentId: pay.id,
        attemptId: attempt.id,
        payload: patch,
      });
      const attemptRow = await prisma.authorizationAttempt.findUniqueOrThrow({
        where: { id: attempt.id },
      });
      expect(attemptRow).toMatchObject({
        status: 'AUTHORIZED',
        acquirer: 'rest-acquirer',
        acquirerReference: 'acq-ref-1',
        authorizationReference: 'attempt-ref.3ds',
      });
      expect(attemptRow.authorizedAt).toBeInstanceOf(Date);

      // A second worker (or a retried job) arrives with the same answer: nothing changes.
      expect(
        await sut.recordAcquirerOutcome(withPayment, approvedOutcome(99_999_999_999n), patch),
      ).toBeUndefined();
      expect(await counts(attempt.id)).toEqual({ attempts: 1, sealed: 0, outbox: 1, history: 3 });

      await sut.markPatched(outboxId!, { ...patch, body: { ...patch.body, succeeded: true } });

      expect(
        await prisma.authorizationAttempt.findUniqueOrThrow({ where: { id: attempt.id } }),
      ).toMatchObject({ status: 'SUCCEEDED', patchedAt: expect.any(Date) });
      expect(await prisma.payment.findUniqueOrThrow({ where: { id: pay.id } })).toMatchObject({
        status: 'AUTHORIZED',
        authorizedAmount: 99_999_999_999n,
        amount: 99_999_999_999n,
      });
      expect(
        await prisma.outboxMessage.findUniqueOrThrow({ where: { id: outboxId! } }),
      ).toMatchObject({ status: 'SENT', sentAt: expect.any(Date), tries: 1 });
      expect(await history(attempt.id)).toEqual([
        '->RECEIVED',
        'RECEIVED>AUTHORIZING',
        'AUTHORIZING>AUTHORIZED',
        'AUTHORIZED>SUCCEEDED',
      ]);
    });

    it('records nothing for an attempt no worker has claimed', async () => {
      const { payment: pay, attempt } = await receivedAttempt();
      const withPayment = (await sut.findWithPayment(attempt.id))!;

      expect(
        await sut.recordAcquirerOutcome(
          withPayment,
          approvedOutcome(12_345n),
          successPatch(pay, attempt.id),
        ),
      ).toBeUndefined();

      expect(await counts(attempt.id)).toEqual({ attempts: 1, sealed: 1, outbox: 0, history: 1 });
      expect(
        (await prisma.payment.findUniqueOrThrow({ where: { id: pay.id } })).authorizedAmount,
      ).toBe(0n);
    });

    it('marks a declined attempt FAILED and leaves the payment unauthorized', async () => {
      const { payment: pay, attempt } = await receivedAttempt();
      await sut.claimForAuthorization(attempt.id);
      const withPayment = (await sut.findWithPayment(attempt.id))!;
      const outboxId = await sut.recordAcquirerOutcome(
        withPayment,
        {
          ...approvedOutcome(0n),
          status: 'DECLINED',
          reasonCode: 1001,
          reasonMessage: 'insufficient funds',
        },
        { ...failurePatch(pay, attempt.id), body: { succeeded: false, reasonCode: 1001 } },
      );

      await sut.markPatched(outboxId!, {
        ...failurePatch(pay, attempt.id),
        body: { succeeded: false, reasonCode: 1001 },
      });

      expect(
        (await prisma.authorizationAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).status,
      ).toBe('FAILED');
      expect(await prisma.payment.findUniqueOrThrow({ where: { id: pay.id } })).toMatchObject({
        status: 'INITIATED',
        authorizedAmount: 0n,
      });
      expect(await counts(attempt.id)).toMatchObject({ sealed: 0, outbox: 1 });
    });
  });

  describe('recordRejectedAtIntake', () => {
    it('creates a DECLINED attempt without card data and one PATCH; a repeat adds nothing', async () => {
      const pay = await payment();
      const attempt = received(pay.id);
      const patch = failurePatch(pay, attempt.id);

      const first = await sut.recordRejectedAtIntake(attempt, patch);
      const second = await sut.recordRejectedAtIntake(attempt, patch);

      expect(first.created).toBe(true);
      expect(second).toEqual({ created: false, outboxId: undefined });
      expect(await counts(attempt.id)).toEqual({ attempts: 1, sealed: 0, outbox: 1, history: 1 });
      expect(
        await prisma.authorizationAttempt.findUniqueOrThrow({ where: { id: attempt.id } }),
      ).toMatchObject({ status: 'DECLINED', reasonCode: 1003, reasonMessage: 'card expired' });
      expect(
        await prisma.outboxMessage.findUniqueOrThrow({ where: { id: first.outboxId } }),
      ).toMatchObject({ status: 'PENDING', payload: patch });
      expect(await history(attempt.id)).toEqual(['->DECLINED']);
    });

    it('queues no PATCH for an attempt that was already accepted', async () => {
      const { payment: pay, attempt } = await receivedAttempt();
      await sut.recordRejectedAtIntake(attempt, failurePatch(pay, attempt.id));
      expect(await counts(attempt.id)).toMatchObject({ outbox: 0 });
    });
  });
});
