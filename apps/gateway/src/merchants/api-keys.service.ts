import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import { ApiKeyRepository } from '@app/persistence';
import { issueApiKey } from './api-key';
import {
  type ApiKeyView,
  type CreateApiKeyDto,
  type IssuedApiKeyView,
  type RotateApiKeyDto,
  type RotatedApiKeyView,
  toApiKeyView,
} from './api-key.dto';

const notFound = () => new DomainError(ErrorCode.NotFound, 'API key not found');

/** A merchant's own API keys: stored hashed, shown once, revoked or rotated with a grace period. */
@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeyRepository) {}

  async create(merchantId: string, dto: CreateApiKeyDto): Promise<IssuedApiKeyView> {
    const issued = issueApiKey();
    const key = await this.keys.create({
      id: randomUUID(),
      merchantId,
      prefix: issued.prefix,
      secretHash: issued.secretHash,
      label: dto.label,
    });
    return { ...toApiKeyView(key), apiKey: issued.plaintext };
  }

  async list(merchantId: string): Promise<{ data: ApiKeyView[] }> {
    const now = new Date();
    return { data: (await this.keys.listForMerchant(merchantId)).map((k) => toApiKeyView(k, now)) };
  }

  async revoke(merchantId: string, id: string): Promise<ApiKeyView> {
    const key = await this.keys.revoke(merchantId, id, new Date());
    if (!key) throw notFound();
    return toApiKeyView(key);
  }

  async rotate(merchantId: string, id: string, dto: RotateApiKeyDto): Promise<RotatedApiKeyView> {
    const existing = await this.keys.findForMerchant(merchantId, id);
    if (!existing) throw notFound();
    const issued = issueApiKey();
    const revokeAt = new Date(Date.now() + (dto.gracePeriodSeconds ?? 0) * 1000);
    const rotated = await this.keys.rotate(
      merchantId,
      id,
      {
        id: randomUUID(),
        prefix: issued.prefix,
        secretHash: issued.secretHash,
        label: dto.label ?? existing.label ?? undefined,
      },
      revokeAt,
    );
    if (!rotated) {
      throw new DomainError(ErrorCode.ApiKeyRevoked, 'API key is revoked already');
    }
    return {
      created: { ...toApiKeyView(rotated.created), apiKey: issued.plaintext },
      revoked: toApiKeyView(rotated.revoked),
    };
  }
}
