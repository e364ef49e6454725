import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { NetworkTokenVaultStore } from '../../mobilepay/network-token-vault.store';
import { CLEARHAUS_CURRENCIES } from './clearhaus-currencies';
import {
  AMOUNT,
  BASE64_28,
  expired,
  OPERATION_AMOUNT,
  PRINTABLE,
  schemeOf,
  testCardStatus,
  UUID_V4,
  validTextOnStatement,
} from './clearhaus-rules';
import {
  type ClearhausAuthorization,
  ClearhausSimulatorStore,
  type ClearhausTransaction,
} from './clearhaus-simulator.store';

export interface ClearhausReply {
  httpStatus: number;
  body: Record<string, unknown>;
}

type Params = URLSearchParams;

const METHODS = [
  'card',
  'applepay',
  'googlepay',
  'mobilepayonline',
  'moto',
  'token',
  'vipps',
  'clicktopay',
];
const MP = 'mobilepayonline';

class Refusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (code: number, message: string): never => {
  throw new Refusal(code, message);
};

/**
 * Clearhaus' transactions as its docs describe them: parameters checked against the documented
 * regexes (refused with the documented status codes), the test endpoint's card behaviour, and the
 * amount rules of captures (≤ authorized), refunds (≤ captured; a refund does not free captured
 * amount) and voids (approved or 50000 authorizations, younger than 30 days, nothing captured).
 */
@Injectable()
export class ClearhausSimulatorService {
  constructor(
    private readonly store: ClearhausSimulatorStore,
    private readonly vault: NetworkTokenVaultStore,
  ) {}

  authorize(merchantId: string, params: Params): ClearhausReply {
    try {
      return this.createAuthorization(merchantId, params);
    } catch (error) {
      if (error instanceof Refusal) return inputError(error);
      throw error;
    }
  }

  find(merchantId: string, id: string): ClearhausReply {
    const authorization = this.owned(merchantId, id);
    if (!authorization) return notFound();
    return { httpStatus: 200, body: authorizationView(authorization) };
  }

  capture(merchantId: string, id: string, params: Params): ClearhausReply {
    return this.operate(merchantId, id, (authorization) => {
      if (authorization.code !== 20000) refuse(40000, 'authorization is not approved');
      if (authorization.voids.length > 0) refuse(40000, 'authorization is voided');
      const captured = sum(authorization.captures);
      const amount = this.operationAmount(params, authorization.amount - captured);
      if (captured + amount > authorization.amount) {
        refuse(40000, 'amount exceeds the authorized amount not yet captured');
      }
      this.statement(params);
      return record(authorization.captures, amount);
    });
  }

  refund(merchantId: string, id: string, params: Params): ClearhausReply {
    return this.operate(merchantId, id, (authorization) => {
      const captured = sum(authorization.captures);
      const refunded = sum(authorization.refunds);
      if (captured === 0) refuse(40000, 'nothing is captured');
      const amount = this.operationAmount(params, captured - refunded);
      if (refunded + amount > captured)
        refuse(40000, 'amount exceeds the captured amount not yet refunded');
      this.statement(params);
      return record(authorization.refunds, amount);
    });
  }

  void(merchantId: string, id: string): ClearhausReply {
    return this.operate(merchantId, id, (authorization) => {
      if (authorization.code !== 20000 && authorization.code !== 50000) {
        refuse(40000, 'only approved (or 50000) authorizations can be voided');
      }
      if (authorization.voids.length > 0) refuse(40000, 'authorization is already voided');
      if (authorization.captures.length > 0) refuse(40000, 'authorization is captured');
      if (Date.now() - Date.parse(authorization.processedAt) >= 30 * 86_400_000) {
        refuse(40000, 'authorization is 30 days or older');
      }
      return record(authorization.voids, authorization.amount);
    });
  }

