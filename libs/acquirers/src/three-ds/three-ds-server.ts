import type {
  AuthRequest,
  AuthResult,
  PostauthResult,
  PreauthResult,
} from './3dsecure-io/three-ds-server-client';

/**
 * The PSP's EMV 3-D Secure Server, behind an interface: the gateway's challenge page drives it;
 * a deployment configures 3dsecure.io (THREE_DS_SERVER_*), the sandbox points that at its
 * simulator. Without a configured server every authentication fails.
 */
export interface ThreeDsServer {
  readonly configured: boolean;
  preauth(acctNumber: string): Promise<PreauthResult>;
  auth(request: AuthRequest): Promise<AuthResult>;
  postauth(threeDSServerTransID: string): Promise<PostauthResult>;
}

export const THREE_DS_SERVER = Symbol('THREE_DS_SERVER');

const UNCONFIGURED = '3-D Secure server not configured (THREE_DS_SERVER_API_KEY)';

export class UnconfiguredThreeDsServer implements ThreeDsServer {
  readonly configured = false;
  preauth(): Promise<PreauthResult> {
    return Promise.resolve({ kind: 'failed', error: UNCONFIGURED });
  }
  auth(): Promise<AuthResult> {
    return Promise.resolve({ kind: 'failed', error: UNCONFIGURED });
  }
  postauth(): Promise<PostauthResult> {
    return Promise.resolve({ kind: 'failed', error: UNCONFIGURED });
  }
}
