export * from './clearhaus-acquirer.adapter';
export * from './clearhaus-authorization-params';
export * from './clearhaus-form';
export * from './clearhaus-status-codes';
