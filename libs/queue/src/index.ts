export * from './queue-registry';
export * from './redis-connection';
export * from './job-producer';
export * from './webhook-job-producer';
export * from './queue-inspector';
export * from './queue.module';
export * from './pos-job-producer';
export * from './attempt-outcome.notifier';
