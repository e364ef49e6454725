export * from './outbound-request';
