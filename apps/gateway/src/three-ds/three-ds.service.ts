import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AcquirerRouter,
  THREE_DS_SERVER,
  THREE_DS_METHOD_TIMEOUT_MS,
  base64url,
  type AcquirerRoutes,
  type AuthenticationMessage,
  type BrowserInfo,
  type MessageVersion,
  type ThreeDsServer,
} from '@app/acquirers';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  CardDataSealer,
  LinkSigner,
  sealCard,
  unsealCard,
  type SealedCard,
  type SealedThreeDs,
} from '@app/crypto';
import { DomainError, ErrorCode, ReasonCode, currencyNumeric, watchdogFireTime } from '@app/domain';
import {
  AttemptRepository,
  ThreeDsRepository,
  failurePatch,
  type AttemptPatch,
  type AttemptWithPayment,
} from '@app/persistence';
import { JobProducer } from '@app/queue';
import { countryNumeric } from './country-numeric';

export type ChallengeView =
  | {
      state: 'challenge';
      merchantName: string;
      amount: bigint;
      currency: string;
      maskedCard: string | null;
    }
  | { state: 'closed' };

/** What the challenge page shows next. */
export type ThreeDsStep =
  | { kind: 'done' }
  | {
      kind: 'method';
      methodUrl: string;
      methodData: string;
      state: string;
      timeoutMs: number;
    }
  | { kind: 'challenge'; acsUrl: string; creq: string; sessionData: string };

/** The challenge iframe of the MobilePay web view: 390 × 400 (EMV `challengeWindowSize` 02). */
export const CHALLENGE_WINDOW_SIZE = '02';

interface FlowState {
  /** threeDSServerTransID */
  t: string;
  /** messageVersion */
  v: MessageVersion;
  /** until when the threeDSServerTransID may be used (epoch ms) */
  e: number;
  b: BrowserInfo;
}

/** EMV colour depths; a browser's other values (30) are rounded down to the next one. */
const COLOR_DEPTHS = [1, 4, 8, 15, 16, 24, 32, 48];

/**
 * The 3-D Secure fallback on our side: the page MobilePay's app opens after PATCH 1008 runs EMV
 * 3-D Secure 2 for the browser channel through the configured 3DS Server — browser data, /preauth,
 * the issuer's 3DS Method (hidden iframe, 10 s), /auth, then frictionless or the ACS challenge
 * (CReq in an iframe, CRes back to us) and /postauth — and the steps that follow: 1009 and
 * re-authorization with the ARes/RReq, or 1000.
 *
 * Decisions where the documentation is silent: the steps between pages carry their state signed
 * (no server-side session, any replica can serve the next step); `transStatus` A (attempted) counts
 * as authenticated, I/N/R/U and errors as failed; a `threeDSServerTransID` past its 80 s is
 * replaced by a fresh /preauth (3DS Method then counted as not completed, `threeDSCompInd: N`).
 * The authentication value is never logged.
 */
@Injectable()
export class ThreeDsService {
  private readonly logger = new Logger(ThreeDsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(THREE_DS_SERVER) private readonly server: ThreeDsServer,
    private readonly links: LinkSigner,
    private readonly sealer: CardDataSealer,
    private readonly attempts: AttemptRepository,
    private readonly threeDs: ThreeDsRepository,
    private readonly jobs: JobProducer,
    private readonly router: AcquirerRouter,
  ) {}

  /**
   * Where the browser goes after the challenge: MobilePay Online's done3ds page, or for an
   * ePayment attempt the callback's `softDeclineCompletedRedirectUrl` (the second callback follows).
   * Not a secret: the caller has proven nothing yet, and none is needed to learn it.
   */
  async doneUrlOf(attemptId: string): Promise<string> {
    const attempt = await this.attempts.findWithPayment(attemptId);
    return attempt?.softDeclineCompletedRedirectUrl ?? this.config.threeDs.doneUrl;
  }

  async view(attemptId: string, token: string): Promise<ChallengeView> {
    const attempt = await this.load(attemptId, token);
    if (attempt.status !== 'THREE_DS_PENDING') return { state: 'closed' };
    return {
      state: 'challenge',
      merchantName: attempt.payment.merchant.displayName,
      amount: attempt.payment.amount,
      currency: attempt.payment.currency,
      maskedCard: attempt.maskedCardNumber,
    };
  }

