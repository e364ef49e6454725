export * from './acquirer-adapter';
export * from './acquirer-router';
export * from './acquirers.module';
export * from './rest/rest-acquirer.adapter';
export { Iso8583AcquirerAdapter, type Iso8583AcquirerOptions } from './iso8583';
/** The Nets-style ISO 8583 protocol (codec, framing, messages), shared with the sandbox host. */
export * as Iso8583 from './iso8583';
export * from './three-ds/three-ds-server';
export * from './acquirer-operations';
export * from './clearhaus';
export * from './three-ds/3dsecure-io/three-ds-server-client';
