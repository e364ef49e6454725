import { Controller, Get, Header } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { PspMetrics } from '@app/observability';

/** Prometheus scrape endpoint on the gateway's port (the chart's ServiceMonitor expects it). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PspMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    const text = await this.metrics.prometheusText();
    if (text === undefined) throw new DomainError(ErrorCode.NotFound, 'metrics are disabled');
    return text;
  }
}
