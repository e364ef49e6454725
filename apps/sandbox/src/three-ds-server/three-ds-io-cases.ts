/**
 * The 3dsecure.io sandbox's test cases, selected by the last four digits of `acctNumber`
 * (documented table): 1st digit the message versions, 2nd the 3DS Method, 3rd the ARes, 4th the
 * challenge. `9000100111111111` is the not-enrolled card. Anything else is an error.
 */
export const NOT_ENROLLED_PAN = '9000100111111111';

export type MessageVersion = '2.1.0' | '2.2.0' | '2.3.1';
export type MethodCase = 'included' | 'missing' | 'timeout';
export type AresCase =
  | { kind: 'frictionless'; transStatus: 'Y' | 'N' | 'A' | 'R' | 'I' | 'U' }
  | { kind: 'ds-timeout' }
  | { kind: 'challenge'; challenge: 'auto-pass' | 'auto-fail' | 'manual' };

export interface SandboxCase {
  /** ACS protocol range of the card range. */
  acsVersions: MessageVersion[];
  method: MethodCase;
  ares: AresCase;
}

const VERSIONS: Record<string, MessageVersion[]> = {
  '0': ['2.1.0', '2.2.0', '2.3.1'],
  '1': ['2.1.0'],
  '2': ['2.2.0'],
  '3': ['2.3.1'],
};
const METHODS: Record<string, MethodCase> = { '0': 'included', '1': 'missing', '2': 'timeout' };
const FRICTIONLESS = ['Y', 'N', 'A', 'R', 'I', 'U'] as const;
const CHALLENGES = ['auto-pass', 'auto-fail', 'manual'] as const;

export function sandboxCase(acctNumber: string): SandboxCase | undefined {
  const [v, m, a, c] = acctNumber.slice(-4);
  const acsVersions = VERSIONS[v];
  const method = METHODS[m];
  if (!acsVersions || !method) return undefined;
  let ares: AresCase | undefined;
  if (a === '7') {
    const challenge = CHALLENGES[Number(c)];
    if (c.length === 1 && challenge) ares = { kind: 'challenge', challenge };
  } else if (c === '3') {
    const index = Number(a);
    if (index >= 0 && index <= 5) ares = { kind: 'frictionless', transStatus: FRICTIONLESS[index] };
    if (index === 6) ares = { kind: 'ds-timeout' };
  }
  return ares ? { acsVersions, method, ares } : undefined;
}
