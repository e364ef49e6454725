import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PspMetrics } from '@app/observability';
import { PrismaService } from '@app/persistence';
import { JobProducer } from '@app/queue';

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The worker serves no API, only liveness, readiness and metrics (Prometheus) for Kubernetes. */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HealthServer.name);
  private server: Server | undefined;
  private draining = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly jobs: JobProducer,
    private readonly metrics: PspMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.answer(req.url ?? '').then(({ status, body }) => {
        if (typeof body === 'string') {
          res.writeHead(status, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(body);
          return;
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(this.config.worker.healthPort, resolve),
    );
    this.logger.log(`worker health on :${this.config.worker.healthPort}`);
  }

  /** SIGTERM: readiness turns false while the active jobs finish. */
  startDraining(): void {
    this.draining = true;
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
    this.server?.close();
  }

  private async answer(url: string): Promise<{ status: number; body: object | string }> {
    if (url === '/health/live') return { status: 200, body: { status: 'ok' } };
    if (url === '/metrics') return this.scrape();
    if (url !== '/health/ready') return { status: 404, body: { code: 'not_found' } };
    const [postgres, redis] = await Promise.all([this.prisma.isHealthy(), this.jobs.isHealthy()]);
    const ready = postgres && redis && !this.draining;
    return {
      status: ready ? 200 : 503,
      body: { status: ready ? 'ready' : 'not-ready', postgres, redis, draining: this.draining },
    };
  }

  private async scrape(): Promise<{ status: number; body: object | string }> {
    const text = await this.metrics.prometheusText().catch(() => undefined);
    return text === undefined
      ? { status: 404, body: { code: 'not_found' } }
      : { status: 200, body: text };
  }
}
