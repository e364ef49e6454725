export * from './card-key-ring';
export * from './card-data-sealer';
export * from './crypto.module';
export * from './sealed-card';
export * from './link-token';
export * from './secret-box';
