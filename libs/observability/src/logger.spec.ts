import { Writable } from 'node:stream';
import { createLogger, scrubLine } from './logger';

const PAN = '4111111111111111';
const MASKED = '411111******1111';
const PAN_19 = '4571000000000000006';
const MASKED_19 = '457100*********0006';

/** A destination that keeps every line pino writes. */
function memoryDestination(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

function setup() {
  const { stream, lines } = memoryDestination();
  const sut = createLogger({ level: 'trace', service: 'logger-spec' }, stream);
  const output = () => lines.join('\n');
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { sut, lines, output, records };
}

describe('createLogger', () => {
  it('writes one JSON line per call, with service and level label', () => {
    const { sut, records } = setup();
    sut.info({ attemptId: 'a-1' }, 'hello');
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'logger-spec',
        attemptId: 'a-1',
        msg: 'hello',
      }),
    ]);
  });

  it('masks a PAN inside the message', () => {
    const { sut, output, lines } = setup();
    sut.warn(`card ${PAN} was declined`);
    sut.info('card %s and %s', PAN, PAN_19);
    expect(lines).toHaveLength(2);
    expect(output()).not.toContain(PAN);
    expect(output()).not.toContain(PAN_19);
    expect(output()).toContain(`card ${MASKED} was declined`);
    expect(output()).toContain(`card ${MASKED} and ${MASKED_19}`);
  });

  it('masks a PAN written with spaces or dashes', () => {
    const { sut, output } = setup();
    sut.info('typed as 4111 1111 1111 1111 or 4111-1111-1111-1111');
    expect(output()).not.toMatch(/4111[ -]1111[ -]1111[ -]1111/);
    expect(output()).toContain(`typed as ${MASKED} or ${MASKED}`);
  });

  it('masks a PAN nested under innocent keys and inside arrays', () => {
    const { sut, output } = setup();
    sut.info(
      {
        order: { note: `customer said ${PAN}`, lines: [{ text: PAN_19 }] },
        job: { data: { meta: { comment: `retry for ${PAN}` } } },
      },
      'nested',
    );
    expect(output()).not.toContain(PAN);
    expect(output()).not.toContain(PAN_19);
    expect(output()).toContain(`customer said ${MASKED}`);
    expect(output()).toContain(MASKED_19);
    expect(output()).toContain(`retry for ${MASKED}`);
  });

  it.each([
    ['cardNumber', PAN],
    ['pan', PAN],
    ['EncryptedCardData', 'cGFuOjQxMTExMTExMTExMTExMTE='],
    ['encryptedCardData', 'cGFuOjQxMTExMTExMTExMTExMTE='],
    ['cryptogram', 'AgAAAAAAAIR8CQrXcIhbQAAAAAA='],
    ['authorization', 'Bearer psk_0123456789abcdef_s3cr3t'],
    ['x-ibm-client-secret', 'client-secret-value'],
  ])('redacts the value of %s at the top level, one and two levels down', (key, value) => {
    const { sut, output, records } = setup();
    sut.info({ [key]: value }, 'top');
    sut.info({ callback: { [key]: value } }, 'one down');
    sut.info({ req: { headers: { [key]: value } } }, 'two down');
    expect(output()).not.toContain(value);
    expect(output()).not.toContain(MASKED);
    const [top, one, two] = records();
    expect(top[key]).toBe('[redacted]');
    expect((one.callback as Record<string, unknown>)[key]).toBe('[redacted]');
    expect(((two.req as Record<string, unknown>).headers as Record<string, unknown>)[key]).toBe(
      '[redacted]',
    );
  });

  it('masks a PAN in an Error message and stack, logged directly or under err', () => {
    const { sut, output, records } = setup();
    const error = new Error(`acquirer rejected card ${PAN}`);
    expect(error.stack).toContain(PAN);
    sut.error(error);
    sut.error({ err: error, attemptId: 'a-2' }, 'authorization failed');
    expect(output()).not.toContain(PAN);
    const [direct, wrapped] = records();
    expect(direct.msg).toBe(`acquirer rejected card ${MASKED}`);
    expect((direct.err as { stack: string }).stack).toContain(MASKED);
    expect((wrapped.err as { message: string }).message).toBe(`acquirer rejected card ${MASKED}`);
    expect((wrapped.err as { stack: string }).stack).toContain(MASKED);
    expect(wrapped.attemptId).toBe('a-2');
  });

  it('leaves digit runs that are not card numbers alone', () => {
    const { sut, records } = setup();
    sut.info({ orderId: '1234567890123', ticks: '638396640000000000' }, 'order 123456789012345678');
    const [record] = records();
    expect(record.orderId).toBe('1234567890123');
    expect(record.ticks).toBe('638396640000000000');
    expect(record.msg).toBe('order 123456789012345678');
  });

  it('never writes raw bytes', () => {
    const { sut, output, records } = setup();
    sut.info({ blob: Buffer.from(`pan ${PAN}`) }, 'bytes');
    expect(output()).not.toContain(PAN);
    expect(records()[0].blob).toBe('[bytes]');
  });

  it('does not change the caller’s objects while scrubbing', () => {
    const { sut } = setup();
    const context = { note: `pan ${PAN}`, cardNumber: PAN };
    sut.info(context, 'x');
    expect(context).toEqual({ note: `pan ${PAN}`, cardNumber: PAN });
  });
});

describe('createLogger — known leaks', () => {
  it('masks a PAN nested more than six levels deep', () => {
    const { sut, output } = setup();
    sut.info({ a: { b: { c: { d: { e: { f: { g: { h: `pan ${PAN}` } } } } } } } }, 'deep');
    expect(output()).not.toContain(PAN);
  });

  it('redacts a sensitive key three levels down', () => {
    const { sut, output } = setup();
    sut.info({ job: { data: { card: { cryptogram: 'AgAAAAAAAIR8CQrXcIhbQAAAAAA=' } } } }, 'x');
    expect(output()).not.toContain('AgAAAAAAAIR8CQrXcIhbQAAAAAA=');
  });

  it('masks a PAN in child logger bindings', () => {
    const { sut, output } = setup();
    sut.child({ note: `pan ${PAN}` }).info('child');
    expect(output()).not.toContain(PAN);
  });

  it('leaves trace and span ids whole, however many digits they hold, and still masks card numbers', () => {
    const traceId = `${PAN}abcdef0123456789`;
    const spanId = PAN;
    const line = JSON.stringify({ trace_id: traceId, span_id: spanId, msg: `card ${PAN}` });
    const scrubbed = JSON.parse(scrubLine(line)) as Record<string, string>;
    expect(scrubbed).toEqual({ trace_id: traceId, span_id: spanId, msg: `card ${MASKED}` });
    // Under any other name such a value is a card number like any other.
    expect(scrubLine(JSON.stringify({ traceId: spanId }))).not.toContain(PAN);
  });
});