  private createAuthorization(merchantId: string, params: Params): ClearhausReply {
    const amountText = params.get('amount');
    if (amountText === null) refuse(40000, "parameter 'amount' is required");
    if (!AMOUNT.test(amountText!)) refuse(40000, "parameter 'amount' is invalid");
    const amount = Number(amountText);
    const currency = params.get('currency');
    if (currency === null) refuse(40000, "parameter 'currency' is required");
    if (!/^[A-Z]{3}$/.test(currency!) || !CLEARHAUS_CURRENCIES.has(currency!)) {
      refuse(40140, "parameter 'currency' is invalid");
    }
    const reference = params.get('reference');
    if (reference !== null && !PRINTABLE(1, 30).test(reference)) {
      refuse(40000, "parameter 'reference' is invalid");
    }
    this.statement(params);
    const methods = METHODS.filter((m) => [...params.keys()].some((k) => k.startsWith(`${m}[`)));
    if (methods.length !== 1) refuse(40000, 'exactly one payment method must be used');
    if (methods[0] !== MP) refuse(40000, `payment method '${methods[0]}' is not available here`);
    const card = this.mobilePayOnline(params);
    const threeDSecure = this.threeDSecure(params, card.scheme);
    const pan = card.tokenized ? (this.vault.panOf(card.pan) ?? card.pan) : card.pan;
    // 40416 asks for additional authentication (an amount-selected test code, or a card registered
    // as SCA-required): a successful 3-D Secure result provides it.
    const status = testCardStatus(pan, amount);
    const wantsSca = status === 40416 || this.store.scaRequiredPans.has(pan);
    const code = threeDSecure?.failed ? 40310 : wantsSca ? (threeDSecure ? 20000 : 40416) : status;
    const authorization: ClearhausAuthorization = {
      id: randomUUID(),
      merchantId,
      amount,
      currency: currency!,
      reference,
      code,
      processedAt: new Date().toISOString(),
      maskedPan: `${card.pan.slice(0, 6)}${'*'.repeat(card.pan.length - 10)}${card.pan.slice(-4)}`,
      tokenized: card.tokenized,
      threeDSecure: threeDSecure
        ? { version: threeDSecure.version, status: threeDSecure.status }
        : null,
      ...(threeDSecure ? { threeDSecureMessage: threeDSecure.kind } : {}),
      captures: [],
      refunds: [],
      voids: [],
    };
    this.store.authorizations.set(authorization.id, authorization);
    return { httpStatus: 201, body: authorizationView(authorization) };
  }

  private mobilePayOnline(params: Params): { pan: string; scheme: string; tokenized: boolean } {
    const pan = params.get(`${MP}[pan]`);
    if (pan === null || !/^[0-9]{12,19}$/.test(pan))
      refuse(40110, `parameter '${MP}[pan]' is invalid`);
    const month = params.get(`${MP}[expire_month]`);
    const year = params.get(`${MP}[expire_year]`);
    if (month === null || !/^[0-9]{2}$/.test(month) || Number(month) < 1 || Number(month) > 12) {
      refuse(40130, `parameter '${MP}[expire_month]' is invalid`);
    }
    if (year === null || !/^[0-9]{4}$/.test(year))
      refuse(40130, `parameter '${MP}[expire_year]' is invalid`);
    if (expired(Number(month), Number(year))) refuse(40135, 'card expired');
    const phone = params.get(`${MP}[phone_number]`);
    if (phone !== null && !PRINTABLE(1, 15).test(phone))
      refuse(40000, `parameter '${MP}[phone_number]' is invalid`);
    const token = params.get(`${MP}[payment_token]`);
    if (token !== null) checkPaymentToken(token, pan!);
    const scheme = schemeOf(this.vault.panOf(pan!) ?? pan!) ?? schemeOf(pan!);
    if (!scheme) refuse(40111, 'unsupported card scheme');
    return { pan: pan!, scheme: scheme!, tokenized: token !== null };
  }

