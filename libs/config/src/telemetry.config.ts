import { z } from 'zod';
import { flag, parseEnv } from './env';

const schema = z.object({
  OTEL_ENABLED: flag(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  SERVICE_NAME: z.string().optional(),
});

export interface TelemetryConfig {
  enabled: boolean;
  otlpEndpoint?: string;
  serviceName?: string;
}

/** Read before anything else is loaded, so it only looks at the OTEL_* variables. */
export function loadTelemetryConfig(source: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const env = parseEnv(schema, source);
  return {
    enabled: env.OTEL_ENABLED,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: env.SERVICE_NAME,
  };
}
