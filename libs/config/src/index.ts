export * from './env';
export * from './secret';
export * from './app.config';
export * from './config.module';
export * from './telemetry.config';
export * from './sandbox.config';
export * from './pos.config';
export * from './epayment.config';
