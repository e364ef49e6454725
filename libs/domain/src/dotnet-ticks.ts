/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch. */
const EPOCH_TICKS = 621_355_968_000_000_000n;

export function ticksToEpochMillis(ticks: bigint): number {
  return Number((ticks - EPOCH_TICKS) / 10_000n);
}

export function epochMillisToTicks(millis: number): bigint {
  return BigInt(millis) * 10_000n + EPOCH_TICKS;
}
