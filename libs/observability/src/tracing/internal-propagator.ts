import {
  type Context,
  createContextKey,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';

const INTERNAL_HOP = createContextKey('psp.internal-trace-hop');

/**
 * Trace context crosses only our own hops. Per destination:
 * - job queue (gateway → worker, worker → worker): carried, so one trace runs from the callback
 *   to the final PATCH (`currentTraceCarrier` / `contextFromCarrier` mark the hop internal);
 * - merchants (webhooks, logo fetches): never — our trace ids are not theirs to hold;
 * - MobilePay: never — it correlates by the `CorrelationId` header we send, not by W3C context;
 * - acquirers, the 3-D Secure server, the PoS API: never — third parties with their own
 *   references; a `traceparent` would only tell them our ids and sampling;
 * - incoming requests (MobilePay callbacks, merchant API): their `traceparent` is not believed,
 *   so no caller can attach our spans to its trace or switch our sampling on or off.
 * Outgoing HTTP calls still get their client spans; only the headers stay home.
 */
export class InternalOnlyPropagator implements TextMapPropagator {
  private readonly w3c = new core.W3CTraceContextPropagator();

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (context.getValue(INTERNAL_HOP) === true) this.w3c.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    if (context.getValue(INTERNAL_HOP) !== true) return context;
    return this.w3c.extract(context, carrier, getter).deleteValue(INTERNAL_HOP);
  }

  fields(): string[] {
    return this.w3c.fields();
  }
}

/** Marks a context as one of our own hops, whose trace context may be carried. */
export function internalHop(context: Context): Context {
  return context.setValue(INTERNAL_HOP, true);
}

/** The same context without the mark: what the hop's own work (and its calls) runs in. */
export function endOfInternalHop(context: Context): Context {
  return context.deleteValue(INTERNAL_HOP);
}
