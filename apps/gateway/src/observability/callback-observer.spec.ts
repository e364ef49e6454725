import { callbackTypeOf, outcomeOf } from './callback-observer';

describe('callbackTypeOf', () => {
  it.each([
    ['/callbacks/mobilepay/card-data', 'card-data'],
    ['/callbacks/mobilepay/token?x=1', 'token'],
    ['/callbacks/mobilepay/checkout/', 'checkout'],
    ['/callbacks/mobilepay/failed', 'failed'],
    ['/callbacks/mobilepay/something-new', 'other'],
  ])('%s is %s', (url, type) => {
    expect(callbackTypeOf(url)).toBe(type);
  });

  it.each(['/v1/payments', '/health/ready', '/callbacks/other/card-data'])('ignores %s', (url) => {
    expect(callbackTypeOf(url)).toBeUndefined();
  });
});

describe('outcomeOf', () => {
  it.each([
    [200, '{"status":"accepted","attemptId":"a"}', 'accepted'],
    [200, '{"status":"duplicate"}', 'duplicate'],
    [200, '{"status":"made-up"}', 'ok'],
    [200, 'not json', 'ok'],
    [501, '{}', 'failover'],
    [503, '{}', 'unavailable'],
    [500, '{}', 'error'],
    [422, '{}', 'refused'],
    [403, '{}', 'refused'],
  ])('%i %s → %s', (status, payload, outcome) => {
    expect(outcomeOf(status, payload)).toBe(outcome);
  });
});
