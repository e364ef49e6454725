import { attemptTimeline } from './attempt-timeline';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

describe('attemptTimeline', () => {
  it('orders the steps from the callback and measures the deadline from it', () => {
    const sut = attemptTimeline({
      acquirer: 'nets-iso8583',
      callbackReceivedAt: at(0),
      deadlineAt: at(32_000),
      history: [
        { fromStatus: null, toStatus: 'RECEIVED', detail: null, at: at(0) },
        {
          fromStatus: 'RECEIVED',
          toStatus: 'AUTHORIZING',
          detail: 'claimed by worker',
          at: at(40),
        },
        { fromStatus: 'AUTHORIZING', toStatus: 'AUTHORIZED', detail: null, at: at(180) },
        { fromStatus: 'AUTHORIZED', toStatus: 'SUCCEEDED', detail: null, at: at(260) },
      ],
      patches: [{ createdAt: at(181), sentAt: at(250), status: 'SENT', tries: 1 }],
    });
    expect(sut.deadlineOffsetMs).toBe(32_000);
    expect(sut.entries.map((e) => [e.step, e.offsetMs, e.label])).toEqual([
      ['callback_received', 0, 'callback received and acked'],
      ['authorize_sent', 40, 'authorize sent to nets-iso8583'],
      ['acquirer_answer', 180, 'acquirer approved'],
      ['patch_queued', 181, 'PATCH queued'],
      ['patch_acknowledged', 250, 'PATCH acknowledged by MobilePay'],
      ['final', 260, 'MobilePay accepted: succeeded'],
    ]);
  });

  it('shows the 3-D Secure steps and a PATCH that was given up on', () => {
    const sut = attemptTimeline({
      acquirer: null,
      callbackReceivedAt: at(0),
      deadlineAt: at(20_000),
      history: [
        { fromStatus: 'AUTHORIZING', toStatus: 'THREE_DS_PENDING', detail: null, at: at(100) },
        {
          fromStatus: 'THREE_DS_PENDING',
          toStatus: 'THREE_DS_AUTHENTICATED',
          detail: null,
          at: at(9_000),
        },
        {
          fromStatus: 'AUTHORIZING',
          toStatus: 'FAILED',
          detail: 'MobilePay refused the PATCH',
          at: at(25_000),
        },
      ],
      patches: [{ createdAt: at(24_000), sentAt: null, status: 'DEAD', tries: 3 }],
    });
    expect(sut.entries.map((e) => e.step)).toEqual([
      'callback_received',
      'three_ds',
      'three_ds',
      'patch_queued',
      'patch_refused',
      'final',
    ]);
    expect(sut.entries.find((e) => e.step === 'patch_refused')?.detail).toBe('3 tries');
    expect(sut.entries.at(-1)).toMatchObject({
      offsetMs: 25_000,
      detail: 'MobilePay refused the PATCH',
    });
  });
});
