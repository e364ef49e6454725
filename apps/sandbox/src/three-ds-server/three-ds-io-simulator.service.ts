import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { NetworkTokenVaultStore } from '../mobilepay/network-token-vault.store';
import {
  NOT_ENROLLED_PAN,
  sandboxCase,
  type MessageVersion,
  type SandboxCase,
} from './three-ds-io-cases';

/** The sandbox's API key (the `APIKey` header); any other key is "Invalid API Key". */
export const THREE_DS_IO_TEST_API_KEY = '3d5ec0de-0a0b-4c1d-8e2f-5a6b7c8d9e0f';

/** `threeDSServerTransID` from `/preauth` is usable by `/auth` for 80 s. */
const TRANS_ID_LIFETIME_MS = 80_000;
/** The CReq must be posted within 30 s of the ARes. */
const CHALLENGE_START_MS = 30_000;
/** The authentication result is kept 300 s for `/postauth`. */
const RESULT_LIFETIME_MS = 300_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXCLUDED_CURRENCIES = new Set([
  '955',
  '956',
  '957',
  '958',
  '959',
  '960',
  '961',
  '962',
  '963',
  '964',
  '999',
]);
const COLOR_DEPTHS = new Set(['1', '4', '8', '15', '16', '24', '32', '48']);

export interface ThreeDsIoTransaction {
  threeDSServerTransID: string;
  acctNumber: string;
  testCase: SandboxCase;
  createdAt: number;
  messageVersion?: MessageVersion;
  methodInvoked: boolean;
  methodNotified: boolean;
  areq?: Record<string, unknown>;
  ares?: Record<string, unknown>;
  aresAt?: number;
  acsTransID?: string;
  dsTransID?: string;
  challengeStarted: boolean;
  challenge?: {
    transStatus: 'Y' | 'N';
    cancelled: boolean;
    at: number;
    rreq: Record<string, unknown>;
  };
}

export interface ThreeDsIoReply {
  status: number;
  body: Record<string, unknown>;
}

