import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { ApiKey, Merchant } from '../generated/prisma/client';

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(key: {
    id: string;
    merchantId: string;
    prefix: string;
    secretHash: string;
    label?: string;
  }) {
    return this.prisma.apiKey.create({ data: key });
  }

  /** An active key with its merchant, or null when unknown or revoked (a rotated key: after its grace). */
  findActiveByPrefix(prefix: string): Promise<(ApiKey & { merchant: Merchant }) | null> {
    return this.prisma.apiKey.findFirst({
      where: { prefix, OR: [{ revokedAt: null }, { revokedAt: { gt: new Date() } }] },
      include: { merchant: true },
    });
  }

  listForMerchant(merchantId: string): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({
      where: { merchantId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  findForMerchant(merchantId: string, id: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findFirst({ where: { id, merchantId } });
  }

  /**
   * Revokes a key at `at` (now, or later for a rotation's grace period) unless it is revoked by
   * then already. Returns the key, or null when it is not this merchant's.
   */
  async revoke(merchantId: string, id: string, at: Date): Promise<ApiKey | null> {
    await this.prisma.apiKey.updateMany({
      where: { id, merchantId, OR: [{ revokedAt: null }, { revokedAt: { gt: at } }] },
      data: { revokedAt: at },
    });
    return this.findForMerchant(merchantId, id);
  }

  /**
   * A new key, and the old one revoked at `revokeOldAt`, together. Only a key without an end may be
   * rotated: one already revoked or in a rotation's grace period gives null, so a rotation can only
   * set an end, never move one (a key in its grace could otherwise rotate itself to a fresh week).
   */
  async rotate(
    merchantId: string,
    oldId: string,
    replacement: { id: string; prefix: string; secretHash: string; label?: string },
    revokeOldAt: Date,
  ): Promise<{ created: ApiKey; revoked: ApiKey } | null> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.apiKey.updateMany({
        where: { id: oldId, merchantId, revokedAt: null },
        data: { revokedAt: revokeOldAt },
      });
      if (count === 0) return null;
      const created = await tx.apiKey.create({ data: { ...replacement, merchantId } });
      const revoked = await tx.apiKey.findUniqueOrThrow({ where: { id: oldId } });
      return { created, revoked };
    });
  }
}
