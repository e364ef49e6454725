import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Browser } from 'playwright-core';
import { http } from '../../scripts/stack/http';
import type { Stack } from '../../scripts/stack/stack';
import { launchChromium } from '../support/browser';
import { TEST_REDIS_URL } from '../support/database';
import { startTestStack } from '../support/e2e-stack';
import { eventually } from '../support/eventually';

jest.setTimeout(120_000);

interface FailedJobs {
  jobs: { id: string; name: string; queue: string; failedReason: string; data: object }[];
}

describe('queue dashboard and admin jobs API', () => {
  const prefix = `{psp-admin-${randomBytes(4).toString('hex')}}`;
  let stack: Stack;
  let reports: Queue;
  let browser: Browser;
  const admin = () => ({ authorization: `Bearer ${stack.adminKey}` });

  beforeAll(async () => {
    stack = await startTestStack({
      gateway: { QUEUE_PREFIX: prefix },
      worker: { QUEUE_PREFIX: prefix },
    });
    const redis = new URL(TEST_REDIS_URL);
    reports = new Queue('mobilepay-reports', {
      prefix,
      connection: { host: redis.hostname, port: Number(redis.port || 6379) },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await reports?.close();
    await stack?.close();
  });

  it('refuses the dashboard without admin credentials', async () => {
    const page = await browser.newPage();
    const answers: { status: number; challenge?: string }[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/admin/queues') {
        answers.push({
          status: response.status(),
          challenge: response.headers()['www-authenticate'],
        });
      }
    });
    // Chromium gives up on the Basic challenge it has no credentials for.
    await expect(page.goto(`${stack.urls.gateway}/admin/queues`)).rejects.toThrow(
      /ERR_INVALID_AUTH_CREDENTIALS/,
    );
    expect(answers[0]).toEqual({ status: 401, challenge: expect.stringMatching(/^Basic realm=/) });
    await page.close();

    const wrong = await http('GET', `${stack.urls.gateway}/admin/queues`, undefined, {
      authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}`,
    });
    expect(wrong.status).toBe(401);
  });

  it('lists the queues for the admin (HTTP Basic) and takes a screenshot', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'admin', password: stack.adminKey },
    });
    const page = await context.newPage();
    const response = await page.goto(`${stack.urls.gateway}/admin/queues`);
    expect(response?.status()).toBe(200);
    await page.getByText('authorization', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.getByText('mobilepay-reports', { exact: true }).first().waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('PSP queues');
    const file = join(mkdtempSync(join(tmpdir(), 'psp-dashboard-')), 'queues.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(5_000);
    await context.close();
  });

  it('lists failed jobs and retries one through the admin API', async () => {
    // A job no processor knows fails at once, as a dead job would.
    await reports.add(
      'not-a-real-job',
      { outboxId: 'outbox-for-admin-test' },
      { jobId: 'admin-test-1' },
    );
    const failed = await eventually(
      () =>
        http<FailedJobs>(
          'GET',
          `${stack.urls.gateway}/v1/admin/jobs/failed?queue=mobilepay-reports`,
          undefined,
          admin(),
        ),
      (r) => r.body.jobs?.some((j) => j.id === 'admin-test-1'),
      10_000,
    );
    expect(failed.status).toBe(200);
    expect(failed.body.jobs.find((j) => j.id === 'admin-test-1')).toMatchObject({
      name: 'not-a-real-job',
      queue: 'mobilepay-reports',
      failedReason: expect.stringContaining('does not run here'),
      data: { outboxId: 'outbox-for-admin-test' },
    });

    const retried = await http(
      'POST',
      `${stack.urls.gateway}/v1/admin/jobs/mobilepay-reports/admin-test-1/retry`,
      undefined,
      admin(),
    );
    expect(retried).toMatchObject({
      status: 200,
      body: { status: 'retried', jobId: 'admin-test-1' },
    });
    const job = await eventually(
      () => reports.getJob('admin-test-1'),
      (j) => (j?.attemptsMade ?? 0) >= 2,
      10_000,
    );
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['GET', '/v1/admin/jobs/failed', 401, 'unauthenticated', false],
    ['GET', '/v1/admin/jobs/failed?queue=nope', 400, 'validation_failed', true],
    ['GET', '/v1/admin/jobs/failed?queue=authorization&limit=0', 400, 'validation_failed', true],
    ['POST', '/v1/admin/jobs/authorization/no-such-job/retry', 404, 'not_found', true],
    ['POST', '/v1/admin/jobs/nope/x/retry', 400, 'validation_failed', true],
    ['POST', '/v1/admin/jobs/authorization/x/retry', 401, 'unauthenticated', false],
  ] as const)('%s %s → %i %s', async (method, path, status, code, withAdminKey) => {
    const response = await http<{ code: string }>(
      method,
      `${stack.urls.gateway}${path}`,
      undefined,
      withAdminKey ? admin() : {},
    );
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
  });

  it('answers 409 when retrying a job that is not failed', async () => {
    await reports.add(
      'deliver-report',
      { outboxId: 'no-such-outbox' },
      { jobId: 'admin-test-done', delay: 60_000 },
    );
    const response = await http<{ code: string }>(
      'POST',
      `${stack.urls.gateway}/v1/admin/jobs/mobilepay-reports/admin-test-done/retry`,
      undefined,
      admin(),
    );
    expect(response).toMatchObject({ status: 409, body: { code: 'job_not_failed' } });
  });
});
