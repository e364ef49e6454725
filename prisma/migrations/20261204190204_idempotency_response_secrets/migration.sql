-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN     "responseSecrets" TEXT;

-- Responses stored before secrets were sealed: their secrets are withheld ("[sealed]" with no
-- envelope). A replay of such a key answers idempotency_secret_unavailable instead of the secret;
-- nothing the first request created is run again.
UPDATE "IdempotencyRecord"
SET "responseBody" = regexp_replace(
      "responseBody"::text,
      '"(?:[^"\\]|\\.)*(?:psk_|whsec_)(?:[^"\\]|\\.)*"',
      '"[sealed]"',
      'g'
    )::jsonb
WHERE "responseBody"::text ~ '(psk_|whsec_)';
