-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AttemptStatus" ADD VALUE 'THREE_DS_PENDING';
ALTER TYPE "AttemptStatus" ADD VALUE 'THREE_DS_AUTHENTICATED';

-- AlterTable
ALTER TABLE "AuthorizationAttempt" ADD COLUMN     "reversalRequiredAt" TIMESTAMPTZ(3),
ADD COLUMN     "reversedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Merchant" ADD COLUMN     "acquirerRoutes" JSONB;

-- CreateIndex
CREATE INDEX "AuthorizationAttempt_reversalRequiredAt_idx" ON "AuthorizationAttempt"("reversalRequiredAt");
