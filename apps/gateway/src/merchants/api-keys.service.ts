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

/** The key making the call; `revokedAt` is set while it is in a rotation's grace period. */
export interface CallingKey {
  id: string;
  revokedAt: Date | null;
}

/** A key issued by the PSP's operator (admin API, console) rather than by one of the merchant's keys. */
export const OPERATOR = 'operator';
export type OperatorCall = typeof OPERATOR;

/**
 * A key on its way out (in a rotation's grace period) keeps the shop running but may not mint
 * successors: otherwise whoever holds an outgoing, possibly leaked, key could turn its last minutes
 * into a fresh key with no end. Key management is for keys without an end.
 */
function assertMayIssueKeys(caller: CallingKey | OperatorCall): void {
  if (caller !== OPERATOR && caller.revokedAt !== null) {
    throw new DomainError(
      ErrorCode.ApiKeyRevoked,
      'this API key is being rotated out and cannot issue keys; use its successor',
    );
  }
}

/** A merchant's own API keys: stored hashed, shown once, revoked or rotated with a grace period. */
@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeyRepository) {}

  async create(
    merchantId: string,
    caller: CallingKey | OperatorCall,
    dto: CreateApiKeyDto,
  ): Promise<IssuedApiKeyView> {
    assertMayIssueKeys(caller);
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

  /**
   * Only a key without an end can be rotated (a revoked one, or one already in its grace period,
   * answers 409 api_key_revoked), so a rotation shortens a key's life and never extends it.
   */
  async rotate(
    merchantId: string,
    caller: CallingKey,
    id: string,
    dto: RotateApiKeyDto,
  ): Promise<RotatedApiKeyView> {
    const existing = await this.keys.findForMerchant(merchantId, id);
    if (!existing) throw notFound();
    assertMayIssueKeys(caller);
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
      throw new DomainError(
        ErrorCode.ApiKeyRevoked,
        'API key is revoked already, or in the grace period of an earlier rotation',
      );
    }
    return {
      created: { ...toApiKeyView(rotated.created), apiKey: issued.plaintext },
      revoked: toApiKeyView(rotated.revoked),
    };
  }
}