  /** The shopper cancelled on our page: PATCH 1000, then done3ds. */
  async cancel(attemptId: string, token: string): Promise<void> {
    const attempt = await this.load(attemptId, token);
    if (attempt.status !== 'THREE_DS_PENDING') return;
    await this.fail(attempt, '3-D Secure challenge cancelled');
  }

  /** The page sent the browser's data: /preauth, then the 3DS Method or straight on to /auth. */
  async start(attemptId: string, token: string, browser: BrowserInfo): Promise<ThreeDsStep> {
    const attempt = await this.load(attemptId, token);
    if (attempt.status !== 'THREE_DS_PENDING') return { kind: 'done' };
    const card = await this.card(attempt);
    const preauth = await this.server.preauth(card.acctNumber);
    if (preauth.kind !== 'enrolled') {
      const reason =
        preauth.kind === 'not-enrolled' ? 'card not enrolled in 3-D Secure 2' : preauth.error;
      return this.failed(attempt, `3-D Secure failed: ${reason}`);
    }
    const state: FlowState = {
      t: preauth.threeDSServerTransID,
      v: preauth.messageVersion,
      e: preauth.expiresAt.getTime(),
      b: normalised(browser),
    };
    if (!preauth.threeDSMethodURL) return this.authenticate(attempt, card, state, 'U');
    return {
      kind: 'method',
      methodUrl: preauth.threeDSMethodURL,
      methodData: base64url.encode(
        JSON.stringify({
          threeDSServerTransID: preauth.threeDSServerTransID,
          threeDSMethodNotificationURL: `${this.config.publicBaseUrl}/3ds/${attemptId}/method-notification`,
        }),
      ),
      state: this.signState(attemptId, state),
      timeoutMs: THREE_DS_METHOD_TIMEOUT_MS,
    };
  }

  /** After the 3DS Method (completed: `Y`, timed out: `N`): /auth. */
  async continueAfterMethod(
    attemptId: string,
    token: string,
    signedState: string,
    completed: boolean,
  ): Promise<ThreeDsStep> {
    const attempt = await this.load(attemptId, token);
    const state = this.verifyState(attemptId, signedState);
    if (attempt.status !== 'THREE_DS_PENDING') return { kind: 'done' };
    return this.authenticate(attempt, await this.card(attempt), state, completed ? 'Y' : 'N');
  }

