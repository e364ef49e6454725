/**
 * An RFC 7807 answer of the simulated ePayment API: `{type, title, status, detail, instance,
 * traceId, extraDetails}` with the numeric error code in `extraDetails`, as the real API sends it.
 */
export class EpaymentProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly code?: number,
    readonly retryAfterS?: number,
  ) {
    super(detail);
    this.name = 'EpaymentProblem';
  }

  body(instance: string, traceId: string): Record<string, unknown> {
    return {
      type: `https://developer.vippsmobilepay.com/docs/APIs/epayment-api/errors${this.code ? `#${this.code}` : ''}`,
      title: this.title,
      status: this.status,
      detail: this.detail,
      instance,
      traceId,
      ...(this.code ? { extraDetails: [{ name: 'errorCode', reason: String(this.code) }] } : {}),
    };
  }
}

export const badRequest = (detail: string, code?: number) =>
  new EpaymentProblem(400, 'Bad Request', detail, code);
export const conflict = (detail: string, code?: number) =>
  new EpaymentProblem(409, 'Conflict', detail, code);
export const notFound = (detail: string) => new EpaymentProblem(404, 'Not Found', detail);
export const unauthorized = (detail: string) => new EpaymentProblem(401, 'Unauthorized', detail);
