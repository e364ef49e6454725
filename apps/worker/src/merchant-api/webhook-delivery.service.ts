import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SecretBox, WebhookSecretBox } from '@app/crypto';
import { NonPublicAddressError } from '@app/domain';
import { eventSubject, WebhookRepository, type DeliveryToSend } from '@app/persistence';
import { WebhookJobProducer } from '@app/queue';
import { nextAttemptAt } from './webhook-schedule';
import { postJson } from './webhook-http';
import { webhookSignatureHeaders } from './webhook-signature';

/** Time on top of the HTTP timeout before the janitor treats a claimed attempt as lost. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Sends one attempt of a webhook delivery: claimed in Postgres first (so a duplicate job does
 * nothing), POSTed signed, logged, and either settled or rescheduled with exponential backoff.
 * At least once: merchants deduplicate by the event id.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
    private readonly jobs: WebhookJobProducer,
    private readonly secrets: WebhookSecretBox,
  ) {}

  async deliver(deliveryId: string, attempt: number): Promise<void> {
    const delivery = await this.webhooks.findToSend(deliveryId);
    if (!delivery || delivery.status !== 'PENDING') return;
    if (delivery.endpoint.deletedAt) {
      await this.webhooks.giveUp(delivery.id, 'endpoint deleted');
      return;
    }
    const { timeoutMs } = this.config.webhooks;
    const lease = new Date(Date.now() + timeoutMs + LEASE_MARGIN_MS);
    if (!(await this.webhooks.claimAttempt(delivery.id, attempt, lease))) return;

    const secrets = await this.signingSecrets(delivery.endpoint);
    const result =
      secrets === null
        ? {
            statusCode: null,
            latencyMs: 0,
            error:
              'signing secret cannot be opened (is the seal key it was sealed with configured?)',
            succeeded: false,
          }
        : await this.post(delivery, attempt, secrets);
    const now = new Date();
    const next = result.succeeded
      ? null
      : nextAttemptAt(delivery.createdAt, attempt, now, this.config.webhooks);
    await this.webhooks.recordAttempt(delivery.id, {
      attemptNumber: attempt,
      ...result,
      nextAttemptAt: next,
    });
    if (result.succeeded) return;
    if (!next) {
      this.logger.warn(
        { deliveryId, eventId: delivery.eventId, attempts: attempt },
        'webhook delivery gave up after its retry window',
      );
      return;
    }
    // If this enqueue is lost, the janitor finds the delivery overdue and queues it.
    await this.jobs.tryDeliverWebhook(delivery.id, attempt + 1, next.getTime() - now.getTime());
  }

  private async post(
    delivery: DeliveryToSend,
    attempt: number,
    secrets: string[],
  ): Promise<{
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
    succeeded: boolean;
  }> {
    const { event, endpoint } = delivery;
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      createdAt: event.createdAt.toISOString(),
      ...eventSubject(event),
      data: event.data,
    });
    const started = performance.now();
    try {
      // The address is checked on every delivery, at connect time: what a name resolves to can
      // change after the endpoint was created.
      const status = await postJson(
        new URL(endpoint.url),
        {
          'content-type': 'application/json',
          'user-agent': 'MobilePay-PSP-Webhooks/1.0',
          ...webhookSignatureHeaders(secrets, event.id, body, Math.floor(Date.now() / 1000)),
          'mobilepay-psp-event-id': event.id,
          'mobilepay-psp-event-type': event.type,
          'mobilepay-psp-delivery-id': delivery.id,
          'mobilepay-psp-delivery-attempt': String(attempt),
        },
        body,
        {
          timeoutMs: this.config.webhooks.timeoutMs,
          publicOnly: this.config.webhooks.publicAddressesOnly,
        },
      );
      const succeeded = status >= 200 && status < 300;
      return {
        statusCode: status,
        latencyMs: Math.round(performance.now() - started),
        error: succeeded ? null : `endpoint answered ${status}`,
        succeeded,
      };
    } catch (error) {
      const { name } = error as { name?: string };
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const code = (error as NodeJS.ErrnoException).code;
      return {
        statusCode: null,
        latencyMs: Math.round(performance.now() - started),
        error: timedOut
          ? 'timed out'
          : error instanceof NonPublicAddressError
            ? 'refused: the host does not resolve to public addresses only'
            : `request failed${code ? ` (${code})` : ''}`,
        succeeded: false,
      };
    }
  }

  /**
   * The current secret, then the one a rotation replaced while its overlap lasts (deliveries carry
   * both signatures meanwhile). Sealed at rest. A current secret sealed under a previous seal key,
   * or stored in clear before sealing existed, is sealed again with the current key on its way.
   * Null when the current secret cannot be opened; a previous one that cannot is left out.
   */
  private async signingSecrets(endpoint: DeliveryToSend['endpoint']): Promise<string[] | null> {
    let secret: string;
    try {
      secret = this.open(endpoint.secret, endpoint.id);
    } catch (error) {
      // Logged and recorded as a failed attempt, so the retry window still applies.
      this.logger.error(
        { endpointId: endpoint.id, err: error },
        'webhook signing secret unreadable',
      );
      return null;
    }
    if (this.secrets.isStale(endpoint.secret)) {
      // Best effort: the delivery does not depend on it; the next one tries again.
      await this.webhooks
        .resealSecret(endpoint.id, endpoint.secret, this.secrets.seal(secret, endpoint.id))
        .catch((error: unknown) =>
          this.logger.warn({ endpointId: endpoint.id, err: error }, 'could not re-seal a secret'),
        );
    }
    const secrets = [secret];
    const { previousSecret, previousSecretExpiresAt } = endpoint;
    if (
      previousSecret &&
      previousSecretExpiresAt &&
      previousSecretExpiresAt.getTime() > Date.now()
    ) {
      try {
        secrets.push(this.open(previousSecret, endpoint.id));
      } catch (error) {
        this.logger.warn(
          { endpointId: endpoint.id, err: error },
          'previous webhook signing secret unreadable; signing with the current one only',
        );
      }
    }
    return secrets;
  }

  private open(stored: string, endpointId: string): string {
    return SecretBox.isSealed(stored) ? this.secrets.open(stored, endpointId) : stored;
  }
}
