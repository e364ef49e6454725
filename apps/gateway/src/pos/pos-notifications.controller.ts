import { Body, Controller, HttpCode, Logger, Post, UseGuards } from '@nestjs/common';
import { PosPointOfSaleRepository } from '@app/persistence';
import { posCheckInNotificationSchema } from '@app/pos';
import { CallbackSenderGuard } from '../callbacks/callback-sender.guard';
import { parseBody } from '../common/parse-body';

export type NotificationAck = { status: 'notified' | 'duplicate' | 'ignored' };

/**
 * MobilePay's notification service (PoS v10): called when a user checks in at a point of sale
 * created with a `callbackAlias` that names this endpoint. The merchant hears of it as a webhook
 * (`pos_point_of_sale.check_in_notified`) and looks the check-in up
 * (`GET /v1/pos/points-of-sale/{id}/checkin`). Answered 200 at once: MobilePay retries anything
 * else three times, so a point of sale we do not know is acknowledged and logged, not refused.
 */
@Controller('callbacks/mobilepay/pos')
@UseGuards(CallbackSenderGuard)
export class PosNotificationsController {
  private readonly logger = new Logger(PosNotificationsController.name);

  constructor(private readonly pointsOfSale: PosPointOfSaleRepository) {}

  @Post('notifications')
  @HttpCode(200)
  async notify(@Body() body: unknown): Promise<NotificationAck> {
    const notification = parseBody(posCheckInNotificationSchema, body);
    const pos = await this.pointsOfSale.findByMobilePayId(notification.PosId.toLowerCase());
    if (!pos || pos.status !== 'ACTIVE') {
      this.logger.warn(
        { posId: notification.PosId },
        'check-in notification for an unknown point of sale',
      );
      return { status: 'ignored' };
    }
    const recorded = await this.pointsOfSale.recordCheckInNotification(pos, new Date());
    return { status: recorded ? 'notified' : 'duplicate' };
  }
}
