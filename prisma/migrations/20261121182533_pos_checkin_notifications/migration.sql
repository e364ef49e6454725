-- MobilePay's check-in notifications become merchant events of their point of sale.

-- AlterTable
ALTER TABLE "PaymentEvent" ADD COLUMN     "pointOfSaleId" UUID;

-- CreateIndex
CREATE INDEX "PaymentEvent_pointOfSaleId_createdAt_idx" ON "PaymentEvent"("pointOfSaleId", "createdAt");

-- AddForeignKey
ALTER TABLE "PaymentEvent" ADD CONSTRAINT "PaymentEvent_pointOfSaleId_fkey" FOREIGN KEY ("pointOfSaleId") REFERENCES "PosPointOfSale"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A point of sale's events (MobilePay's check-in notifications) are a third kind: still exactly one
-- subject per event.
ALTER TABLE "PaymentEvent" DROP CONSTRAINT "PaymentEvent_one_payment_check";
ALTER TABLE "PaymentEvent" ADD CONSTRAINT "PaymentEvent_one_subject_check"
  CHECK (num_nonnulls("paymentId", "posPaymentId", "pointOfSaleId") = 1);
