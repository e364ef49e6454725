-- In-store events join the online ones in "PaymentEvent" so they reach merchants as webhooks.

-- DropForeignKey
ALTER TABLE "PosEvent" DROP CONSTRAINT "PosEvent_posPaymentId_fkey";

-- AlterTable
ALTER TABLE "PaymentEvent" ADD COLUMN     "posPaymentId" UUID,
ALTER COLUMN "paymentId" DROP NOT NULL;

-- In-store events move into the events table, the webhooks' outbox. Those recorded before this
-- migration are marked dispatched: merchants get webhooks for what happens from now on, not a burst
-- of history.
INSERT INTO "PaymentEvent" ("id", "posPaymentId", "merchantId", "type", "dedupeKey", "data", "createdAt", "dispatchedAt")
SELECT "id", "posPaymentId", "merchantId", "type", "dedupeKey", "data", "createdAt", now()
  FROM "PosEvent"
    ON CONFLICT ("dedupeKey") DO NOTHING;

-- Exactly one channel per event.
ALTER TABLE "PaymentEvent" ADD CONSTRAINT "PaymentEvent_one_payment_check"
  CHECK (("paymentId" IS NULL) <> ("posPaymentId" IS NULL));

-- DropTable
DROP TABLE "PosEvent";

-- CreateIndex
CREATE INDEX "PaymentEvent_posPaymentId_createdAt_idx" ON "PaymentEvent"("posPaymentId", "createdAt");

-- AddForeignKey
ALTER TABLE "PaymentEvent" ADD CONSTRAINT "PaymentEvent_posPaymentId_fkey" FOREIGN KEY ("posPaymentId") REFERENCES "PosPayment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
