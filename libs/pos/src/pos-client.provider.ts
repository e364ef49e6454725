import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type PosConfig } from '@app/config';
import { PosClient } from './pos.client';
import { PosTokenProvider } from './pos-token.provider';

/** The in-store channel is off until PoS credentials are configured. */
export class PosNotConfiguredError extends Error {
  constructor() {
    super(
      'the in-store channel (PoS v10) is not configured: set POS_CLIENT_ID and POS_CLIENT_SECRET',
    );
    this.name = 'PosNotConfiguredError';
  }
}

export function createPosClient(config: PosConfig): PosClient | undefined {
  if (!config.credentials) return undefined;
  const tokens = new PosTokenProvider({
    authUrl: config.authUrl,
    clientId: config.credentials.clientId,
    clientSecret: config.credentials.clientSecret,
    ibmClientId: config.credentials.ibmClientId,
    timeoutMs: config.writeTimeoutMs,
    refreshMarginMs: config.tokenRefreshMarginMs,
  });
  return new PosClient(
    {
      apiUrl: config.apiUrl,
      ibmClientId: config.credentials.ibmClientId,
      clientSystemVersion: config.clientSystemVersion,
      merchantLockedTokens: config.merchantLockedTokens,
      writeTimeoutMs: config.writeTimeoutMs,
      readTimeoutMs: config.readTimeoutMs,
      retries: config.retries,
      retryDelayMs: config.retryDelayMs,
      maxRetryAfterMs: config.maxRetryAfterMs,
    },
    tokens,
  );
}

/** Injection token of `PosClient | undefined` (undefined: channel not configured). */
export const POS_CLIENT = Symbol('POS_CLIENT');

export const POS_CLIENT_PROVIDER: Provider = {
  provide: POS_CLIENT,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => createPosClient(config.pos),
};
