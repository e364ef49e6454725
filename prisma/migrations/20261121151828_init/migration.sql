-- CreateEnum
CREATE TYPE "MerchantStatus" AS ENUM ('ACTIVE', 'OFFBOARDED');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('CREATED', 'INITIATED', 'AUTHORIZED', 'FAILED', 'EXPIRED', 'CANCELLED', 'INVALIDATED');

-- CreateEnum
CREATE TYPE "AttemptStatus" AS ENUM ('RECEIVED', 'AUTHORIZING', 'AUTHORIZED', 'DECLINED', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "CardDataKind" AS ENUM ('PAN', 'NETWORK_TOKEN');

-- CreateEnum
CREATE TYPE "OutboxKind" AS ENUM ('PATCH_AUTHORIZATION_ATTEMPT', 'REPORT_CAPTURE', 'REPORT_CANCEL', 'REPORT_REFUND');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SENT', 'DEAD');

-- CreateTable
CREATE TABLE "Merchant" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "merchantUrl" TEXT NOT NULL,
    "logoUrl" TEXT NOT NULL,
    "merchantCategoryCode" INTEGER NOT NULL,
    "billingCurrency" CHAR(3) NOT NULL,
    "countryCode" CHAR(2) NOT NULL,
    "vatNumber" TEXT NOT NULL,
    "mobilePayMerchantId" UUID,
    "acquirerMerchantId" TEXT NOT NULL,
    "status" "MerchantStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Merchant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "label" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "mobilePayPaymentId" UUID,
    "pspReferenceId" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "merchantOrderId" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "allowedCardTypes" TEXT[],
    "status" "PaymentStatus" NOT NULL DEFAULT 'CREATED',
    "redirectFromMobilePayUrl" TEXT NOT NULL,
    "redirectToMobilePayUrl" TEXT,
    "redirectToMobilePayAppUrl" TEXT,
    "publicKeyId" INTEGER NOT NULL,
    "authorizedAmount" BIGINT NOT NULL DEFAULT 0,
    "capturedAmount" BIGINT NOT NULL DEFAULT 0,
    "refundedAmount" BIGINT NOT NULL DEFAULT 0,
    "cancelledAmount" BIGINT NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "checkoutOptions" JSONB,
    "checkoutDetails" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthorizationAttempt" (
    "id" UUID NOT NULL,
    "paymentId" UUID NOT NULL,
    "cardType" TEXT NOT NULL,
    "kind" "CardDataKind" NOT NULL,
    "maskedCardNumber" TEXT,
    "tokenMethod" TEXT,
    "cardIssuedInCountryCode" TEXT,
    "status" "AttemptStatus" NOT NULL DEFAULT 'RECEIVED',
    "acquirer" TEXT,
    "acquirerMerchantId" TEXT,
    "acquirerVatNumber" TEXT,
    "acquirerReference" TEXT,
    "reasonCode" INTEGER,
    "reasonMessage" TEXT,
    "callbackReceivedAt" TIMESTAMPTZ(3) NOT NULL,
    "deadlineAt" TIMESTAMPTZ(3) NOT NULL,
    "authorizedAt" TIMESTAMPTZ(3),
    "patchedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AuthorizationAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttemptStatusChange" (
    "id" BIGSERIAL NOT NULL,
    "attemptId" UUID NOT NULL,
    "fromStatus" "AttemptStatus",
    "toStatus" "AttemptStatus" NOT NULL,
    "detail" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AttemptStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SealedCardData" (
    "attemptId" UUID NOT NULL,
    "sealKeyId" TEXT NOT NULL,
    "iv" BYTEA NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "authTag" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SealedCardData_pkey" PRIMARY KEY ("attemptId")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "kind" "OutboxKind" NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "paymentId" UUID NOT NULL,
    "attemptId" UUID,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "tries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentEvent" (
    "id" UUID NOT NULL,
    "paymentId" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Merchant_externalId_key" ON "Merchant"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Merchant_mobilePayMerchantId_key" ON "Merchant"("mobilePayMerchantId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "ApiKey_merchantId_idx" ON "ApiKey"("merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_mobilePayPaymentId_key" ON "Payment"("mobilePayPaymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_pspReferenceId_key" ON "Payment"("pspReferenceId");

-- CreateIndex
CREATE INDEX "Payment_merchantId_createdAt_idx" ON "Payment"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_merchantId_merchantOrderId_idx" ON "Payment"("merchantId", "merchantOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_merchantId_idempotencyKey_key" ON "Payment"("merchantId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "AuthorizationAttempt_paymentId_idx" ON "AuthorizationAttempt"("paymentId");

-- CreateIndex
CREATE INDEX "AuthorizationAttempt_status_deadlineAt_idx" ON "AuthorizationAttempt"("status", "deadlineAt");

-- CreateIndex
CREATE INDEX "AttemptStatusChange_attemptId_at_idx" ON "AttemptStatusChange"("attemptId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_createdAt_idx" ON "OutboxMessage"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentEvent_dedupeKey_key" ON "PaymentEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "PaymentEvent_merchantId_createdAt_idx" ON "PaymentEvent"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "PaymentEvent_paymentId_createdAt_idx" ON "PaymentEvent"("paymentId", "createdAt");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthorizationAttempt" ADD CONSTRAINT "AuthorizationAttempt_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttemptStatusChange" ADD CONSTRAINT "AttemptStatusChange_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "AuthorizationAttempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SealedCardData" ADD CONSTRAINT "SealedCardData_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "AuthorizationAttempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentEvent" ADD CONSTRAINT "PaymentEvent_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
