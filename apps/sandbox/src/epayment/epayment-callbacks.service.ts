import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SandboxConfig } from '@app/config';
import { signRequest, type CardCallbackResponse } from '@app/epayment';
import { NetworkTokenVaultStore } from '../mobilepay/network-token-vault.store';
import {
  cryptogram,
  networkToken,
  paymentAccountReference,
} from '../mobilepay/network-token.generator';
import { SANDBOX_CONFIG } from '../sandbox.tokens';
import { badRequest, conflict, notFound } from './epayment-problem';
import type { SimAttempt, SimPayment } from './epayment-sim.model';
import { EpaymentSimService } from './epayment-sim.service';
import { EpaymentSimStore } from './epayment-sim.store';

export interface Approval {
  cardNumber?: string;
  cardType?: string;
  cardIssuedInCountryCode?: string;
  shape?: 'nested' | 'flat';
  attemptId?: string;
}

export interface CallbackResult {
  attemptId: string;
  httpStatus: number | null;
  answer?: CardCallbackResponse;
  error?: string;
  state: string;
  elapsedMs: number;
}

const DEFAULT_CARD = { pan: '4111111111111111', cardType: 'VISA-DEBIT' };

/**
 * The user's side: picking a card in the app makes Vipps MobilePay POST it to the PSP's
 * `cardCallbackUrl` and wait (20 s) for RESERVE, FAIL or SOFT_DECLINE. After a soft decline the
 * user's browser comes back to `softDeclineCompletedRedirectUrl` (here) and the same attempt is
 * sent again with a fresh cryptogram.
 */
