import { Iso8583 } from '@app/acquirers';
import type { Iso8583Record } from './iso8583-simulator.store';

/** Response codes this host answers with (besides the decline codes of an authorization). */
export const HostCode = {
  Approved: '00',
  InvalidTransaction: '12',
  InvalidAmount: '13',
  NotFound: '25',
  FormatError: '30',
  Duplicate: '94',
} as const;

/** 0600: the stored answer with the original amount, so the PSP can see what was authorized. */
export function inquire(record: Iso8583Record | undefined): Record<number, string> {
  if (!record) return { 39: HostCode.NotFound };
  record.inquiries += 1;
  return {
    ...record.answer,
    4: String(record.amount),
    49: Iso8583.currencyToNumeric(record.currency),
  };
}

/** Whole reversal, or (with an operation id) a partial one releasing part of the rest. */
export function reverse(
  record: Iso8583Record | undefined,
  request: Iso8583.IsoMessage,
): Record<number, string> {
  const f = request.fields;
  if (!record) return { 39: HostCode.NotFound };
  record.reversals += 1;
  const id = tlv(f[48])?.get(Iso8583.PrivateTag.Operation);
  if (id) return operate(record, 'releases', id, f[4]);
  if (f[4] !== undefined && Number(f[4]) !== record.amount) return { 39: HostCode.InvalidAmount };
  if (record.captures.length > 0) return { 39: HostCode.InvalidTransaction };
  record.reversed = true;
  return { 39: HostCode.Approved };
}

/** 0220: a capture (processing code 00) or a refund (20), idempotent on the operation id. */
export function advise(
  record: Iso8583Record | undefined,
  request: Iso8583.IsoMessage,
): Record<number, string> {
  const f = request.fields;
  if (!record) return { 39: HostCode.NotFound };
  const id = tlv(f[48])?.get(Iso8583.PrivateTag.Operation);
  if (!id) return { 39: HostCode.FormatError };
  return operate(record, f[3] === '200000' ? 'refunds' : 'captures', id, f[4]);
}

/** Captures ≤ authorized − released; refunds ≤ captured; the same id never acts twice. */
function operate(
  record: Iso8583Record,
  kind: 'captures' | 'refunds' | 'releases',
  id: string,
  rawAmount: string | undefined,
): Record<number, string> {
  if (rawAmount === undefined) return { 39: HostCode.FormatError };
  const amount = Number(rawAmount);
  const done = record[kind];
  const previous = done.find((operation) => operation.id === id);
  if (previous) return { 39: previous.amount === amount ? HostCode.Approved : HostCode.Duplicate };
  if (record.responseCode !== HostCode.Approved || record.reversed) {
    return { 39: HostCode.InvalidTransaction };
  }
  const limit =
    kind === 'refunds'
      ? sum(record.captures) - sum(record.refunds)
      : record.amount - sum(record.captures) - sum(record.releases);
  if (amount > limit) return { 39: HostCode.InvalidAmount };
  done.push({ id, amount });
  return { 39: HostCode.Approved };
}

export function tlv(text: string | undefined): Map<string, string> | undefined {
  try {
    return Iso8583.decodeTlv(text ?? '');
  } catch {
    return undefined;
  }
}

const sum = (operations: { amount: number }[]) => operations.reduce((s, o) => s + o.amount, 0);
