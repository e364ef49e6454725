import { randomUUID } from 'node:crypto';
import {
  AttentionRepository,
  BackOfficeRepository,
  OverviewRepository,
  type Payment,
  type PrismaService,
} from '@app/persistence';
import { newInitiatedPayment, newMerchant, testPrisma } from './helpers/persistence-fixtures';

const MINUTE = 60_000;

describe('back-office repositories (real PostgreSQL)', () => {
  let prisma: PrismaService;
  let attention: AttentionRepository;
  let overview: OverviewRepository;
  let backOffice: BackOfficeRepository;
  let payment: Payment;

  beforeAll(async () => {
    prisma = testPrisma();
    attention = new AttentionRepository(prisma);
    overview = new OverviewRepository(prisma);
    backOffice = new BackOfficeRepository(prisma);
    const merchant = await newMerchant(prisma);
    payment = await newInitiatedPayment(prisma, merchant.id);
  });

  afterAll(async () => {
    await prisma.onModuleDestroy();
  });

  async function attempt(fields: {
    status: 'RECEIVED' | 'AUTHORIZING' | 'SUCCEEDED' | 'FAILED';
    receivedAt: Date;
    deadlineAt?: Date;
    patchedAt?: Date;
    acquirer?: string;
    reversalRequiredAt?: Date;
    reversedAt?: Date;
  }): Promise<string> {
    const id = randomUUID();
    await prisma.authorizationAttempt.create({
      data: {
        id,
        paymentId: payment.id,
        cardType: 'VISA-CREDIT',
        kind: 'PAN',
        maskedCardNumber: '400000******0002',
        status: fields.status,
        acquirer: fields.acquirer ?? 'rest-acquirer',
        callbackReceivedAt: fields.receivedAt,
        deadlineAt: fields.deadlineAt ?? new Date(fields.receivedAt.getTime() + 32_000),
        patchedAt: fields.patchedAt,
        reversalRequiredAt: fields.reversalRequiredAt,
        reversedAt: fields.reversedAt,
      },
    });
    return id;
  }

  it('lists open attempts past their deadline only', async () => {
    const now = new Date();
    const overdue = await attempt({
      status: 'AUTHORIZING',
      receivedAt: new Date(now.getTime() - MINUTE),
    });
    const inTime = await attempt({ status: 'AUTHORIZING', receivedAt: now });
    const settled = await attempt({
      status: 'SUCCEEDED',
      receivedAt: new Date(now.getTime() - MINUTE),
    });
    const ids = (await attention.overdueAttempts(now)).map((a) => a.id);
    expect(ids).toContain(overdue);
    expect(ids).not.toContain(inTime);
    expect(ids).not.toContain(settled);
    expect(await backOffice.searchPayments({ attemptId: overdue, limit: 5 })).toEqual([
      expect.objectContaining({ id: payment.id }),
    ]);
  });

  it('lists a reversal until it was done after it was (last) required', async () => {
    const t = (m: number) => new Date(Date.now() - m * MINUTE);
    const owed = await attempt({ status: 'FAILED', receivedAt: t(10), reversalRequiredAt: t(9) });
    const done = await attempt({
      status: 'FAILED',
      receivedAt: t(10),
      reversalRequiredAt: t(9),
      reversedAt: t(8),
    });
    const requiredAgain = await attempt({
      status: 'FAILED',
      receivedAt: t(10),
      reversalRequiredAt: t(7),
      reversedAt: t(8),
    });
    const ids = (await attention.pendingReversals()).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([owed, requiredAgain]));
    expect(ids).not.toContain(done);
  });

  it('revives a dead capture report once, and never a dead PATCH', async () => {
    const report = async (kind: 'REPORT_CAPTURE' | 'PATCH_AUTHORIZATION_ATTEMPT') => {
      const id = randomUUID();
      await prisma.outboxMessage.create({
        data: {
          id,
          kind,
          dedupeKey: `test:${id}`,
          paymentId: payment.id,
          payload: {},
          status: 'DEAD',
          tries: 8,
          lastError: 'HTTP 500',
        },
      });
      return id;
    };
    const capture = await report('REPORT_CAPTURE');
    const patch = await report('PATCH_AUTHORIZATION_ATTEMPT');
    expect((await attention.exhaustedReports()).map((r) => r.id)).toEqual(
      expect.arrayContaining([capture, patch]),
    );
    expect(await attention.reviveReport(capture)).toBe(true);
    expect(await attention.reviveReport(capture)).toBe(false);
    expect(await attention.reviveReport(patch)).toBe(false);
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: capture } })).toMatchObject({
      status: 'PENDING',
      tries: 0,
    });
  });

  it('counts callbacks, outcomes per acquirer and the PATCH latency per minute', async () => {
    // Two hours back, a minute no other test writes to.
    const minute = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 120 * MINUTE);
    const at = (ms: number) => new Date(minute.getTime() + ms);
    const acquirer = `acq-${randomUUID().slice(0, 8)}`;
    await attempt({ status: 'SUCCEEDED', receivedAt: at(0), patchedAt: at(100), acquirer });
    await attempt({ status: 'SUCCEEDED', receivedAt: at(1_000), patchedAt: at(1_300), acquirer });
    await attempt({ status: 'FAILED', receivedAt: at(2_000), patchedAt: at(2_200), acquirer });
    const since = new Date(minute.getTime() - 1);
    const inMinute = <T extends { minute: Date }>(rows: T[]) =>
      rows.filter((r) => r.minute.getTime() === minute.getTime());

    const callbacks = inMinute(await overview.callbacksPerMinute(since));
    expect(callbacks[0].callbacks).toBeGreaterThanOrEqual(3);
    const outcomes = inMinute(await overview.outcomesPerMinute(since)).filter(
      (r) => r.acquirer === acquirer,
    );
    expect(outcomes).toEqual([{ minute, acquirer, succeeded: 2, failed: 1 }]);
    const [latency] = inMinute(await overview.patchLatencyPerMinute(since));
    expect(latency.maxMs).toBeGreaterThanOrEqual(300);
    expect(latency.p99Ms).toBeGreaterThan(200);
    expect(latency.p99Ms).toBeLessThanOrEqual(latency.maxMs);
  });
});