  /** `[3dsecure][v2]`: exactly one of `ares`, `rreq`, `raw`; raw values by the documented rules. */
  private threeDSecure(
    params: Params,
    scheme: string,
  ): { version: string; status: string; failed: boolean; kind: string } | undefined {
    const prefix = `${MP}[3dsecure]`;
    const keys = [...params.keys()].filter((k) => k.startsWith(prefix));
    if (keys.length === 0) return undefined;
    const v2 = `${prefix}[v2]`;
    if (keys.some((k) => !k.startsWith(v2)))
      refuse(40300, 'only 3-D Secure version 2 is supported');
    const kinds = new Set(
      keys.map((k) => /^[^[]*\[3dsecure\]\[v2\]\[(ares|rreq|raw)\]/.exec(k)?.[1] ?? 'other'),
    );
    if (kinds.has('other') || kinds.size !== 1)
      refuse(40300, 'exactly one of ares, rreq and raw may be present');
    const kind = [...kinds][0];
    if (kind !== 'raw') {
      const message = parseJson(params.get(`${v2}[${kind}]`)!);
      if (!message) refuse(40300, `[3dsecure][v2][${kind}] is not JSON`);
      const status = typeof message!.transStatus === 'string' ? message!.transStatus : '';
      return {
        version: typeof message!.messageVersion === 'string' ? message!.messageVersion : '',
        status,
        failed: status !== 'Y' && status !== 'A',
        kind,
      };
    }
    const raw = (name: string) => params.get(`${v2}[raw][${name}]`);
    const status = raw('trans_status');
    if (status === null || !/^[A-Z]$/.test(status)) refuse(40300, '[raw][trans_status] is invalid');
    const version = raw('message_version');
    if (version === null || !/^2[.][0-9][.][0-9]$/.test(version))
      refuse(40300, '[raw][message_version] is invalid');
    const type = raw('message_type');
    if (type === null || !/^(ARes|RReq)$/.test(type))
      refuse(40300, '[raw][message_type] is invalid');
    const needsValues = scheme === 'visa' || ['Y', 'A', 'I', 'U'].includes(status!);
    const eci = raw('eci');
    const av = raw('av');
    if (eci !== null ? !/^[0-9]{2}$/.test(eci) : needsValues)
      refuse(40300, '[raw][eci] is invalid or missing');
    if (av !== null ? !BASE64_28.test(av) : needsValues)
      refuse(40300, '[raw][av] is invalid or missing');
    const authenticationType = raw('authentication_type');
    if (authenticationType !== null && !/^[0-9]{2}$/.test(authenticationType)) {
      refuse(40300, '[raw][authentication_type] is invalid');
    }
    const dsTransId = raw('ds_trans_id');
    if (dsTransId !== null ? !UUID_V4.test(dsTransId) : scheme === 'mastercard') {
      refuse(40300, '[raw][ds_trans_id] is invalid or missing');
    }
    return {
      version: version!,
      status: status!,
      failed: status !== 'Y' && status !== 'A',
      kind: 'raw',
    };
  }

  private statement(params: Params): void {
    const text = params.get('text_on_statement');
    if (text !== null && !validTextOnStatement(text))
      refuse(40150, "parameter 'text_on_statement' is invalid");
  }

  /** "The full or remaining amount … if no amount is given." */
  private operationAmount(params: Params, remaining: number): number {
    const text = params.get('amount');
    if (text === null) return remaining > 0 ? remaining : refuse(40000, 'nothing remains');
    if (!OPERATION_AMOUNT.test(text)) refuse(40000, "parameter 'amount' is invalid");
    return Number(text);
  }

  private operate(
    merchantId: string,
    id: string,
    act: (authorization: ClearhausAuthorization) => ClearhausTransaction,
  ): ClearhausReply {
    const authorization = this.owned(merchantId, id);
    if (!authorization) return notFound();
    try {
      const transaction = act(authorization);
      return { httpStatus: 201, body: transactionView(transaction, authorization) };
    } catch (error) {
      if (error instanceof Refusal) return inputError(error);
      throw error;
    }
  }

  private owned(merchantId: string, id: string): ClearhausAuthorization | undefined {
    const authorization = this.store.authorizations.get(id);
    return authorization?.merchantId === merchantId ? authorization : undefined;
  }
}

/** "If payment_token parameter is included, the pan must be a Token PAN" — the token's own. */
function checkPaymentToken(token: string, pan: string): void {
  const callback = parseJson(token);
  if (!callback) refuse(40000, `parameter '${MP}[payment_token]' is not JSON`);
  const data = (callback!.tokenData ?? {}) as {
    tokenInfo?: { token?: unknown };
    token?: { paymentToken?: unknown };
  };
  const tokenPan = data.tokenInfo?.token ?? data.token?.paymentToken;
  if (tokenPan !== pan) refuse(40000, `'${MP}[pan]' must be the token PAN of the payment token`);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function sum(transactions: readonly ClearhausTransaction[]): number {
  return transactions.reduce((total, t) => total + t.amount, 0);
}

function record(list: ClearhausTransaction[], amount: number): ClearhausTransaction {
  const transaction = {
    id: randomUUID(),
    amount,
    code: 20000,
    processedAt: new Date().toISOString(),
  };
  list.push(transaction);
  return transaction;
}

function authorizationView(authorization: ClearhausAuthorization): Record<string, unknown> {
  const self = `/authorizations/${authorization.id}`;
  return {
    id: authorization.id,
    status: { code: authorization.code },
    processed_at: authorization.processedAt,
    ...(authorization.threeDSecure ? { '3dsecure': authorization.threeDSecure } : {}),
    _links: {
      captures: { href: `${self}/captures` },
      refunds: { href: `${self}/refunds` },
      voids: { href: `${self}/voids` },
    },
  };
}

function transactionView(
  transaction: ClearhausTransaction,
  authorization: ClearhausAuthorization,
): Record<string, unknown> {
  return {
    id: transaction.id,
    status: { code: transaction.code },
    processed_at: transaction.processedAt,
    amount: transaction.amount,
    _links: { authorization: { href: `/authorizations/${authorization.id}` } },
  };
}

function inputError(refusal: Refusal): ClearhausReply {
  return { httpStatus: 400, body: { status: { code: refusal.code, message: refusal.message } } };
}

function notFound(): ClearhausReply {
  return { httpStatus: 404, body: { status: { code: 40000, message: 'not found' } } };
}
