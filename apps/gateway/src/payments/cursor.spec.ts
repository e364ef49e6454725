import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from './cursor';

describe('payment list cursor', () => {
  it('round-trips a position, keeping millisecond precision', () => {
    const position = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: randomUUID() };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    'not-base64!',
    Buffer.from('[]').toString('base64url'),
    Buffer.from('["yesterday","x"]').toString('base64url'),
    Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'not-a-uuid'])).toString('base64url'),
  ])('refuses a cursor that was not ours: %s', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow('cursor is invalid');
  });
});
