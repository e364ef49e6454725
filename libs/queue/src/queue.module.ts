import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AttemptOutcomeNotifier } from './attempt-outcome.notifier';
import { JobProducer } from './job-producer';
import { PosJobProducer } from './pos-job-producer';
import { QueueInspector } from './queue-inspector';
import { QueueName } from './queue-registry';
import { WebhookJobProducer } from './webhook-job-producer';
import { redisConnection } from './redis-connection';

/** Registers every queue and exports the typed producer. `role` picks the Redis connection mode. */
export class QueueModule {
  static register(role: 'producer' | 'worker') {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: redisConnection(config.redis, role),
            prefix: config.redis.queuePrefix,
          }),
        }),
        ...Object.values(QueueName).map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [
        JobProducer,
        QueueInspector,
        WebhookJobProducer,
        PosJobProducer,
        AttemptOutcomeNotifier,
      ],
      exports: [
        JobProducer,
        QueueInspector,
        WebhookJobProducer,
        PosJobProducer,
        AttemptOutcomeNotifier,
        BullModule,
      ],
    };
  }
}

Module({})(QueueModule);
