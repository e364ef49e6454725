export type MigrationErrorCode =
  /** A migration failed earlier and was never resolved (Prisma P3009): nothing new is applied. */
  | 'FAILED_MIGRATION_PRESENT'
  /** The migration being applied failed and was rolled back (Prisma P3018). */
  | 'MIGRATION_FAILED'
  /** An applied migration's file no longer matches the checksum recorded when it was applied. */
  | 'MIGRATION_MODIFIED'
  /** `--mark-rolled-back` named a migration that is not in a failed state. */
  | 'NOT_A_FAILED_MIGRATION';

/** Raised by the migration runner; `code` says which of Prisma Migrate's safety rules stopped it. */
export class MigrationError extends Error {
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly migrationName?: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}
