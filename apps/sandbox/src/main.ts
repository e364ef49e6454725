import './telemetry';
import { Logger } from '@nestjs/common';
import { startSandbox } from './sandbox.bootstrap';

async function main(): Promise<void> {
  const sandbox = await startSandbox({ shutdownHooks: true });
  new Logger('Sandbox').log(`MobilePay Online + acquirer sandbox listening on ${sandbox.url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
