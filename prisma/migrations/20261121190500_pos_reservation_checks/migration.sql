-- Reservations already standing when reservation checks were introduced get their look too:
-- a payment just after it runs out (paymentExpiresAt, else 7 days from now), a refund 24 hours
-- after it was created. The worker's janitor polls rows whose nextPollAt has passed.
UPDATE "PosPayment"
   SET "nextPollAt" = COALESCE("expiresAt", now() + interval '7 days') + interval '1 minute'
 WHERE status = 'RESERVED' AND settlement IS NULL AND "nextPollAt" IS NULL;

UPDATE "PosRefund"
   SET "nextPollAt" = "createdAt" + interval '24 hours 1 minute'
 WHERE status = 'RESERVED' AND settlement IS NULL AND "nextPollAt" IS NULL;
