import { loadTelemetryConfig } from '@app/config';
import { startTelemetry } from '@app/observability';

startTelemetry(loadTelemetryConfig(), 'psp-sandbox');
