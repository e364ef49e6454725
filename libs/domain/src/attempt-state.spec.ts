import { canTransition, isFinal, predecessorsOf, type AttemptStatus } from './attempt-state';

const ALL: AttemptStatus[] = [
  'RECEIVED',
  'AUTHORIZING',
  'THREE_DS_PENDING',
  'THREE_DS_AUTHENTICATED',
  'AUTHORIZED',
  'DECLINED',
  'SUCCEEDED',
  'FAILED',
];

/** The lifecycle as DESIGN describes it, written out independently of the implementation. */
const ALLOWED = new Set([
  'RECEIVED>AUTHORIZING',
  'RECEIVED>DECLINED',
  'AUTHORIZING>AUTHORIZED',
  'AUTHORIZING>DECLINED',
  'AUTHORIZING>THREE_DS_PENDING',
  'THREE_DS_PENDING>THREE_DS_AUTHENTICATED',
  'THREE_DS_PENDING>DECLINED',
  'THREE_DS_AUTHENTICATED>AUTHORIZING',
  'THREE_DS_AUTHENTICATED>DECLINED',
  'AUTHORIZED>SUCCEEDED',
  'AUTHORIZED>FAILED',
  'DECLINED>FAILED',
]);

const PAIRS = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));

describe('attempt state machine', () => {
  it.each(PAIRS.filter(([from, to]) => ALLOWED.has(`${from}>${to}`)))(
    'allows %s → %s',
    (from, to) => {
      expect(canTransition(from, to)).toBe(true);
    },
  );

  it.each(PAIRS.filter(([from, to]) => !ALLOWED.has(`${from}>${to}`)))(
    'forbids %s → %s',
    (from, to) => {
      expect(canTransition(from, to)).toBe(false);
    },
  );

  it('never lets an attempt skip the acquirer on its way to SUCCEEDED', () => {
    expect(canTransition('RECEIVED', 'SUCCEEDED')).toBe(false);
    expect(canTransition('AUTHORIZING', 'SUCCEEDED')).toBe(false);
    expect(canTransition('DECLINED', 'SUCCEEDED')).toBe(false);
    expect(canTransition('THREE_DS_PENDING', 'AUTHORIZED')).toBe(false);
    expect(canTransition('THREE_DS_AUTHENTICATED', 'AUTHORIZED')).toBe(false);
  });

  it('treats exactly SUCCEEDED and FAILED as final', () => {
    expect(ALL.filter(isFinal)).toEqual(['SUCCEEDED', 'FAILED']);
  });

  it.each([
    ['RECEIVED', []],
    ['AUTHORIZING', ['RECEIVED', 'THREE_DS_AUTHENTICATED']],
    ['THREE_DS_PENDING', ['AUTHORIZING']],
    ['THREE_DS_AUTHENTICATED', ['THREE_DS_PENDING']],
    ['AUTHORIZED', ['AUTHORIZING']],
    ['DECLINED', ['RECEIVED', 'AUTHORIZING', 'THREE_DS_PENDING', 'THREE_DS_AUTHENTICATED']],
    ['SUCCEEDED', ['AUTHORIZED']],
    ['FAILED', ['AUTHORIZED', 'DECLINED']],
  ] as const)('predecessorsOf(%s) is %p', (to, expected) => {
    expect([...predecessorsOf(to)].sort()).toEqual([...expected].sort());
  });
});
