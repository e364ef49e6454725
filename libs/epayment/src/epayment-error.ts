import type { Problem } from './epayment-api.types';

/**
 * A failed ePayment API call. `code` is the numeric error code from the problem's `extraDetails`
 * (e.g. 6140, 4010), when the answer had one.
 */
export class EpaymentError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: number | undefined,
    /** True when the request may not have arrived, or the failure is worth retrying with the same key. */
    readonly transient: boolean,
    readonly problem?: Problem,
  ) {
    super(message);
    this.name = 'EpaymentError';
  }
}

/** The first numeric code a problem carries, from `extraDetails` or its `type` URL's last segment. */
export function problemCode(problem: Problem | undefined): number | undefined {
  for (const detail of problem?.extraDetails ?? []) {
    const n = Number(detail.reason) || Number(detail.name);
    if (Number.isInteger(n) && n >= 1000) return n;
    const match = /\b(\d{4,5})\b/.exec(`${detail.name} ${detail.reason}`);
    if (match) return Number(match[1]);
  }
  const fromType = /(\d{4,5})$/.exec(problem?.type ?? '');
  return fromType ? Number(fromType[1]) : undefined;
}