class ValidationError extends Error {
  constructor(
    readonly errorCode: string,
    readonly field: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const missing = (field: string) => new ValidationError('201', field, 'Required element missing');
const invalid = (field: string) =>
  new ValidationError('203', field, 'Format or value of one or more elements is invalid');

function scheme(pan: string): 'visa' | 'mastercard' | 'other' {
  if (pan.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(pan)) return 'mastercard';
  return 'other';
}

const av = () => randomBytes(20).toString('base64');

/**
 * The 3dsecure.io 3-D Secure Server sandbox: `/preauth`, `/auth`, `/postauth` with the documented
 * test cases, and the stand-in ACS (3DS Method and browser challenge). Input is validated as the
 * docs say the sandbox does ("according to the specification"): a missing required element is
 * Erro 201, a wrong format or value (a `messageVersion` the card range does not support, a
 * `threeDSCompInd` that does not match what the 3DS Method did) Erro 203, an unknown or expired
 * `threeDSServerTransID` Erro 203 "Unknown threeDSServerTransID".
 */
@Injectable()
export class ThreeDsIoSimulatorService {
  readonly transactions = new Map<string, ThreeDsIoTransaction>();
  private readonly byAcsTransID = new Map<string, string>();

  /**
   * A network token (the ePayment simulator's card callbacks carry tokens) is judged as the card
   * it stands for, as a Directory Server maps a payment token to its funding PAN for the ACS.
   */
  constructor(@Optional() private readonly vault?: NetworkTokenVaultStore) {}

  preauth(body: Record<string, unknown>, acsBase: string): ThreeDsIoReply {
    const acctNumber = body.acctNumber;
    if (typeof acctNumber !== 'string') return this.erro(missing('acctNumber'), 'PReq');
    if (!/^[0-9]{13,19}$/.test(acctNumber)) return this.erro(invalid('acctNumber'), 'PReq');
    if (acctNumber === NOT_ENROLLED_PAN) {
      return {
        status: 200,
        body: {
          messageType: 'Erro',
          errorCode: '305',
          errorComponent: 'S',
          errorDescription: 'Unknown BIN',
          errorDetail: `No CRD found, card with BIN ****** is not enrolled with any known DS`,
          messageVersion: '2.2.0',
        },
      };
    }
    const testCase = sandboxCase(this.vault?.panOf(acctNumber) ?? acctNumber);
    if (!testCase) return this.erro(invalid('acctNumber'), 'PReq');
    const threeDSServerTransID = randomUUID();
    this.transactions.set(threeDSServerTransID, {
      threeDSServerTransID,
      acctNumber,
      testCase,
      createdAt: Date.now(),
      methodInvoked: false,
      methodNotified: false,
      challengeStarted: false,
    });
    const versions = testCase.acsVersions;
    const methodURL = testCase.method === 'missing' ? undefined : `${acsBase}/acs/method`;
    return {
      status: 200,
      body: {
        dsProtocolVersions: ['2.1.0', '2.2.0', '2.3.1'],
        dsStartProtocolVersion: '2.1.0',
        dsEndProtocolVersion: '2.3.1',
        acsProtocolVersions: versions.map((version) => ({
          acsInfoInd: ['01', '02'],
          ...(methodURL ? { threeDSMethodURL: methodURL } : {}),
          version,
        })),
        acsStartProtocolVersion: versions[0],
        acsEndProtocolVersion: versions[versions.length - 1],
        acsInfoInd: ['01', '02'],
        threeDSServerProtocolVersions: ['2.1.0', '2.2.0', '2.3.1'],
        ...(methodURL ? { threeDSMethodURL: methodURL } : {}),
        threeDSServerTransID,
        scheme: scheme(acctNumber),
        messageType: 'CRD',
      },
    };
  }

  auth(body: Record<string, unknown>, acsBase: string): ThreeDsIoReply {
    let txn: ThreeDsIoTransaction;
    try {
      txn = this.validateAReq(body);
    } catch (error) {
      if (error instanceof ValidationError) return this.erro(error, 'AReq', body);
      throw error;
    }
    const version = body.messageVersion as MessageVersion;
    txn.messageVersion = version;
    txn.areq = { ...body, acctNumber: masked(txn.acctNumber) };
    const outcome = txn.testCase.ares;
    const common = {
      acsOperatorID: '3dsecureio-standin-acs',
      acsReferenceNumber: '3dsecureio-standin-acs',
      dsReferenceNumber: '3dsecureio-standin-ds',
      messageType: 'ARes',
      messageVersion: version,
      threeDSServerTransID: txn.threeDSServerTransID,
    };
    if (outcome.kind === 'ds-timeout') {
      this.transactions.delete(txn.threeDSServerTransID);
      return {
        status: 200,
        body: {
          errorCode: '405',
          errorComponent: 'S',
          errorDescription: 'Unable to contact Directory Server',
          errorDetail: 'Connection timeout',
          errorMessageType: 'AReq',
          messageType: 'Erro',
          messageVersion: version,
          threeDSServerTransID: txn.threeDSServerTransID,
        },
      };
    }
    txn.acsTransID = randomUUID();
    txn.dsTransID = randomUUID();
    txn.aresAt = Date.now();
    this.byAcsTransID.set(txn.acsTransID, txn.threeDSServerTransID);
    const ids = { acsTransID: txn.acsTransID, dsTransID: txn.dsTransID };
    let ares: Record<string, unknown>;
    if (outcome.kind === 'challenge') {
      ares = {
        ...common,
        ...ids,
        acsChallengeMandated: 'N',
        acsURL: `${acsBase}/acs/challenge`,
        authenticationType: '01',
        transStatus: 'C',
      };
    } else {
      const status = outcome.transStatus;
      const authenticated = status === 'Y' || status === 'A';
      ares = {
        ...common,
        ...ids,
        transStatus: status,
        ...(authenticated
          ? { authenticationValue: av(), eci: eciFor(txn.acctNumber, status) }
          : { transStatusReason: '01' }),
      };
    }
    txn.ares = ares;
    return { status: 200, body: ares };
  }

  postauth(body: Record<string, unknown>): ThreeDsIoReply {
    const id = body.threeDSServerTransID;
    if (typeof id !== 'string') return this.erro(missing('threeDSServerTransID'), 'RReq');
    const txn = this.transactions.get(id);
    const challenge = txn?.challenge;
    if (!txn || !challenge || Date.now() - challenge.at > RESULT_LIFETIME_MS) {
      return this.erro(
        new ValidationError('203', 'Unknown threeDSServerTransID', 'Unknown threeDSServerTransID'),
        'RReq',
        body,
      );
    }
    return { status: 200, body: challenge.rreq };
  }

  /** The 3DS Method page was loaded with this transaction's data. */
  methodInvoked(threeDSServerTransID: string): ThreeDsIoTransaction | undefined {
    const txn = this.transactions.get(threeDSServerTransID);
    if (txn) txn.methodInvoked = true;
    return txn;
  }

  methodNotified(threeDSServerTransID: string): void {
    const txn = this.transactions.get(threeDSServerTransID);
    if (txn) txn.methodNotified = true;
  }

  /** A CReq arrived at the ACS: the transaction it continues, or why it is refused. */
  startChallenge(creq: Record<string, unknown>): ThreeDsIoTransaction | string {
    const txn =
      typeof creq.acsTransID === 'string'
        ? this.transactions.get(this.byAcsTransID.get(creq.acsTransID) ?? '')
        : undefined;
    if (creq.messageType !== 'CReq') return 'messageType must be CReq';
    if (!txn || txn.ares?.transStatus !== 'C') return 'unknown acsTransID';
    if (creq.threeDSServerTransID !== txn.threeDSServerTransID)
      return 'threeDSServerTransID does not match';
    if (creq.messageVersion !== txn.messageVersion) return 'messageVersion does not match';
    if (typeof creq.challengeWindowSize !== 'string' || !/^0[1-5]$/.test(creq.challengeWindowSize))
      return 'challengeWindowSize is invalid';
    if (txn.challenge) return 'the challenge is finished';
    if (!txn.challengeStarted && Date.now() - (txn.aresAt ?? 0) > CHALLENGE_START_MS)
      return 'the challenge was not started within 30 seconds';
    txn.challengeStarted = true;
    return txn;
  }

  /** The cardholder's answer (or the automatic one); returns the CRes. */
  finishChallenge(
    acsTransID: string,
    approved: boolean,
    cancelled = false,
  ): { txn: ThreeDsIoTransaction; cres: Record<string, unknown> } | undefined {
    const txn = this.transactions.get(this.byAcsTransID.get(acsTransID) ?? '');
    if (!txn?.challengeStarted || txn.challenge) return undefined;
    const transStatus = approved ? 'Y' : 'N';
    const rreq: Record<string, unknown> = {
      messageType: 'RReq',
      messageVersion: txn.messageVersion,
      messageCategory: '01',
      threeDSServerTransID: txn.threeDSServerTransID,
      acsTransID: txn.acsTransID,
      dsTransID: txn.dsTransID,
      authenticationType: '01',
      interactionCounter: '01',
      transStatus,
      ...(approved
        ? { authenticationValue: av(), eci: eciFor(txn.acctNumber, 'Y') }
        : { transStatusReason: '01', ...(cancelled ? { challengeCancel: '01' } : {}) }),
    };
    txn.challenge = { transStatus, cancelled, at: Date.now(), rreq };
    return {
      txn,
      cres: {
        acsTransID: txn.acsTransID,
        challengeCompletionInd: 'Y',
        messageType: 'CRes',
        messageVersion: txn.messageVersion,
        threeDSServerTransID: txn.threeDSServerTransID,
        transStatus,
      },
    };
  }

  private validateAReq(body: Record<string, unknown>): ThreeDsIoTransaction {
    const text = (field: string, pattern?: RegExp, required = true): string | undefined => {
      const value = body[field];
      if (value === undefined || value === '') {
        if (required) throw missing(field);
        return undefined;
      }
      if (typeof value !== 'string' || (pattern && !pattern.test(value))) throw invalid(field);
      return value;
    };
    const bool = (field: string) => {
      if (body[field] === undefined) throw missing(field);
      if (typeof body[field] !== 'boolean') throw invalid(field);
    };
    const id = text('threeDSServerTransID', UUID)!;
    const txn = this.transactions.get(id);
    if (!txn || Date.now() - txn.createdAt > TRANS_ID_LIFETIME_MS || txn.ares) {
      throw new ValidationError('203', 'threeDSServerTransID', 'Unknown threeDSServerTransID');
    }
    if (text('messageType') !== 'AReq') throw invalid('messageType');
    const version = text('messageVersion', /^2\.[0-9]\.[0-9]$/)!;
    if (!(txn.testCase.acsVersions as string[]).includes(version)) throw invalid('messageVersion');
    if (text('deviceChannel', /^0[1-3]$/) !== '02') throw invalid('deviceChannel');
    text('messageCategory', /^0[12]$/);
    if (text('acctNumber', /^[0-9]{13,19}$/) !== txn.acctNumber) throw invalid('acctNumber');
    const compInd = text('threeDSCompInd', /^[YNU]$/)!;
    const expected = txn.testCase.method === 'missing' ? ['U'] : txn.methodNotified ? ['Y'] : ['N'];
    if (!expected.includes(compInd)) throw invalid('threeDSCompInd');
    text('threeDSRequestorAuthenticationInd', /^0[1-6]$/);
    text('threeDSRequestorURL', /^https?:\/\/\S{1,2040}$/);
    text('notificationURL', /^https?:\/\/\S{1,250}$/);
    text('acquirerBIN', /^[0-9A-Za-z]{1,11}$/);
    text('acquirerMerchantID', /^[\x20-\x7E]{1,35}$/);
    text('mcc', /^[0-9]{4}$/);
    const country = text('merchantCountryCode', /^[0-9]{3}$/)!;
    if (Number(country) >= 901) throw invalid('merchantCountryCode');
    text('merchantName', /^[\x20-\x7E]{1,40}$/);
    text('cardExpiryDate', /^[0-9]{2}(0[1-9]|1[0-2])$/, false);
    text('purchaseAmount', /^[0-9]{1,48}$/);
    const currency = text('purchaseCurrency', /^[0-9]{3}$/)!;
    if (EXCLUDED_CURRENCIES.has(currency)) throw invalid('purchaseCurrency');
    text('purchaseExponent', /^[0-9]$/);
    text(
      'purchaseDate',
      /^20[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])([01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]$/,
    );
    text('transType', /^(01|03|10|11|28)$/, false);
    text('browserAcceptHeader', /^[\x20-\x7E]{1,2048}$/);
    text('browserIP', /^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9a-fA-F:]{2,45})$/);
    bool('browserJavaEnabled');
    if (version !== '2.1.0') bool('browserJavascriptEnabled');
    text('browserLanguage', /^[A-Za-z0-9-]{1,8}$/);
    const depth = text('browserColorDepth')!;
    if (!COLOR_DEPTHS.has(depth)) throw invalid('browserColorDepth');
    text('browserScreenHeight', /^[0-9]{1,6}$/);
    text('browserScreenWidth', /^[0-9]{1,6}$/);
    text('browserTZ', /^[+-]?[0-9]{1,4}$/);
    text('browserUserAgent', /^[\x20-\x7E]{1,2048}$/);
    if (
      txn.testCase.ares.kind === 'frictionless' &&
      txn.testCase.ares.transStatus === 'I' &&
      version === '2.1.0'
    )
      throw invalid('messageVersion');
    return txn;
  }

  private erro(
    error: ValidationError,
    messageType: string,
    body?: Record<string, unknown>,
  ): ThreeDsIoReply {
    const id = body?.threeDSServerTransID;
    return {
      status: 400,
      body: {
        messageType: 'Erro',
        errorCode: error.errorCode,
        errorComponent: 'S',
        errorDescription: error.description,
        errorDetail: error.field,
        errorMessageType: messageType,
        messageVersion: typeof body?.messageVersion === 'string' ? body.messageVersion : '2.2.0',
        ...(typeof id === 'string' ? { threeDSServerTransID: id } : {}),
      },
    };
  }
}

/** Visa: 05 authenticated, 06 attempted; Mastercard: 02 and 01. */
function eciFor(pan: string, status: 'Y' | 'A'): string {
  const mastercard = scheme(pan) === 'mastercard';
  if (status === 'Y') return mastercard ? '02' : '05';
  return mastercard ? '01' : '06';
}

export function masked(pan: string): string {
  return `${pan.slice(0, 6)}${'*'.repeat(Math.max(pan.length - 10, 0))}${pan.slice(-4)}`;
}
