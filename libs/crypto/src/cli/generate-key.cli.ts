import { parseArgs } from 'node:util';
import { generateCardKeyPair } from '../key-tooling';

/** Usage: npm run keys:generate -- --integrator acme --env prod --out ./keys [--bits 4096] */
function main(): void {
  const { values } = parseArgs({
    options: {
      integrator: { type: 'string' },
      env: { type: 'string', default: 'test' },
      out: { type: 'string', default: '.' },
      bits: { type: 'string', default: '4096' },
    },
  });
  if (!values.integrator) {
    console.error(
      'usage: generate-key --integrator NAME [--env test|prod] [--out DIR] [--bits 4096]',
    );
    process.exit(2);
  }
  const bits = Number(values.bits);
  if (![2048, 3072, 4096].includes(bits)) {
    console.error('--bits must be 2048, 3072 or 4096 (MobilePay expects 4096)');
    process.exit(2);
  }
  const pair = generateCardKeyPair({
    integrator: values.integrator,
    env: values.env,
    outDir: values.out,
    bits,
  });
  console.log(`private key (0600, keep secret): ${pair.privateKeyPath}`);
  console.log(`public key (send to MobilePay):  ${pair.publicKeyPath}`);
}

main();
