import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { QueueInspector } from '@app/queue';
import { adminCredentialsValid } from './admin-credentials';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, for the PSP's operators: every queue of the registry, behind the
 * admin key (Bearer, or HTTP Basic `admin:<key>` so a browser can log in). No admin key
 * configured, no dashboard. Job data holds ids only, so the board shows no card data.
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const adminKey = app.get<AppConfig>(APP_CONFIG).adminApiKey;
  if (!adminKey) return;
  const board = new BullBoardAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [...app.get(QueueInspector).queues().values()].map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'PSP queues' } },
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Not wrapped in fastify-plugin: the hook guards this scope (the board) only.
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (adminCredentialsValid(request.headers.authorization, adminKey.reveal())) return;
      await reply
        .code(401)
        .header('www-authenticate', 'Basic realm="psp-admin", charset="UTF-8"')
        .send({ code: 'unauthenticated', message: 'admin credentials are required' });
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
