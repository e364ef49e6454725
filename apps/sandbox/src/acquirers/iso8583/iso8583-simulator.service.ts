import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Iso8583 } from '@app/acquirers';
import { maskPan } from '../../mobilepay/payment-rules';
import { decide } from '../acquirer-decision';
import type { AuthorizationRequest } from '../authorization-request.schema';
import type { DeclineCode } from '../test-cards';
import { advise, HostCode, inquire, reverse, tlv } from './iso8583-host-operations';
import { type Iso8583Record, Iso8583SimulatorStore } from './iso8583-simulator.store';

/** Resolves a network token to the PAN it stands for (the sandbox's token vault). */
export const DETOKENIZE = Symbol('ISO8583_DETOKENIZE');
export type Detokenize = (token: string) => string | undefined;

export interface HostAnswer {
  reply: Iso8583.IsoMessage;
  /** Held back this long (the slow test card). */
  delayMs: number;
}

/** This host's own vocabulary for the shared decisions (acquirer-decision.ts). */
const RESPONSE_CODES: Record<DeclineCode, string> = {
  DO_NOT_HONOR: '05',
  INSUFFICIENT_FUNDS: '51',
  EXPIRED_CARD: '54',
  FRAUD_SUSPECTED: '59',
  SOFT_BLOCKED: '78',
  HARD_BLOCKED: '62',
  WEB_PAYMENTS_DISABLED: '57',
};
const SCA_REQUIRED = '1A';

/** Fields an answer copies from its request, so the PSP can match it (STAN, RRN) and check it. */
const ECHOED = [3, 4, 7, 11, 12, 13, 37, 41, 42, 49] as const;

/**
 * The Nets-style host: the same test-card decisions as the REST acquirer, idempotent per RRN
 * (a repeated 0100 gets the stored answer and authorizes nothing), inquiries, reversals and
 * capture/refund advices against what it authorized.
 */
@Injectable()
export class Iso8583SimulatorService {
  private readonly logger = new Logger('Iso8583Simulator');

  constructor(
    private readonly store: Iso8583SimulatorStore,
    @Inject(DETOKENIZE) private readonly detokenize: Detokenize,
  ) {}

  /** The answer to one request, or undefined for messages this host does not answer. */
  handle(request: Iso8583.IsoMessage): HostAnswer | undefined {
    switch (request.mti) {
      case Iso8583.Mti.AuthorizationRequest:
        return this.authorize(request);
      case Iso8583.Mti.InquiryRequest:
        return this.answer(request, inquire(this.recordOf(request)));
      case Iso8583.Mti.ReversalRequest:
        return this.answer(request, reverse(this.recordOf(request), request));
      case Iso8583.Mti.AdviceRequest:
        return this.answer(request, advise(this.recordOf(request), request));
      case '0800':
        return this.answer(request, { 39: HostCode.Approved });
      default:
        this.logger.warn(`message type ${request.mti} ignored`);
        return undefined;
    }
  }

  private authorize(request: Iso8583.IsoMessage): HostAnswer {
    const f = request.fields;
    const tags = tlv(f[48]);
    const national = tlv(f[47]);
    const currency = Iso8583.currencyFromNumeric(f[49] ?? '');
    const reference = tags?.get(Iso8583.PrivateTag.Reference);
    const required = [f[2], f[4], f[11], f[14], f[37], f[41], f[42]];
    if (required.some((v) => v === undefined) || !currency || !reference || !tags || !national) {
      return this.answer(request, { 39: HostCode.FormatError });
    }
    // DA is a token's flag: Y or N, and only beside a token method.
    const delegated = tags.get(Iso8583.PrivateTag.DelegatedAuthentication);
    if (
      delegated !== undefined &&
      (!['Y', 'N'].includes(delegated) || !tags.has(Iso8583.PrivateTag.TokenMethod))
    ) {
      return this.answer(request, { 39: HostCode.FormatError });
    }
    const rrn = f[37];
    const fingerprint = digest([f[2], f[4], f[49], f[42], reference]);
    const existing = this.store.get(rrn);
    if (existing) {
      existing.requests += 1;
      if (existing.fingerprint !== fingerprint)
        return this.answer(request, { 39: HostCode.Duplicate });
      return this.answer(request, existing.answer);
    }
    const card = this.card(f[2], f[14], tags);
    const decision = decide(
      {
        reference,
        merchantId: f[42],
        amount: Number(f[4]),
        currency,
        cardType: 'UNKNOWN',
        card,
        ...(tags.has(Iso8583.PrivateTag.ThreeDsAuthenticationValue)
          ? {
              threeDS: {
                cryptogram: 'present',
                eci: tags.get(Iso8583.PrivateTag.ThreeDsEci) ?? '',
              },
            }
          : {}),
      },
      new Date(),
      this.detokenize,
    );
    const code =
      decision.status === 'APPROVED'
        ? HostCode.Approved
        : decision.status === 'SOFT_DECLINED'
          ? SCA_REQUIRED
          : RESPONSE_CODES[decision.declineCode ?? 'DO_NOT_HONOR'];
    const answer: Record<number, string> = { 39: code };
    if (code === HostCode.Approved) answer[38] = randomBytes(3).toString('hex').toUpperCase();
    this.store.save({
      rrn,
      reference,
      requests: 1,
      authorizations: 1,
      inquiries: 0,
      reversals: 0,
      reversed: false,
      amount: Number(f[4]),
      currency,
      maskedCard: maskPan(f[2]),
      cardKind: card.kind,
      tokenMethod: tags.get(Iso8583.PrivateTag.TokenMethod) ?? null,
      delegatedAuthentication: delegated === undefined ? null : delegated === 'Y',
      threeDS: tags.has(Iso8583.PrivateTag.ThreeDsAuthenticationValue),
      terminalId: f[41],
      acquirerMerchantId: f[42],
      posDataCode: f[22] ?? null,
      additionalDataNational: f[47] ?? null,
      additionalDataNationalTags: Object.fromEntries(national),
      responseCode: code,
      authorizationCode: answer[38] ?? null,
      captures: [],
      refunds: [],
      releases: [],
      fingerprint,
      answer,
    });
    this.logger.log(`0100 ${rrn} ${maskPan(f[2])} → ${code}`);
    return { ...this.answer(request, answer), delayMs: decision.responseDelayMs ?? 0 };
  }

  private recordOf(request: Iso8583.IsoMessage): Iso8583Record | undefined {
    return this.store.get(request.fields[37] ?? '');
  }

  private card(
    number: string,
    expiry: string,
    tags: Map<string, string>,
  ): AuthorizationRequest['card'] {
    const expiryYear = Number(expiry.slice(0, 2));
    const expiryMonth = Number(expiry.slice(2, 4));
    const method = tags.get(Iso8583.PrivateTag.TokenMethod);
    if (!method) return { kind: 'pan', number, expiryMonth, expiryYear };
    return {
      kind: 'network-token',
      token: number,
      expiryMonth,
      expiryYear,
      cryptogram: tags.get(Iso8583.PrivateTag.Cryptogram) ?? '',
      eci: tags.get(Iso8583.PrivateTag.Eci) ?? '',
      tokenMethod: method,
    };
  }

  private answer(request: Iso8583.IsoMessage, fields: Record<number, string>): HostAnswer {
    const echoed: Record<number, string> = {};
    for (const n of ECHOED) if (request.fields[n] !== undefined) echoed[n] = request.fields[n];
    return {
      reply: { mti: Iso8583.responseMti(request.mti), fields: { ...echoed, ...fields } },
      delayMs: 0,
    };
  }
}

function digest(values: (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}
