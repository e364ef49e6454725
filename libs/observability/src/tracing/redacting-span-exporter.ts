import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SENSITIVE_KEYS, scrubCardNumbers } from '../redaction';

/** Attributes that carry a full URL or target: the query string (signatures, tokens) is cut. */
const URL_ATTRIBUTES = new Set(['http.url', 'url.full', 'http.target', 'url.original']);
/** Never exported: query strings and any recorded header. */
const DROPPED = [/^url\.query$/, /^http\.(request|response)\.header\./];
const SENSITIVE = SENSITIVE_KEYS.map((key) => key.toLowerCase());

/**
 * The last line of defence between spans and the collector, whatever an instrumentation chose to
 * record: query strings and headers are removed, attributes named like a secret are censored,
 * and every string (attributes and events, e.g. exception messages) is scrubbed of card numbers.
 */
export class RedactingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans.map(redactSpan), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** A view of the span with clean attributes and events; everything else is read through. */
export function redactSpan(span: ReadableSpan): ReadableSpan {
  const events = span.events.map((event) => ({
    ...event,
    attributes: event.attributes ? redactAttributes(event.attributes) : undefined,
  }));
  return Object.create(span, {
    attributes: { value: redactAttributes(span.attributes), enumerable: true },
    events: { value: events, enumerable: true },
  }) as ReadableSpan;
}

export function redactAttributes(attributes: Attributes): Attributes {
  const clean: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || DROPPED.some((pattern) => pattern.test(key))) continue;
    const lower = key.toLowerCase();
    if (SENSITIVE.some((word) => lower === word || lower.endsWith(`.${word}`))) {
      clean[key] = '[redacted]';
      continue;
    }
    clean[key] = URL_ATTRIBUTES.has(key) ? scrubValue(value, withoutQuery) : scrubValue(value);
  }
  return clean;
}

function scrubValue(value: AttributeValue, transform = (text: string) => text): AttributeValue {
  if (typeof value === 'string') return scrubCardNumbers(transform(value));
  if (Array.isArray(value)) {
    return value.map((item: unknown) =>
      typeof item === 'string' ? scrubCardNumbers(transform(item)) : item,
    ) as AttributeValue;
  }
  return value;
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
