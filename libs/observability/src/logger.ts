import { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACT_PATHS, SENSITIVE_KEYS, scrubCardNumbers } from './redaction';

export interface LoggerSettings {
  level: string;
  service: string;
}

const SENSITIVE = new Set(SENSITIVE_KEYS.map((key) => key.toLowerCase()));
const MAX_DEPTH = 32;

/**
 * Structured JSON logger with three layers against card data: pino removes sensitive fields by
 * path, every argument is walked and sensitive keys are censored at any depth, and each finished
 * line is scrubbed of card numbers before it is written (this also covers child-logger bindings).
 * Every line logged inside a span carries its `trace_id` and `span_id`, so a log line leads to
 * its trace and back.
 */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg: unknown) => scrubDeep(arg, 0, new WeakSet())) as Parameters<
          typeof method
        >;
        method.apply(this, scrubbed);
      },
    },
    serializers: { err: (err: Error) => scrubDeep(pino.stdSerializers.err(err), 0, new WeakSet()) },
  };
  return pino(options, scrubbingStream(destination ?? pino.destination({ dest: 1, sync: true })));
}

/** The active span's ids, named as OpenTelemetry's log data model names them. */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId };
}

function scrubbingStream(target: DestinationStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(scrubLine(chunk.toString()));
      callback();
    },
  });
}

/**
 * The line-level card-number scrub, except inside our own `trace_id`/`span_id` fields: a random
 * hex id can hold a Luhn-valid run of digits, and a masked id no longer leads to its trace. Those
 * fields come from the span context (the mixin), after every argument was scrubbed already.
 */
const TRACE_ID_FIELD = /"(?:trace_id":"[0-9a-f]{32}|span_id":"[0-9a-f]{16})"/g;

export function scrubLine(line: string): string {
  let out = '';
  let from = 0;
  for (const match of line.matchAll(TRACE_ID_FIELD)) {
    out += scrubCardNumbers(line.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + scrubCardNumbers(line.slice(from));
}

function scrubDeep(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubCardNumbers(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[truncated]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const copy = new Error(scrubCardNumbers(value.message));
    copy.name = value.name;
    copy.stack = value.stack ? scrubCardNumbers(value.stack) : undefined;
    return copy;
  }
  if (Buffer.isBuffer(value)) return '[bytes]';
  // The access log's request and response: their serializers keep a few fields (method, URL,
  // status), and a copy would lose what they read (a response's status is a getter's answer).
  if (value instanceof IncomingMessage || value instanceof ServerResponse) return value;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SENSITIVE.has(key.toLowerCase()) ? '[redacted]' : scrubDeep(inner, depth + 1, seen);
  }
  return out;
}
