import { contentSha256, signRequest, verifyRequest } from './epayment-signature';

// The official test vector of the Webhooks API (request-authentication.md).
const secret =
  'A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==';
const body = '{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}';
const request = {
  method: 'POST',
  pathAndQuery: '/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63',
  host: 'webhook.site',
  date: 'Thu, 30 Mar 2023 08:38:32 GMT',
  body,
};
const vectorHash = 'lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=';
const vectorAuthorization =
  'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=';

describe('ePayment request signature', () => {
  it('reproduces the official content hash and signature', () => {
    expect(contentSha256(body)).toBe(vectorHash);
    const headers = signRequest(secret, request);
    expect(headers['x-ms-content-sha256']).toBe(vectorHash);
    expect(headers.authorization).toBe(vectorAuthorization);
  });

  const received = (over: Partial<Parameters<typeof verifyRequest>[1]> = {}) => ({
    ...request,
    contentSha256: vectorHash,
    authorization: vectorAuthorization,
    ...over,
  });
  const at = Date.parse(request.date);

  it('accepts the vector and refuses every altered part', () => {
    expect(verifyRequest(secret, received(), 60_000, at)).toEqual({ ok: true });
    expect(verifyRequest(secret, received({ body: `${body} ` }), 0, at)).toEqual({
      ok: false,
      reason: 'content_hash_mismatch',
    });
    expect(verifyRequest(`${secret}x`, received(), 0, at)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyRequest(secret, received({ host: 'evil.example' }), 0, at).ok).toBe(false);
    expect(verifyRequest(secret, received({ pathAndQuery: '/other' }), 0, at).ok).toBe(false);
    expect(verifyRequest(secret, received({ authorization: undefined }), 0, at)).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
  });

  it('refuses a replay outside the allowed clock skew', () => {
    expect(verifyRequest(secret, received(), 60_000, at + 61_000)).toEqual({
      ok: false,
      reason: 'stale_date',
    });
    expect(verifyRequest(secret, received(), 0, at + 10 * 86_400_000)).toEqual({ ok: true });
  });
});
