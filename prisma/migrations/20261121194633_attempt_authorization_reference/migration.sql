-- Our reference of the standing authorization at the acquirer. After 3-D Secure the approval is
-- the re-authorization, sent as "<attempt id>.3ds", and captures, cancels and refunds act on it.
ALTER TABLE "AuthorizationAttempt" ADD COLUMN "authorizationReference" TEXT;

-- Approvals recorded before this column: after 3-D Secure when the attempt passed through
-- THREE_DS_AUTHENTICATED, otherwise the first authorization.
UPDATE "AuthorizationAttempt" AS a
SET "authorizationReference" = CASE
  WHEN EXISTS (
    SELECT 1 FROM "AttemptStatusChange" AS c
    WHERE c."attemptId" = a."id" AND c."toStatus" = 'THREE_DS_AUTHENTICATED'
  ) THEN a."id"::text || '.3ds'
  ELSE a."id"::text
END
WHERE a."authorizedAt" IS NOT NULL;
