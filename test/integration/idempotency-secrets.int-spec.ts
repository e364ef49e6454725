import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdempotencySecretBox } from '@app/crypto';
import { DomainError } from '@app/domain';
import { IdempotencyRepository, type PrismaService } from '@app/persistence';
import { IdempotencyService } from '../../apps/gateway/src/idempotency/idempotency.service';
import { testPrisma } from './helpers/persistence-fixtures';

const API_KEY = `psk_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64url')}`;

describe('Idempotency-Key replays of shown-once secrets (real PostgreSQL)', () => {
  let prisma: PrismaService;
  const sealKey = randomBytes(32);
  let sut: IdempotencyService;

  const run = async (service: IdempotencyService, scope: string, key: string) =>
    service.start(scope, key, { method: 'POST', path: '/v1/api-keys', body: { label: 'ci' } });

  const rowOf = async (scope: string) =>
    (
      await prisma.$queryRawUnsafe<{ row: string }[]>(
        `SELECT row_to_json(r)::text AS row FROM "IdempotencyRecord" r WHERE scope = $1`,
        scope,
      )
    )[0].row;

  beforeAll(() => {
    prisma = testPrisma();
    sut = new IdempotencyService(
      new IdempotencyRepository(prisma),
      new IdempotencySecretBox(sealKey),
    );
  });

  afterAll(async () => {
    await prisma.onModuleDestroy();
  });

  async function completeWithSecrets(scope: string, key: string) {
    const start = await run(sut, scope, key);
    if (start.kind !== 'run') throw new Error('expected to run');
    const body = {
      id: randomUUID(),
      prefix: API_KEY.slice(0, 20),
      apiKey: API_KEY,
      endpoint: { secret: WEBHOOK_SECRET },
    };
    await sut.complete(start.context, 201, body);
    return body;
  }

  it('stores no secret in clear, and replays the very same answer', async () => {
    const scope = `merchant:${randomUUID()}`;
    const body = await completeWithSecrets(scope, 'k-1');

    const row = await rowOf(scope);
    expect(row).not.toContain('psk_');
    expect(row).not.toContain(API_KEY.slice(21));
    expect(row).not.toContain('whsec_');
    expect(row).not.toContain(WEBHOOK_SECRET.slice(6));
    expect(row).toMatch(/"apiKey": ?"\[sealed\]"/);

    expect(await run(sut, scope, 'k-1')).toEqual({ kind: 'replay', status: 201, body });
  });

  it('answers idempotency_secret_unavailable when the envelope cannot be opened', async () => {
    const scope = `merchant:${randomUUID()}`;
    await completeWithSecrets(scope, 'k-2');
    const otherKey = new IdempotencyService(
      new IdempotencyRepository(prisma),
      new IdempotencySecretBox(randomBytes(32)),
    );
    const error = await run(otherKey, scope, 'k-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('idempotency_secret_unavailable');
    // Moved to another record, the envelope does not open either (bound to its row).
    const other = `merchant:${randomUUID()}`;
    await completeWithSecrets(other, 'k-3');
    await prisma.$executeRawUnsafe(
      `UPDATE "IdempotencyRecord" SET "responseSecrets" =
         (SELECT "responseSecrets" FROM "IdempotencyRecord" WHERE scope = $1) WHERE scope = $2`,
      scope,
      other,
    );
    await expect(run(sut, other, 'k-3')).rejects.toMatchObject({
      code: 'idempotency_secret_unavailable',
    });
  });

  it("the migration withholds secrets of responses stored before sealing; they aren't replayed", async () => {
    const scope = `merchant:${randomUUID()}`;
    const start = await run(sut, scope, 'legacy');
    if (start.kind !== 'run') throw new Error('expected to run');
    // As stored before sealing existed: the secrets in clear.
    await new IdempotencyRepository(prisma).complete(start.context.recordId, 201, {
      apiKey: API_KEY,
      label: 'quote " and \\ stay',
      nested: [{ secret: WEBHOOK_SECRET }],
    });
    const migrations = join(__dirname, '../../prisma/migrations');
    const dir = readdirSync(migrations).find((d) => d.endsWith('_idempotency_response_secrets'));
    const sql = readFileSync(join(migrations, dir!, 'migration.sql'), 'utf8');
    await prisma.$executeRawUnsafe(sql.slice(sql.indexOf('UPDATE')));

    const row = await rowOf(scope);
    expect(row).not.toMatch(/psk_|whsec_/);
    const [{ body }] = await prisma.$queryRawUnsafe<{ body: unknown }[]>(
      `SELECT "responseBody" AS body FROM "IdempotencyRecord" WHERE scope = $1`,
      scope,
    );
    expect(body).toEqual({
      apiKey: '[sealed]',
      label: 'quote " and \\ stay',
      nested: [{ secret: '[sealed]' }],
    });
    await expect(run(sut, scope, 'legacy')).rejects.toMatchObject({
      code: 'idempotency_secret_unavailable',
    });
  });
});
