import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PrismaService } from '@app/persistence';
import { JobProducer } from '@app/queue';
import { ShutdownState } from './shutdown-state';

interface Readiness {
  status: 'ready' | 'not-ready';
  postgres: boolean;
  redis: boolean;
  draining: boolean;
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly jobs: JobProducer,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process answers. Dependencies are readiness's business, not a restart reason. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: Postgres and Redis answer, and we are not draining. A plain 503 with the reasons
   * (not an exception: the error filter would turn a 5xx exception into a logged 500).
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const [postgres, redis] = await Promise.all([this.prisma.isHealthy(), this.jobs.isHealthy()]);
    const draining = this.shutdown.draining;
    const ready = postgres && redis && !draining;
    if (!ready) void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ready ? 'ready' : 'not-ready', postgres, redis, draining };
  }
}
