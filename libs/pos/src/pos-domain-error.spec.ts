import { type DomainError, ErrorCode } from '@app/domain';
import { PosAmountError } from './pos-amount';
import { posDomainError } from './pos-domain-error';
import { PosApiError } from './pos-error';

const mapped = (error: unknown) => posDomainError(error) as DomainError;

describe('posDomainError', () => {
  it('gives the documented PoS codes stable codes of our API, keeping MobilePay’s code', () => {
    expect(mapped(new PosApiError('x', 409, '1301', false))).toMatchObject({
      code: ErrorCode.PosPaymentActive,
      details: { mobilePayCode: '1301' },
    });
    expect(mapped(new PosApiError('x', 409, '1308', false)).code).toBe(
      ErrorCode.PartialCaptureNotPossible,
    );
    expect(mapped(new PosApiError('x', 409, '1306', false)).code).toBe(
      ErrorCode.IdempotencyConflict,
    );
    expect(mapped(new PosApiError('x', 409, '1367', false)).code).toBe(
      ErrorCode.AmountExceedsAvailable,
    );
    expect(mapped(new PosApiError('x', 409, '1304', false)).code).toBe(
      ErrorCode.InvalidPaymentState,
    );
    expect(mapped(new PosApiError('x', 409, '1200', false)).code).toBe(ErrorCode.PosConflict);
    expect(mapped(new PosApiError('x', 404, undefined, false)).code).toBe(ErrorCode.NotFound);
    expect(mapped(new PosApiError('x', 400, '1159', false)).code).toBe(ErrorCode.MobilePayRejected);
  });

  it('turns "try again" failures into 502s that say so, with Retry-After when throttled', () => {
    expect(mapped(new PosApiError('timed out', undefined, undefined, true))).toMatchObject({
      code: ErrorCode.MobilePayUnavailable,
      message: expect.stringContaining('same Idempotency-Key'),
    });
    expect(mapped(new PosApiError('x', 429, undefined, true, 2_000)).details).toMatchObject({
      retryAfterMs: 2_000,
    });
  });

  it('maps amount conversion errors to validation failures and leaves other errors alone', () => {
    expect(mapped(new PosAmountError('too precise')).code).toBe(ErrorCode.ValidationFailed);
    const other = new Error('boom');
    expect(posDomainError(other)).toBe(other);
  });
});
