import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Readiness turns false as soon as shutdown starts, before connections close. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  draining = false;

  /** SIGTERM: readiness turns false first; the listener closes only after the drain delay. */
  startDraining(): void {
    this.draining = true;
  }

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
