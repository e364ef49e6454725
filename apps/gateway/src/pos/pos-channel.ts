import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/domain';
import type { Merchant } from '@app/persistence';
import { POS_CLIENT, type PosCallContext, type PosClient, posContext } from '@app/pos';

/** The PoS v10 client and the merchant it acts for; refuses when the channel is not configured. */
@Injectable()
export class PosChannel {
  constructor(@Inject(POS_CLIENT) private readonly posClient: PosClient | undefined) {}

  get client(): PosClient {
    if (!this.posClient) {
      throw new DomainError(
        ErrorCode.OperationNotSupported,
        'the in-store channel is not configured on this gateway',
      );
    }
    return this.posClient;
  }

  context(merchant: Merchant): PosCallContext {
    return posContext(merchant);
  }

  /** The context of a call that will create something: checks the channel before anything is stored. */
  forCreation(merchant: Merchant): PosCallContext {
    void this.client;
    return this.context(merchant);
  }
}
