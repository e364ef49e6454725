import { randomUUID } from 'node:crypto';
import { type AppConfig, Secret } from '@app/config';
import {
  MerchantRepository,
  PaymentRepository,
  PrismaService,
  type Merchant,
  type Payment,
} from '@app/persistence';
import type { NewPayment } from '../../../libs/persistence/src/repositories/payment.repository';
import { TEST_DATABASE_URL } from '../../support/database';

/** A Prisma client on the test database without Nest: only `database` is read from the config. */
export function testPrisma(): PrismaService {
  return new PrismaService({
    database: { url: new Secret(TEST_DATABASE_URL), poolSize: 5 },
  } as AppConfig);
}

export async function newMerchant(prisma: PrismaService): Promise<Merchant> {
  const id = randomUUID();
  return new MerchantRepository(prisma).upsertByExternalId({
    id,
    externalId: `ext-${id}`,
    name: `Merchant ${id}`,
    displayName: 'Test Shop',
    merchantUrl: 'https://shop.example.com',
    logoUrl: 'https://shop.example.com/logo.png',
    merchantCategoryCode: 5411,
    billingCurrency: 'DKK',
    countryCode: 'DK',
    vatNumber: 'DK87654321',
    acquirerMerchantId: `acq-${id.slice(0, 8)}`,
  });
}

export function newPaymentInput(
  merchantId: string,
  overrides: Partial<NewPayment> = {},
): NewPayment {
  return {
    id: randomUUID(),
    merchantId,
    pspReferenceId: `psp-${randomUUID()}`,
    merchantOrderId: `order-${randomUUID()}`,
    amount: 12_345n,
    currency: 'DKK',
    allowedCardTypes: ['VISA-CREDIT', 'DANKORT'],
    redirectFromMobilePayUrl: 'https://shop.example.com/return',
    publicKeyId: 263012,
    expiresAt: new Date(Date.now() + 35 * 60_000),
    ...overrides,
  };
}

/** Creates a payment and gives it a MobilePay payment id, as initiation would. */
export async function newInitiatedPayment(
  prisma: PrismaService,
  merchantId: string,
  overrides: Partial<NewPayment> = {},
): Promise<Payment> {
  const payments = new PaymentRepository(prisma);
  const outcome = await payments.create(newPaymentInput(merchantId, overrides), 3);
  if (outcome.kind !== 'created') throw new Error(`payment not created: ${outcome.kind}`);
  return payments.markInitiated(outcome.payment.id, {
    mobilePayPaymentId: randomUUID(),
    redirectToMobilePayUrl: 'https://products.mobilepay.dk/remote-website/index.html',
    redirectToMobilePayAppUrl: null,
  });
}
