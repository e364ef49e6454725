import { Injectable } from '@nestjs/common';

/**
 * The card networks' token vault: which PAN each issued token stands for, so the acquirer
 * simulator detokenizes like a real network and the magic test cards behave the same tokenized.
 * Never exposed by any endpoint.
 */
@Injectable()
export class NetworkTokenVaultStore {
  private readonly pans = new Map<string, string>();

  remember(token: string, pan: string): void {
    this.pans.set(token, pan);
  }

  panOf(token: string): string | undefined {
    return this.pans.get(token);
  }

  clear(): void {
    this.pans.clear();
  }
}
