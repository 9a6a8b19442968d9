/**
 * `npm run receiver`: runs the reference sync receiver until SIGINT/SIGTERM. Bundled and started by run.mjs,
 * because Node 20 cannot run TypeScript. Flags and env: config.ts.
 */
import { parseReceiverConfig, ReceiverConfigError } from './config';
import { startReceiver } from './receiver';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseReceiverConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ReceiverConfigError)) throw error;
    console.error(`loupe receiver: ${error.message}`);
    console.error('usage: npm run receiver -- [--port 8787] [--host 127.0.0.1] [--db .tmp/receiver.sqlite] [--max-body bytes] [--test-control]');
    process.exitCode = 2;
    return;
  }
  const { config, warnings } = parsed;
  for (const warning of warnings) console.warn(`warning: ${warning}`);

  const receiver = await startReceiver(config);
  console.log(`Loupe receiver on ${receiver.origin} (db: ${config.db})`);

  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: closing`);
    // Closing the database checkpoints the WAL, so the file is whole when the process ends.
    receiver.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('loupe receiver: close failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
