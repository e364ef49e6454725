/** A failed call to MobilePay. `code` is MobilePay's domain error code on a 409 (e.g. "2000"). */
export class MobilePayError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    /** True when the request may not have reached MobilePay or MobilePay failed transiently. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'MobilePayError';
  }
}
