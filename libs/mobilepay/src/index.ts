export * from './mobilepay-api.types';
export * from './mobilepay-error';
export * from './mobilepay.client';
export * from './callback-schemas';
export * from './card-plaintext';
export * from './mobilepay.module';
