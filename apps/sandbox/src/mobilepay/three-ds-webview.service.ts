import { Inject, Injectable } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { EventLogStore } from '../inspection/event-log.store';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { conflict, MobilePayCode } from './mobilepay-codes';
import type { Attempt, ThreeDsRecord } from './payment.model';
import { PaymentsStore } from './payments.store';

/** Sent on every web-view request, so done3ds.html knows which attempt landed. */
export const WEBVIEW_ATTEMPT_HEADER = 'x-sandbox-webview-attempt';
const MAX_HOPS = 10;

/**
 * The app's 3DS web view: loads the PSP's threeDSecureUrl and follows redirects until the PSP
 * sends the user to done3ds.html. The sandbox's own done3ds.html is loaded (and records the
 * landing); anyone else's (e.g. MobilePay's real URL) is intercepted, as the app does.
 */
@Injectable()
export class ThreeDsWebviewService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: PaymentsStore,
    private readonly events: EventLogStore,
  ) {}

  async open(
    attemptId: string,
    baseUrl: string,
  ): Promise<{ authorizationAttemptId: string; threeDs: ThreeDsRecord }> {
    const attempt = this.store.getAttempt(attemptId);
    if (!attempt) throw conflict(MobilePayCode.AttemptNotFound);
    const threeDs = attempt.threeDs;
    if (attempt.state !== 'three-ds' || !threeDs) throw conflict(MobilePayCode.NoThreeDsChallenge);
    Object.assign(threeDs, { opened: true, openedAt: new Date().toISOString(), hops: [] });
    const hops = threeDs.hops ?? [];
    let url = threeDs.url;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const target = URL.parse(url);
      if (!target) {
        hops.push({ url, status: null, error: 'invalid URL' });
        break;
      }
      if (isDone3ds(target) && target.origin !== URL.parse(baseUrl)?.origin) {
        threeDs.finalUrl = url;
        markLanded(threeDs);
        break;
      }
      const { status, location, error } = await this.get(attempt, url);
      hops.push({ url, status, ...(error ? { error } : {}) });
      Object.assign(threeDs, { finalUrl: url, status });
      if (isDone3ds(target) || !location || status === null || status < 300 || status >= 400) {
        break;
      }
      url = new URL(location, url).toString();
    }
    return { authorizationAttemptId: attemptId, threeDs };
  }

  /** done3ds.html was loaded: by our web view (header), or by a browser while one view is open. */
  landed(headerAttemptId: string | undefined, path: string): void {
    const attempt = headerAttemptId
      ? this.store.getAttempt(headerAttemptId)
      : soleOrNone(
          this.store.attemptsWhere((a) => !!a.threeDs?.opened && !a.threeDs.landedOnDone3ds),
        );
    if (attempt?.threeDs) markLanded(attempt.threeDs);
    this.events.record({
      direction: 'psp->mobilepay',
      method: 'GET',
      path,
      status: 200,
      kind: 'done3ds',
      ...(attempt
        ? { paymentId: attempt.paymentId, authorizationAttemptId: attempt.authorizationAttemptId }
        : {}),
    });
  }

  private async get(
    attempt: Attempt,
    url: string,
  ): Promise<{ status: number | null; location?: string; error?: string }> {
    let outcome: { status: number | null; location?: string; error?: string };
    try {
      const response = await fetch(url, {
        redirect: 'manual',
        headers: { [WEBVIEW_ATTEMPT_HEADER]: attempt.authorizationAttemptId },
        signal: AbortSignal.timeout(this.config.callbacks.timeoutMs),
      });
      await response.arrayBuffer();
      outcome = {
        status: response.status,
        location: response.headers.get('location') ?? undefined,
      };
    } catch (e) {
      outcome = { status: null, error: e instanceof Error ? e.message : String(e) };
    }
    this.events.record({
      direction: 'mobilepay->psp',
      method: 'GET',
      path: url,
      status: outcome.status,
      kind: '3ds-webview',
      paymentId: attempt.paymentId,
      authorizationAttemptId: attempt.authorizationAttemptId,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    return outcome;
  }
}

function isDone3ds(url: URL): boolean {
  return url.pathname.endsWith('/done3ds.html');
}

function markLanded(threeDs: ThreeDsRecord): void {
  if (threeDs.landedOnDone3ds) return;
  Object.assign(threeDs, { landedOnDone3ds: true, landedAt: new Date().toISOString() });
}

function soleOrNone<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
