/**
 * The PSP's 3-D Secure server, behind an interface: the gateway's challenge page drives it, a real
 * deployment plugs in its 3DS server (EMV 3DS via a provider), the sandbox uses its simulator.
 */
export interface ChallengeRequest {
  attemptId: string;
  amount: bigint;
  currency: string;
  merchantName: string;
  cardType: string;
}

export type ChallengeOutcome =
  | {
      status: 'authenticated';
      cryptogram: string;
      eci: string;
      version: string;
      transactionId: string;
    }
  | { status: 'failed'; reason: string };

export interface ThreeDsServer {
  /** Completes the challenge with what the cardholder did on the page. */
  complete(request: ChallengeRequest, cardholderApproved: boolean): Promise<ChallengeOutcome>;
}

export const THREE_DS_SERVER = Symbol('THREE_DS_SERVER');

/** The acquirer simulator's 3DS step (`POST /acquirer/v1/3ds/authentications`). */
export class SimulatorThreeDsServer implements ThreeDsServer {
  constructor(private readonly options: { baseUrl: string; timeoutMs: number }) {}

  async complete(
    request: ChallengeRequest,
    cardholderApproved: boolean,
  ): Promise<ChallengeOutcome> {
    try {
      const response = await fetch(`${this.options.baseUrl}/acquirer/v1/3ds/authentications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          reference: request.attemptId,
          amount: Number(request.amount),
          currency: request.currency,
          outcome: cardholderApproved ? 'approve' : 'reject',
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!response.ok)
        return { status: 'failed', reason: `3DS server answered ${response.status}` };
      const body = (await response.json()) as {
        transStatus?: string;
        authenticationValue?: string;
        eci?: string;
        messageVersion?: string;
        dsTransID?: string;
      };
      if (body.transStatus !== 'Y' || !body.authenticationValue || !body.eci) {
        return {
          status: 'failed',
          reason: `authentication status ${body.transStatus ?? 'unknown'}`,
        };
      }
      return {
        status: 'authenticated',
        cryptogram: body.authenticationValue,
        eci: body.eci,
        version: body.messageVersion ?? '2.2.0',
        transactionId: body.dsTransID ?? request.attemptId,
      };
    } catch {
      return { status: 'failed', reason: '3DS server unreachable' };
    }
  }
}
