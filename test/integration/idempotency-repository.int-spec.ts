import { randomUUID } from 'node:crypto';
import {
  IdempotencyRepository,
  type IdempotentRequest,
  type PrismaService,
} from '@app/persistence';
import { testPrisma } from './helpers/persistence-fixtures';

describe('IdempotencyRepository (real PostgreSQL)', () => {
  let prisma: PrismaService;
  let sut: IdempotencyRepository;

  const request = (overrides: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
    scope: `merchant:${randomUUID()}`,
    key: `key-${randomUUID()}`,
    requestHash: 'hash-a',
    method: 'POST',
    path: '/v1/payments',
    ttlMs: 24 * 3600_000,
    staleLockMs: 60_000,
    ...overrides,
  });

  beforeAll(() => {
    prisma = testPrisma();
    sut = new IdempotencyRepository(prisma);
  });

  afterAll(async () => {
    await prisma.onModuleDestroy();
  });

  it('lets the first request own the key, and replays its stored response afterwards', async () => {
    const first = request();
    const owner = await sut.claim(first);
    expect(owner.kind).toBe('owner');
    expect(await sut.claim(first)).toEqual({ kind: 'in-progress' });

    const recordId = owner.kind === 'owner' ? owner.recordId : '';
    await sut.complete(recordId, 201, { id: 'p1' });
    expect(await sut.claim(first)).toEqual({
      kind: 'replay',
      recordId,
      status: 201,
      body: { id: 'p1' },
      sealedSecrets: null,
    });
    expect(await sut.claim({ ...first, requestHash: 'hash-b' })).toEqual({ kind: 'mismatch' });
  });

  it('gives exactly one of 10 concurrent requests the key', async () => {
    const same = request();
    const claims = await Promise.all(Array.from({ length: 10 }, () => sut.claim(same)));
    expect(claims.filter((c) => c.kind === 'owner')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'in-progress')).toHaveLength(9);
  });

  it('scopes keys: the same key of another merchant is another key', async () => {
    const first = request();
    await sut.claim(first);
    expect((await sut.claim({ ...first, scope: `merchant:${randomUUID()}` })).kind).toBe('owner');
  });

  it('treats an expired key as new', async () => {
    const first = request();
    const owner = await sut.claim(first);
    if (owner.kind !== 'owner') throw new Error('not owner');
    await sut.complete(owner.recordId, 201, { id: 'old' });
    await prisma.idempotencyRecord.update({
      where: { id: owner.recordId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const again = await sut.claim({ ...first, requestHash: 'hash-other' });
    expect(again).toMatchObject({ kind: 'owner', resourceId: null });
    expect(await sut.purgeExpired()).toBeGreaterThanOrEqual(0);
  });

  it('forgets a released key that created nothing, and resumes one that did', async () => {
    const nothing = request();
    const first = await sut.claim(nothing);
    if (first.kind !== 'owner') throw new Error('not owner');
    await sut.release(first.recordId);
    expect((await sut.claim({ ...nothing, requestHash: 'corrected' })).kind).toBe('owner');

    const created = request();
    const owner = await sut.claim(created);
    if (owner.kind !== 'owner') throw new Error('not owner');
    await prisma.idempotencyRecord.update({
      where: { id: owner.recordId },
      data: { resourceId: 'resource-1' },
    });
    await sut.release(owner.recordId);
    expect(await sut.claim(created)).toEqual({
      kind: 'owner',
      recordId: owner.recordId,
      resourceId: 'resource-1',
    });
    expect(await sut.claim({ ...created, requestHash: 'other' })).toEqual({ kind: 'mismatch' });
  });

  it('lets a request take over a key whose lock is stale (its request died)', async () => {
    const first = request({ staleLockMs: 50 });
    await sut.claim(first);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await sut.claim(first)).kind).toBe('owner');
  });
});
