export * from './epayment-api.types';
export * from './epayment-error';
export * from './epayment-signature';
export * from './epayment.client';
export * from './card-callback.schema';
export * from './sliding-window-limiter';
export * from './epayment.module';
