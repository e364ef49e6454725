/** Thrown to make BullMQ retry: the outcome is not known yet, and guessing is not allowed. */
export class RetryLaterError extends Error {}
