import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Capability tokens for links we hand out (the 3-D Secure challenge page): an HMAC over the
 * purpose and id, under a key derived from the seal key, so no second secret needs managing and
 * a token for one attempt or purpose is worthless for any other.
 */
export class LinkSigner {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', secret, Buffer.alloc(0), 'psp-gateway link tokens v1', 32),
    );
  }

  sign(purpose: string, id: string): string {
    return createHmac('sha256', this.key).update(`${purpose}:${id}`).digest('base64url');
  }

  verify(purpose: string, id: string, token: string): boolean {
    const expected = Buffer.from(this.sign(purpose, id));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
