import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { OutboxMessage } from '../generated/prisma/client';

@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string): Promise<OutboxMessage | null> {
    return this.prisma.outboxMessage.findUnique({ where: { id } });
  }

  recordFailure(id: string, error: string): Promise<OutboxMessage> {
    return this.prisma.outboxMessage.update({
      where: { id },
      data: { tries: { increment: 1 }, lastError: error.slice(0, 500) },
    });
  }

  markSent(id: string): Promise<OutboxMessage> {
    return this.prisma.outboxMessage.update({
      where: { id },
      data: { status: 'SENT', sentAt: new Date(), tries: { increment: 1 } },
    });
  }

  /**
   * Reports about one payment must reach MobilePay in order (a refund before its capture is
   * refused): true while an older report of the same payment is still pending.
   */
  async hasOlderPending(message: OutboxMessage): Promise<boolean> {
    const older = await this.prisma.outboxMessage.count({
      where: {
        paymentId: message.paymentId,
        status: 'PENDING',
        OR: [
          { createdAt: { lt: message.createdAt } },
          { createdAt: message.createdAt, id: { lt: message.id } },
        ],
        kind: { in: ['REPORT_CAPTURE', 'REPORT_CANCEL', 'REPORT_REFUND'] },
      },
    });
    return older > 0;
  }

  markDead(id: string, error: string): Promise<OutboxMessage> {
    return this.prisma.outboxMessage.update({
      where: { id },
      data: { status: 'DEAD', tries: { increment: 1 }, lastError: error.slice(0, 500) },
    });
  }

  /** Pending reports older than `olderThan`: their queue job may have been lost. */
  findPending(olderThan: Date, limit: number) {
    return this.prisma.outboxMessage.findMany({
      where: { status: 'PENDING', createdAt: { lt: olderThan } },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }
}
