import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { Prisma, type Merchant } from '../generated/prisma/client';

export interface NewMerchant {
  id: string;
  externalId: string;
  name: string;
  displayName: string;
  merchantUrl: string;
  logoUrl: string;
  merchantCategoryCode: number;
  billingCurrency: string;
  countryCode: string;
  vatNumber: string;
  acquirerMerchantId: string;
  acquirerRoutes?: Record<string, string>;
}

@Injectable()
export class MerchantRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the merchant, or returns the existing one with the same external id. */
  async upsertByExternalId(merchant: NewMerchant): Promise<Merchant> {
    return this.prisma.merchant.upsert({
      where: { externalId: merchant.externalId },
      create: merchant,
      update: {},
    });
  }

  setMobilePayMerchantId(id: string, mobilePayMerchantId: string): Promise<Merchant> {
    return this.prisma.merchant.update({ where: { id }, data: { mobilePayMerchantId } });
  }

  setAcquirerRoutes(id: string, routes: Record<string, string> | null): Promise<Merchant> {
    return this.prisma.merchant.update({
      where: { id },
      data: { acquirerRoutes: routes ?? Prisma.DbNull },
    });
  }

  findById(id: string): Promise<Merchant | null> {
    return this.prisma.merchant.findUnique({ where: { id } });
  }

  updateProfile(
    id: string,
    profile: { displayName?: string; merchantUrl?: string; logoUrl?: string },
    logoCheckedAt: Date | null | undefined,
  ): Promise<Merchant> {
    return this.prisma.merchant.update({ where: { id }, data: { ...profile, logoCheckedAt } });
  }

  markLogoChecked(id: string, at: Date): Promise<Merchant> {
    return this.prisma.merchant.update({ where: { id }, data: { logoCheckedAt: at } });
  }

  /** OFFBOARDED, and every API key revoked with it, in one transaction. */
  async offboard(id: string, at: Date): Promise<Merchant> {
    return this.prisma.$transaction(async (tx) => {
      await tx.apiKey.updateMany({
        where: { merchantId: id, OR: [{ revokedAt: null }, { revokedAt: { gt: at } }] },
        data: { revokedAt: at },
      });
      await tx.merchant.updateMany({
        where: { id, status: 'ACTIVE' },
        data: { status: 'OFFBOARDED', offboardedAt: at },
      });
      return tx.merchant.findUniqueOrThrow({ where: { id } });
    });
  }
}
