import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { AttentionRepository } from './repositories/attention.repository';
import { BackOfficeRepository } from './repositories/back-office.repository';
import { OverviewRepository } from './repositories/overview.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { PaymentOperationRepository } from './repositories/payment-operation.repository';
import { WebhookRepository } from './repositories/webhook.repository';
import { AttemptRepository } from './repositories/attempt.repository';
import { EpaymentRepository } from './repositories/epayment.repository';
import { IntakeRepository } from './repositories/intake.repository';
import { InvalidationRepository } from './repositories/invalidation.repository';
import { MerchantRepository } from './repositories/merchant.repository';
import { OperationsRepository } from './repositories/operations.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { PaymentRepository } from './repositories/payment.repository';
import { ThreeDsRepository } from './repositories/three-ds.repository';

const repositories = [
  ApiKeyRepository,
  AttemptRepository,
  EpaymentRepository,
  AttentionRepository,
  BackOfficeRepository,
  OverviewRepository,
  IntakeRepository,
  InvalidationRepository,
  MerchantRepository,
  OperationsRepository,
  OutboxRepository,
  PaymentRepository,
  ThreeDsRepository,
  IdempotencyRepository,
  PaymentOperationRepository,
  WebhookRepository,
];

@Global()
@Module({
  providers: [PrismaService, ...repositories],
  exports: [PrismaService, ...repositories],
})
export class PersistenceModule {}
