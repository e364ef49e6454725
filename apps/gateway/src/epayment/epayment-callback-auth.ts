import { timingSafeEqual } from 'node:crypto';
import type { EpaymentConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { verifyRequest } from '@app/epayment';

export interface ReceivedCallback {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** Path and query as received; `host` as the sender addressed us. */
  url: string;
  host: string;
}

/**
 * Who may call the card callback. `hmac` (the documented scheme, assumption 3): the Webhooks
 * API signature over `x-ms-date`, `Host` and `x-ms-content-sha256`, keyed with the PSP client
 * secret, with a bound on the date (replays). `legacy-header`: the first generation's
 * `cardCallbackAuthHeader` value in `Authorization`. Checked against the raw body.
 */
export function checkCallbackSender(config: EpaymentConfig, callback: ReceivedCallback): void {
  const header = (name: string) => {
    const value = callback.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  switch (config.callback.auth) {
    case 'off':
      return;
    case 'legacy-header': {
      const expected = config.callback.legacyAuthHeader?.reveal() ?? '';
      const given = header('authorization') ?? '';
      const a = Buffer.from(given);
      const b = Buffer.from(expected);
      if (!expected || a.length !== b.length || !timingSafeEqual(a, b))
        refuse('authorization header');
      return;
    }
    case 'hmac': {
      const check = verifyRequest(
        config.callback.secret.reveal(),
        {
          method: 'POST',
          pathAndQuery: callback.url,
          host: callback.host,
          date: header('x-ms-date'),
          contentSha256: header('x-ms-content-sha256'),
          authorization: header('authorization'),
          body: callback.rawBody,
        },
        config.callback.maxSkewMs,
      );
      if (!check.ok) refuse(check.reason);
      return;
    }
  }
}

function refuse(reason: string): never {
  throw new DomainError(ErrorCode.SenderNotAllowed, 'card callback signature is not valid', {
    reason,
  });
}
