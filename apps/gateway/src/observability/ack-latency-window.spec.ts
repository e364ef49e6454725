import { AckLatencyWindow } from './ack-latency-window';

const MINUTE = 60_000;
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE);

describe('AckLatencyWindow', () => {
  it('gives p50 and p99 of each minute by nearest rank', () => {
    const sut = new AckLatencyWindow();
    for (let ms = 1; ms <= 100; ms += 1) sut.record(ms, T0 + ms);
    sut.record(500, T0 + MINUTE + 1);
    expect(sut.quantiles(T0)).toEqual({ p50Ms: 50, p99Ms: 99 });
    expect(sut.quantiles(T0 + MINUTE)).toEqual({ p50Ms: 500, p99Ms: 500 });
    expect(sut.quantiles(T0 + 2 * MINUTE)).toBeNull();
  });

  it('forgets minutes older than an hour', () => {
    const sut = new AckLatencyWindow();
    sut.record(5, T0);
    sut.record(7, T0 + 59 * MINUTE);
    expect(sut.quantiles(T0)).not.toBeNull();
    sut.record(9, T0 + 60 * MINUTE);
    expect(sut.quantiles(T0)).toBeNull();
    expect(sut.quantiles(T0 + 59 * MINUTE)).toEqual({ p50Ms: 7, p99Ms: 7 });
  });

  it('keeps a bounded sample that still reflects a busy minute', () => {
    const sut = new AckLatencyWindow(() => 0.999_999);
    for (let i = 0; i < 10_000; i += 1) sut.record(i < 2048 ? 10 : 1_000, T0 + 1);
    // The reservoir never grows past its size; with this random source new values are not kept.
    expect(sut.quantiles(T0)).toEqual({ p50Ms: 10, p99Ms: 10 });
    // random 0.5: arrivals 2049–4095 replace slots 1024–2047; later ones fall outside the sample.
    const fair = new AckLatencyWindow(() => 0.5);
    for (let i = 0; i < 10_000; i += 1) fair.record(i < 2048 ? 10 : 1_000, T0 + 1);
    expect(fair.quantiles(T0)).toEqual({ p50Ms: 10, p99Ms: 1_000 });
  });
});
