import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { WebhookSecretBox } from '@app/crypto';
import { assertPublicHost, DomainError, ErrorCode, NonPublicAddressError } from '@app/domain';
import { WebhookRepository } from '@app/persistence';
import { WebhookJobProducer } from '@app/queue';
import { requireHttpsUrl } from '../common/url-policy';
import {
  DEFAULT_ROTATION_OVERLAP_SECONDS,
  type CreatedWebhookEndpointView,
  type DeliveryView,
  type EventView,
  type WebhookEndpointView,
  toDeliveryView,
  toEndpointView,
  toEventView,
} from './webhook.dto';

const DEFAULT_PAGE = 50;

/**
 * `whsec_` and 32 random bytes in standard base64: what Standard Webhooks libraries take as is
 * (`new Webhook(secret)`). Secrets issued before were base64url; see webhook-signature.ts.
 */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Webhook endpoints, the events sent to them, the delivery log and redelivery on request. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
    private readonly jobs: WebhookJobProducer,
    private readonly secrets: WebhookSecretBox,
  ) {}

  async createEndpoint(
    merchantId: string,
    url: string,
    eventTypes: readonly string[] | null = null,
  ): Promise<CreatedWebhookEndpointView> {
    const parsed = requireHttpsUrl(url, this.config.env, ErrorCode.ValidationFailed, 'url');
    if (this.config.webhooks.publicAddressesOnly) await this.requirePublicHost(parsed.hostname);
    const secret = newSigningSecret();
    const id = randomUUID();
    // Shown this once; at rest only sealed, bound to the endpoint.
    const endpoint = await this.webhooks.createEndpoint({
      id,
      merchantId,
      url,
      secret: this.secrets.seal(secret, id),
      eventTypes: [...(eventTypes ?? [])],
    });
    return { ...toEndpointView(endpoint), secret };
  }

  /**
   * A new signing secret, shown this once. For `overlapSeconds` (default 24 h) deliveries carry a
   * signature under the old secret too, so the merchant can deploy the new one without rejecting
   * any; 0 drops the old secret at once (e.g. it leaked). Rotating again during an overlap ends
   * the earlier overlap: only the newest two secrets ever sign.
   */
  async rotateSecret(
    merchantId: string,
    id: string,
    overlapSeconds: number = DEFAULT_ROTATION_OVERLAP_SECONDS,
  ): Promise<CreatedWebhookEndpointView> {
    const secret = newSigningSecret();
    const overlapUntil = overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null;
    const endpoint = await this.webhooks.rotateSecret(
      merchantId,
      id,
      this.secrets.seal(secret, id),
      overlapUntil,
    );
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, 'webhook endpoint not found');
    return { ...toEndpointView(endpoint), secret };
  }

  /** Sets which event types the endpoint is sent (null: every type), from the next event on. */
  async updateEventTypes(
    merchantId: string,
    id: string,
    eventTypes: readonly string[] | null,
  ): Promise<WebhookEndpointView> {
    const endpoint = await this.webhooks.updateEventTypes(merchantId, id, [...(eventTypes ?? [])]);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, 'webhook endpoint not found');
    return toEndpointView(endpoint);
  }

  async listEndpoints(merchantId: string): Promise<{ data: WebhookEndpointView[] }> {
    return { data: (await this.webhooks.listEndpoints(merchantId)).map((e) => toEndpointView(e)) };
  }

  async getEndpoint(merchantId: string, id: string): Promise<WebhookEndpointView> {
    const endpoint = await this.webhooks.findEndpoint(merchantId, id);
    if (!endpoint) throw new DomainError(ErrorCode.NotFound, 'webhook endpoint not found');
    return toEndpointView(endpoint);
  }

  async deleteEndpoint(merchantId: string, id: string): Promise<void> {
    if (!(await this.webhooks.deleteEndpoint(merchantId, id))) {
      throw new DomainError(ErrorCode.NotFound, 'webhook endpoint not found');
    }
  }

  async listEvents(
    merchantId: string,
    query: { paymentId?: string; limit?: string },
  ): Promise<{ data: EventView[] }> {
    const limit = query.limit ? Number(query.limit) : DEFAULT_PAGE;
    const events = await this.webhooks.listEvents(merchantId, query.paymentId, limit);
    return { data: events.map(toEventView) };
  }

  async getEvent(merchantId: string, id: string): Promise<EventView> {
    const event = await this.webhooks.findEvent(merchantId, id);
    if (!event) throw new DomainError(ErrorCode.NotFound, 'event not found');
    return toEventView(event);
  }

  async listDeliveries(
    merchantId: string,
    query: { eventId?: string; limit?: string },
  ): Promise<{ data: DeliveryView[] }> {
    const limit = query.limit ? Number(query.limit) : DEFAULT_PAGE;
    const deliveries = await this.webhooks.listDeliveries(merchantId, {
      eventId: query.eventId,
      limit,
    });
    return { data: deliveries.map(toDeliveryView) };
  }

  /** A new delivery of the event to every endpoint, now (whatever became of earlier ones). */
  async redeliver(merchantId: string, eventId: string): Promise<{ data: DeliveryView[] }> {
    const deliveries = await this.webhooks.redeliver(merchantId, eventId);
    if (!deliveries) throw new DomainError(ErrorCode.NotFound, 'event not found');
    // A job that cannot be queued now is found overdue and queued by the worker's janitor.
    for (const delivery of deliveries) await this.jobs.tryDeliverWebhook(delivery.id, 1);
    return { data: deliveries.map(toDeliveryView) };
  }

  /** No webhooks into our own networks (SSRF): the host must resolve to public addresses only. */
  private async requirePublicHost(hostname: string): Promise<void> {
    try {
      await assertPublicHost(hostname);
    } catch (error) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        error instanceof NonPublicAddressError
          ? 'url must point to a public address'
          : 'url host does not resolve',
        { field: 'url' },
      );
    }
  }
}
