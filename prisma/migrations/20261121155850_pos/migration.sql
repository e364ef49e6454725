-- CreateEnum
CREATE TYPE "PosPointOfSaleStatus" AS ENUM ('CREATING', 'ACTIVE', 'FAILED', 'DELETED');

-- CreateEnum
CREATE TYPE "PosPaymentStatus" AS ENUM ('CREATED', 'PREPARED', 'PAIRED', 'INITIATED', 'ISSUED_TO_USER', 'RESERVED', 'CAPTURED', 'CANCELLED_BY_USER', 'CANCELLED_BY_CLIENT', 'CANCELLED_BY_MOBILEPAY', 'EXPIRED_AND_CANCELLED', 'FAILED');

-- CreateEnum
CREATE TYPE "PosSettlement" AS ENUM ('CAPTURE', 'CANCEL');

-- CreateEnum
CREATE TYPE "PosRefundStatus" AS ENUM ('CREATED', 'INITIATED', 'RESERVED', 'CAPTURED', 'CANCELLED_BY_CLIENT', 'CANCELLED_BY_MOBILEPAY', 'EXPIRED_AND_CAPTURED', 'FAILED');

-- CreateTable
CREATE TABLE "PosPointOfSale" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "mobilePayPosId" UUID,
    "merchantPosId" TEXT NOT NULL,
    "storeId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "beaconId" TEXT,
    "supportedBeaconTypes" TEXT[],
    "requirePaymentBeforeCheckin" BOOLEAN NOT NULL DEFAULT false,
    "callbackAlias" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "status" "PosPointOfSaleStatus" NOT NULL DEFAULT 'CREATING',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "deletedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PosPointOfSale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PosPayment" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "pointOfSaleId" UUID NOT NULL,
    "mobilePayPaymentId" UUID,
    "orderId" TEXT NOT NULL,
    "prepared" BOOLEAN NOT NULL DEFAULT false,
    "amount" BIGINT,
    "currency" CHAR(3),
    "plannedCaptureDelay" TEXT,
    "merchantPaymentLabel" TEXT,
    "restrictions" JSONB,
    "status" "PosPaymentStatus" NOT NULL DEFAULT 'CREATED',
    "idempotencyKey" TEXT NOT NULL,
    "partialCapturePossible" BOOLEAN,
    "capturedAmount" BIGINT NOT NULL DEFAULT 0,
    "refundedAmount" BIGINT NOT NULL DEFAULT 0,
    "loyaltyIds" TEXT[],
    "customerToken" TEXT,
    "expiresAt" TIMESTAMPTZ(3),
    "settlement" "PosSettlement",
    "settlementAmount" BIGINT,
    "pollDelayMs" INTEGER NOT NULL DEFAULT 1000,
    "pollCount" INTEGER NOT NULL DEFAULT 0,
    "pollFailures" INTEGER NOT NULL DEFAULT 0,
    "nextPollAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PosPayment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PosRefund" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "posPaymentId" UUID NOT NULL,
    "mobilePayRefundId" UUID,
    "refundOrderId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "PosRefundStatus" NOT NULL DEFAULT 'CREATED',
    "idempotencyKey" TEXT NOT NULL,
    "autoCapture" BOOLEAN NOT NULL DEFAULT true,
    "settlement" "PosSettlement",
    "pollDelayMs" INTEGER NOT NULL DEFAULT 1000,
    "pollCount" INTEGER NOT NULL DEFAULT 0,
    "pollFailures" INTEGER NOT NULL DEFAULT 0,
    "nextPollAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PosRefund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PosEvent" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "posPaymentId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PosEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PosPointOfSale_mobilePayPosId_key" ON "PosPointOfSale"("mobilePayPosId");

-- CreateIndex
CREATE UNIQUE INDEX "PosPointOfSale_idempotencyKey_key" ON "PosPointOfSale"("idempotencyKey");

-- CreateIndex
CREATE INDEX "PosPointOfSale_merchantId_createdAt_idx" ON "PosPointOfSale"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "PosPointOfSale_merchantId_merchantPosId_idx" ON "PosPointOfSale"("merchantId", "merchantPosId");

-- CreateIndex
CREATE UNIQUE INDEX "PosPayment_mobilePayPaymentId_key" ON "PosPayment"("mobilePayPaymentId");

-- CreateIndex
CREATE UNIQUE INDEX "PosPayment_idempotencyKey_key" ON "PosPayment"("idempotencyKey");

-- CreateIndex
CREATE INDEX "PosPayment_merchantId_createdAt_idx" ON "PosPayment"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "PosPayment_merchantId_orderId_idx" ON "PosPayment"("merchantId", "orderId");

-- CreateIndex
CREATE INDEX "PosPayment_status_nextPollAt_idx" ON "PosPayment"("status", "nextPollAt");

-- CreateIndex
CREATE INDEX "PosPayment_pointOfSaleId_createdAt_idx" ON "PosPayment"("pointOfSaleId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PosRefund_mobilePayRefundId_key" ON "PosRefund"("mobilePayRefundId");

-- CreateIndex
CREATE UNIQUE INDEX "PosRefund_idempotencyKey_key" ON "PosRefund"("idempotencyKey");

-- CreateIndex
CREATE INDEX "PosRefund_posPaymentId_createdAt_idx" ON "PosRefund"("posPaymentId", "createdAt");

-- CreateIndex
CREATE INDEX "PosRefund_status_nextPollAt_idx" ON "PosRefund"("status", "nextPollAt");

-- CreateIndex
CREATE UNIQUE INDEX "PosEvent_dedupeKey_key" ON "PosEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "PosEvent_merchantId_createdAt_idx" ON "PosEvent"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "PosEvent_posPaymentId_createdAt_idx" ON "PosEvent"("posPaymentId", "createdAt");

-- AddForeignKey
ALTER TABLE "PosPayment" ADD CONSTRAINT "PosPayment_pointOfSaleId_fkey" FOREIGN KEY ("pointOfSaleId") REFERENCES "PosPointOfSale"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PosRefund" ADD CONSTRAINT "PosRefund_posPaymentId_fkey" FOREIGN KEY ("posPaymentId") REFERENCES "PosPayment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PosEvent" ADD CONSTRAINT "PosEvent_posPaymentId_fkey" FOREIGN KEY ("posPaymentId") REFERENCES "PosPayment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
