import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CardDataSealer } from './card-data-sealer';
import { CardKeyRing } from './card-key-ring';
import { LinkSigner } from './link-token';
import { IdempotencySecretBox, WebhookSecretBox } from './secret-box';

/** Key objects are built once at boot: no PEM parsing on the hot path. */
@Global()
@Module({
  providers: [
    {
      provide: CardKeyRing,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        CardKeyRing.fromPemFiles(config.cardKeys.paths, config.cardKeys.activeKeyId),
    },
    {
      provide: LinkSigner,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new LinkSigner(config.sealKey.reveal()),
    },
    {
      provide: CardDataSealer,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new CardDataSealer(config.sealKey.reveal(), config.previousSealKeys.reveal()),
    },
    {
      provide: WebhookSecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new WebhookSecretBox(config.sealKey.reveal(), config.previousSealKeys.reveal()),
    },
    {
      provide: IdempotencySecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new IdempotencySecretBox(config.sealKey.reveal(), config.previousSealKeys.reveal()),
    },
  ],
  exports: [CardKeyRing, CardDataSealer, LinkSigner, WebhookSecretBox, IdempotencySecretBox],
})
export class CryptoModule {}
