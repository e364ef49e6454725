import { createHmac, randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  LEGACY_SIGNATURE_HEADER,
  STANDARD_SIGNATURE_HEADER,
  webhookSignatureHeaders,
} from './webhook-signature';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ id: 'evt', type: 'payment.authorized', data: { amount: 1_000 } });
const now = () => Math.floor(Date.now() / 1000);

describe('webhook signatures', () => {
  it('are verified by the Standard Webhooks library with the secret as issued', () => {
    const current = secret();
    const headers = webhookSignatureHeaders([current], 'evt-1', body, now());
    expect(headers['webhook-id']).toBe('evt-1');
    expect(headers[STANDARD_SIGNATURE_HEADER]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fail verification under another secret, another body, another id or an old timestamp', () => {
    const current = secret();
    const headers = webhookSignatureHeaders([current], 'evt-1', body, now());
    expect(() => new Webhook(secret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(current).verify(body, { ...headers, 'webhook-id': 'evt-2' })).toThrow(
      WebhookVerificationError,
    );
    const old = webhookSignatureHeaders([current], 'evt-1', body, now() - 600);
    expect(() => new Webhook(current).verify(body, old)).toThrow('Message timestamp too old');
  });

  it('carry one signature per live secret during a rotation: either secret verifies', () => {
    const [next, previous] = [secret(), secret()];
    const headers = webhookSignatureHeaders([next, previous], 'evt-1', body, now());
    expect(headers[STANDARD_SIGNATURE_HEADER].split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers)).toBeDefined();
    expect(new Webhook(previous).verify(body, headers)).toBeDefined();
    expect(() => new Webhook(secret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('sign a secret issued in base64url before this scheme with its decoded bytes', () => {
    const bytes = randomBytes(32);
    const legacy = `whsec_${bytes.toString('base64url')}`;
    const headers = webhookSignatureHeaders([legacy], 'evt-1', body, now());
    // The libraries read standard base64: the same bytes in that alphabet verify.
    expect(new Webhook(bytes.toString('base64')).verify(body, headers)).toBeDefined();
  });

  it('keep the deprecated header: t and one hex HMAC of "<t>.<body>" per secret, keyed with the whole secret', () => {
    const [next, previous] = [secret(), secret()];
    const t = now();
    const header = webhookSignatureHeaders([next, previous], 'evt-1', body, t)[
      LEGACY_SIGNATURE_HEADER
    ];
    const mac = (key: string) => createHmac('sha256', key).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${mac(next)},v1=${mac(previous)}`);
  });

  it('refuse to sign without a secret', () => {
    expect(() => webhookSignatureHeaders([], 'evt-1', body, now())).toThrow();
  });
});
