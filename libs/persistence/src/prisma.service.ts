import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PrismaClient } from './generated/prisma/client';

/** Connections opened at start, so the first payments after a deploy do not pay for them. */
const WARM_CONNECTIONS = 4;

/** The one Prisma client of a process, on the pg driver adapter (no native query engine). */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PrismaService.name);

  /**
   * The connection pool Prisma runs on, shared with the few hot-path statements that repositories
   * write as plain SQL (one round trip where Prisma would need an interactive transaction).
   */
  readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const pool = new Pool({
      connectionString: config.database.url.reveal(),
      max: config.database.poolSize,
      connectionTimeoutMillis: 5_000,
      // Kept open through quiet spells: a callback after a pause should not wait for a handshake.
      idleTimeoutMillis: config.database.idleTimeoutMs,
    });
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    this.warmConnections = Math.min(WARM_CONNECTIONS, config.database.poolSize);
  }

  private readonly warmConnections: number;

  /** Opens a few connections before traffic arrives; a failure here only costs the warm-up. */
  async onApplicationBootstrap(): Promise<void> {
    const clients = await Promise.all(
      Array.from({ length: this.warmConnections }, () => this.pool.connect().catch(() => null)),
    );
    for (const client of clients) client?.release();
    if (clients.includes(null)) this.logger.warn('could not open every warm connection');
  }

  async isHealthy(): Promise<boolean> {
    try {
      await this.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
    await this.pool.end().catch(() => undefined);
  }
}
