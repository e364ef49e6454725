-- AlterTable
ALTER TABLE "AuthorizationAttempt" ADD COLUMN     "reconciliationNote" TEXT,
ADD COLUMN     "reconciliationRequiredAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "AuthorizationAttempt_reconciliationRequiredAt_idx" ON "AuthorizationAttempt"("reconciliationRequiredAt");