@Injectable()
export class EpaymentCallbacksService {
  private readonly logger = new Logger(EpaymentCallbacksService.name);

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: EpaymentSimStore,
    private readonly payments: EpaymentSimService,
    private readonly vault: NetworkTokenVaultStore,
  ) {}

  find(msn: string | undefined, reference: string): SimPayment {
    const payment = msn
      ? this.store.payments.get(this.store.key(msn, reference))
      : [...this.store.payments.values()].find((p) => p.reference === reference);
    if (!payment) throw notFound('payment not found');
    return payment;
  }

  async approve(payment: SimPayment, approval: Approval, baseUrl: string): Promise<CallbackResult> {
    if (payment.state !== 'CREATED' || payment.unresolved)
      throw conflict(`payment is ${payment.unresolved ? 'awaiting its outcome' : payment.state}`);
    const pan = approval.cardNumber ?? DEFAULT_CARD.pan;
    const cardType =
      approval.cardType ?? (approval.cardNumber ? typeOf(pan) : DEFAULT_CARD.cardType);
    if (!payment.allowedCardTypes.includes(cardType.replace('-', '_')))
      throw badRequest(`card type ${cardType} is not allowed for this payment`);
    const dataType = cardType === 'DANKORT' ? 'PAN' : 'TOKEN';
    if (dataType === 'PAN')
      throw badRequest(
        'standalone Dankort (encrypted PAN) is not simulated yet; use a Visa or Mastercard',
      );
    let attempt = approval.attemptId
      ? payment.attempts.find((a) => a.id === approval.attemptId)
      : undefined;
    if (!attempt) {
      attempt = {
        id: approval.attemptId ?? randomUUID(),
        pan,
        cardType,
        dataType,
        shape: approval.shape ?? 'nested',
        answers: [],
      };
      payment.attempts.push(attempt);
    }
    return this.send(payment, attempt, approval.cardIssuedInCountryCode ?? 'DK', baseUrl);
  }

  /** The user's browser is back from the PSP's 3-D Secure page: the second callback goes out. */
  async softDeclineCompleted(attemptId: string, baseUrl: string): Promise<CallbackResult> {
    const found = this.store.findByAttempt(attemptId);
    if (!found) throw notFound('no such authorization attempt');
    const attempt = found.payment.attempts[found.index];
    if (!attempt.softDeclineUrl) throw conflict('this attempt was not soft declined');
    attempt.softDeclineUrl = undefined;
    return this.send(found.payment, attempt, 'DK', baseUrl);
  }

  private async send(
    payment: SimPayment,
    attempt: SimAttempt,
    country: string,
    baseUrl: string,
  ): Promise<CallbackResult> {
    const body = JSON.stringify(this.body(payment, attempt, country, baseUrl));
    const url = new URL(payment.cardCallbackUrl);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.config.epayment.callbackAuth === 'hmac') {
      Object.assign(
        headers,
        signRequest(this.config.epayment.clientSecret, {
          method: 'POST',
          pathAndQuery: `${url.pathname}${url.search}`,
          host: url.host,
          date: new Date().toUTCString(),
          body,
        }),
      );
    }
    const started = Date.now();
    let httpStatus: number | null = null;
    let answer: CardCallbackResponse | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.config.epayment.callbackDeadlineMs),
      });
      httpStatus = response.status;
      const text = await response.text();
      if (response.status === 200) answer = validAnswer(text);
      if (!answer) error = `answer ${response.status} is not a valid CardCallbackResponse`;
    } catch (e) {
      error =
        e instanceof Error && e.name === 'TimeoutError'
          ? 'no answer within the deadline'
          : 'connection failed';
    }
    attempt.answers.push({ at: new Date().toISOString(), status: httpStatus, body: answer, error });
    this.settle(payment, attempt, answer);
    return {
      attemptId: attempt.id,
      httpStatus,
      answer,
      error,
      state: payment.state,
      elapsedMs: Date.now() - started,
    };
  }

  private settle(
    payment: SimPayment,
    attempt: SimAttempt,
    answer: CardCallbackResponse | undefined,
  ) {
    if (!answer) {
      // 500s and timeouts are non-retryable for the user; the payment may be "patched later".
      payment.unresolved = true;
      return;
    }
    switch (answer.status) {
      case 'RESERVE':
        if (payment.state === 'CREATED') this.payments.authorize(payment);
        return;
      case 'SOFT_DECLINE':
        attempt.softDeclineUrl = answer.softDeclineUrl;
        return;
      case 'FAIL':
        if (this.config.epayment.nonRetryableCodes.has(answer.errorCode))
          this.payments.abort(payment);
        return;
    }
  }

  private body(payment: SimPayment, attempt: SimAttempt, country: string, baseUrl: string) {
    const token = networkToken(attempt.pan.startsWith('4') ? 'visa' : 'mastercard');
    this.vault.remember(token, attempt.pan);
    const card = {
      maskedCardNumber: `${attempt.pan.slice(0, 8)}XXXX${attempt.pan.slice(-4)}`,
      cardType: attempt.cardType,
      cardIssuedInCountryCode: country,
    };
    const networkTokenData = {
      number: token,
      cryptogram: cryptogram(),
      expiryMonth: '12',
      expiryYear: '2030',
      tokenType: attempt.pan.startsWith('4') ? 'VISA' : 'MASTERCARD',
      eci: attempt.pan.startsWith('4') ? '07' : '02',
      paymentAccountReference: paymentAccountReference(
        attempt.pan.startsWith('4') ? 'visa' : 'mastercard',
      ),
    };
    const common = {
      pspReference: payment.pspReference,
      authorizationAttemptId: attempt.id,
      merchantSerialNumber: payment.msn,
      amount: payment.amount,
      softDeclineCompletedRedirectUrl: `${baseUrl}/epayment-sim/soft-decline-completed/${attempt.id}?r=${randomBytes(4).toString('hex')}`,
    };
    return attempt.shape === 'flat'
      ? { ...common, ...card, paymentInstrument: 'TOKEN', networkToken: networkTokenData }
      : { ...common, cardInfo: { ...card, cardDataType: 'TOKEN', networkToken: networkTokenData } };
  }
}

function typeOf(pan: string): string {
  return pan.startsWith('4') ? 'VISA-CREDIT' : pan.startsWith('5') ? 'MC-CREDIT' : 'DANKORT';
}

function validAnswer(text: string): CardCallbackResponse | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (body.status === 'RESERVE' && typeof body.networkTransactionReference === 'string')
      return body as CardCallbackResponse;
    if (
      body.status === 'FAIL' &&
      typeof body.errorCode === 'number' &&
      typeof body.errorMessage === 'string'
    )
      return body as CardCallbackResponse;
    if (body.status === 'SOFT_DECLINE' && typeof body.softDeclineUrl === 'string')
      return body as CardCallbackResponse;
  } catch {
    return undefined;
  }
  return undefined;
}
