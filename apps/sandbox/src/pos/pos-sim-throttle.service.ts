import { Inject, Injectable } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { PosThrottledError } from './pos-sim-errors';

/** A polled resource remembers when it was served, and how often a client came too soon. */
export interface Polled {
  polls: number[];
  throttled: number;
}

/**
 * Call throttling on the polling endpoints: a poll sooner than the `pollDelayInMs` of the previous
 * answer gets 429 with `Retry-After`, and is counted so tests can prove a client never did that.
 */
@Injectable()
export class PosSimThrottleService {
  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  get pollDelayMs(): number {
    return this.config.pos.pollDelayMs;
  }

  poll(resource: Polled): void {
    const now = Date.now();
    const last = resource.polls.at(-1);
    const { throttle, throttleSlackMs } = this.config.pos;
    if (throttle && last !== undefined && now - last < this.pollDelayMs - throttleSlackMs) {
      resource.throttled++;
      const waitMs = this.pollDelayMs - (now - last);
      throw new PosThrottledError(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    resource.polls.push(now);
  }
}
