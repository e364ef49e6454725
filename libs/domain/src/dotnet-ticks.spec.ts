import { epochMillisToTicks, ticksToEpochMillis } from './dotnet-ticks';

describe('.NET ticks', () => {
  it('puts the Unix epoch at 621 355 968 000 000 000 ticks', () => {
    expect(epochMillisToTicks(0)).toBe(621355968000000000n);
    expect(ticksToEpochMillis(621355968000000000n)).toBe(0);
  });

  it('converts a known instant (2024-01-01T00:00:00Z = 638 396 640 000 000 000 ticks)', () => {
    const millis = Date.UTC(2024, 0, 1);
    expect(epochMillisToTicks(millis)).toBe(638396640000000000n);
    expect(ticksToEpochMillis(638396640000000000n)).toBe(millis);
  });

  it('counts 10 000 ticks per millisecond', () => {
    expect(epochMillisToTicks(1) - epochMillisToTicks(0)).toBe(10_000n);
  });

  it.each([0, 1, 1_700_000_000_123, Date.UTC(2099, 11, 31, 23, 59, 59, 999), -86_400_000])(
    'round-trips %p ms',
    (millis) => {
      expect(ticksToEpochMillis(epochMillisToTicks(millis))).toBe(millis);
    },
  );

  it('drops sub-millisecond ticks', () => {
    expect(ticksToEpochMillis(638396640000009999n)).toBe(Date.UTC(2024, 0, 1));
  });
});