  /** The ACS posted the CRes to our notification URL: /postauth, then the outcome. */
  async challengeResult(attemptId: string, cres: string, sessionData: string): Promise<void> {
    const transId = this.verifySession(attemptId, sessionData);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(base64url.decode(cres)) as Record<string, unknown>;
    } catch {
      throw new DomainError(ErrorCode.ValidationFailed, 'cres is not Base64-URL encoded JSON');
    }
    if (message?.messageType !== 'CRes' || message.threeDSServerTransID !== transId)
      throw new DomainError(ErrorCode.ValidationFailed, 'cres does not belong to this challenge');
    const attempt = await this.attempts.findWithPayment(attemptId);
    if (!attempt) throw new DomainError(ErrorCode.NotFound, 'no such 3-D Secure challenge');
    if (attempt.status !== 'THREE_DS_PENDING') return;
    const result = await this.server.postauth(transId);
    if (result.kind === 'failed') {
      await this.fail(attempt, `3-D Secure failed: ${result.error}`);
      return;
    }
    const { rreq } = result;
    if (rreq.transStatus !== 'Y' || !rreq.eci) {
      await this.fail(attempt, `3-D Secure failed: challenge transStatus ${rreq.transStatus}`);
      return;
    }
    await this.succeed(attempt, { ...this.threeDsValues(rreq), rreq: rreq.message });
  }

  private async authenticate(
    attempt: AttemptWithPayment,
    card: { acctNumber: string; expiry: string; sealed: SealedCard },
    state: FlowState,
    compInd: 'Y' | 'N' | 'U',
  ): Promise<ThreeDsStep> {
    let { t: transId, v: version } = state;
    if (Date.now() >= state.e) {
      // The threeDSServerTransID has outlived its 80 s: start over without the 3DS Method.
      const fresh = await this.server.preauth(card.acctNumber);
      if (fresh.kind !== 'enrolled') {
        return this.failed(
          attempt,
          `3-D Secure failed: ${fresh.kind === 'failed' ? fresh.error : 'card not enrolled in 3-D Secure 2'}`,
        );
      }
      transId = fresh.threeDSServerTransID;
      version = fresh.messageVersion;
      compInd = fresh.threeDSMethodURL ? 'N' : 'U';
    }
    const { payment } = attempt;
    const country = countryNumeric(payment.merchant.countryCode);
    const server = this.config.threeDs.server;
    if (!country || !server) {
      return this.failed(
        attempt,
        `3-D Secure failed: ${server ? `no numeric code for country ${payment.merchant.countryCode}` : 'no 3-D Secure server configured'}`,
      );
    }
    const result = await this.server.auth({
      threeDSServerTransID: transId,
      messageVersion: version,
      threeDSCompInd: compInd,
      acctNumber: card.acctNumber,
      cardExpiryDate: card.expiry,
      notificationURL: `${this.config.publicBaseUrl}/3ds/${attempt.id}/challenge-result`,
      threeDSRequestorURL: server.requestorUrl,
      acquirerBIN: server.acquirerBin,
      acquirerMerchantID: payment.merchant.acquirerMerchantId,
      mcc: String(payment.merchant.merchantCategoryCode).padStart(4, '0'),
      merchantCountryCode: country,
      merchantName: ascii(payment.merchant.displayName).slice(0, 40),
      purchaseAmount: payment.amount,
      purchaseCurrency: currencyNumeric(payment.currency),
      purchaseExponent: 2,
      purchaseDate: new Date(),
      browser: state.b,
    });
    switch (result.kind) {
      case 'failed':
        return this.failed(attempt, `3-D Secure failed: ${result.error}`);
      case 'not-authenticated':
        return this.failed(attempt, `3-D Secure failed: transStatus ${result.ares.transStatus}`);
      case 'frictionless':
        await this.succeed(attempt, {
          ...this.threeDsValues(result.ares),
          ares: result.ares.message,
        });
        return { kind: 'done' };
      case 'challenge':
        this.logger.log({ attemptId: attempt.id, version }, '3-D Secure challenge started');
        return {
          kind: 'challenge',
          acsUrl: result.acsURL,
          creq: base64url.encode(
            JSON.stringify({
              threeDSServerTransID: transId,
              acsTransID: result.acsTransID,
              messageVersion: result.ares.messageVersion,
              messageType: 'CReq',
              challengeWindowSize: CHALLENGE_WINDOW_SIZE,
            }),
          ),
          sessionData: `${transId}.${this.links.sign('3ds-session', `${attempt.id}:${transId}`)}`,
        };
    }
  }

  private threeDsValues(message: AuthenticationMessage): SealedThreeDs {
    return {
      cryptogram: message.authenticationValue ?? '',
      eci: message.eci ?? '',
      version: message.messageVersion,
      transactionId: message.dsTransID ?? message.threeDSServerTransID,
    };
  }

  private async succeed(attempt: AttemptWithPayment, threeDS: SealedThreeDs): Promise<void> {
    const sealed = await this.attempts.findSealed(attempt.id);
    if (!sealed)
      throw new DomainError(ErrorCode.PaymentNotPayable, 'card data is no longer available');
    const card = unsealCard(this.sealer, sealed, attempt.id);
    const resealed = sealCard(this.sealer, { ...card, threeDS }, attempt.id);
    const deadlineAt = new Date(Date.now() + this.config.payments.patchDeadlineMs);
    const outboxId = await this.threeDs.recordAuthenticated(
      attempt,
      resealed,
      this.patch(attempt, ReasonCode.ThreeDSecureCompleted, '3-D Secure passed; authorizing again'),
      deadlineAt,
    );
    if (!outboxId) return;
    this.logger.log(
      { attemptId: attempt.id, version: threeDS.version, eci: threeDS.eci },
      '3-D Secure authenticated',
    );
    // PATCH 1009 first (MobilePay then stops the shopper from switching card); its delivery queues
    // the re-authorization. The watchdog guards the new deadline.
    await this.jobs.deliverReport(outboxId);
    await this.jobs.deadlineWatchdog(
      attempt.id,
      watchdogFireTime(deadlineAt, this.config.payments.patchDeadlineMs),
    );
  }

  private async failed(attempt: AttemptWithPayment, reason: string): Promise<ThreeDsStep> {
    await this.fail(attempt, reason);
    return { kind: 'done' };
  }

  private async fail(attempt: AttemptWithPayment, reason: string): Promise<void> {
    const outboxId = await this.attempts.failUnstarted(
      attempt,
      this.patch(attempt, ReasonCode.Rejected, reason),
      ['THREE_DS_PENDING'],
    );
    if (outboxId) await this.jobs.deliverReport(outboxId);
    this.logger.log({ attemptId: attempt.id, reason }, '3-D Secure not passed');
  }

  private async card(
    attempt: AttemptWithPayment,
  ): Promise<{ acctNumber: string; expiry: string; sealed: SealedCard }> {
    const sealed = await this.attempts.findSealed(attempt.id);
    if (!sealed)
      throw new DomainError(ErrorCode.PaymentNotPayable, 'card data is no longer available');
    const card = unsealCard(this.sealer, sealed, attempt.id);
    const acctNumber = card.kind === 'pan' ? card.number : card.token;
    const expiry = `${String(card.expiryYear % 100).padStart(2, '0')}${String(card.expiryMonth).padStart(2, '0')}`;
    return { acctNumber, expiry, sealed: card };
  }

  private signState(attemptId: string, state: FlowState): string {
    const payload = base64url.encode(JSON.stringify(state));
    return `${payload}.${this.links.sign('3ds-state', `${attemptId}:${payload}`)}`;
  }

  private verifyState(attemptId: string, signed: string): FlowState {
    const [payload, signature] = signed.split('.');
    if (
      !payload ||
      !signature ||
      !this.links.verify('3ds-state', `${attemptId}:${payload}`, signature)
    )
      throw new DomainError(ErrorCode.ValidationFailed, '3-D Secure state is invalid');
    return JSON.parse(base64url.decode(payload)) as FlowState;
  }

  private verifySession(attemptId: string, sessionData: string): string {
    const [transId, signature] = sessionData.split('.');
    if (
      !transId ||
      !signature ||
      !this.links.verify('3ds-session', `${attemptId}:${transId}`, signature)
    )
      throw new DomainError(ErrorCode.NotFound, 'no such 3-D Secure challenge');
    return transId;
  }

  private async load(attemptId: string, token: string): Promise<AttemptWithPayment> {
    const attempt = this.links.verify('3ds', attemptId, token)
      ? await this.attempts.findWithPayment(attemptId)
      : null;
    if (!attempt) throw new DomainError(ErrorCode.NotFound, 'no such 3-D Secure challenge');
    return attempt;
  }

  private patch(
    attempt: AttemptWithPayment,
    reasonCode: number,
    reasonMessage: string,
  ): AttemptPatch {
    return failurePatch(
      {
        id: attempt.id,
        mobilePayPaymentId: attempt.payment.mobilePayPaymentId!,
        acquirerMerchantId: attempt.payment.merchant.acquirerMerchantId,
      },
      this.router.vatNumberFor(
        attempt,
        attempt.payment.merchant.acquirerRoutes as AcquirerRoutes | null,
      ),
      reasonCode,
      reasonMessage.slice(0, 200),
    );
  }
}

/** EMV 3DS 2.1/2.2 fields are ASCII: anything else is replaced. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7E]/g, '?');
}

function normalised(browser: BrowserInfo): BrowserInfo {
  const depth = Number(browser.colorDepth);
  const color = [...COLOR_DEPTHS].reverse().find((d) => d <= depth) ?? 24;
  return {
    ...browser,
    colorDepth: String(color),
    language: browser.language.slice(0, 8),
    acceptHeader: ascii(browser.acceptHeader).slice(0, 2048),
    userAgent: ascii(browser.userAgent).slice(0, 2048),
  };
}
