/*
  Warnings:

  - A unique constraint covering the columns `[epaymentMsn]` on the table `Merchant` will be added. If there are existing duplicate values, this will fail.
  - A unique constraint covering the columns `[epaymentReference]` on the table `Payment` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateEnum
CREATE TYPE "PaymentChannel" AS ENUM ('ONLINE', 'EPAYMENT');

-- AlterTable
ALTER TABLE "AuthorizationAttempt" ADD COLUMN     "externalAttemptId" TEXT,
ADD COLUMN     "softDeclineCompletedRedirectUrl" TEXT;

-- AlterTable
ALTER TABLE "Merchant" ADD COLUMN     "epaymentMsn" TEXT,
ADD COLUMN     "paymentChannel" "PaymentChannel" NOT NULL DEFAULT 'ONLINE';

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "channel" "PaymentChannel" NOT NULL DEFAULT 'ONLINE',
ADD COLUMN     "customerInteraction" TEXT,
ADD COLUMN     "epaymentMsn" TEXT,
ADD COLUMN     "epaymentReference" TEXT,
ADD COLUMN     "userFlow" TEXT,
ALTER COLUMN "redirectFromMobilePayUrl" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Merchant_epaymentMsn_key" ON "Merchant"("epaymentMsn");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_epaymentReference_key" ON "Payment"("epaymentReference");
