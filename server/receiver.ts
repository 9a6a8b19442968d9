/**
 * `startReceiver`: the reference sync receiver as a value a test (or main.ts) can start and stop. It wires the
 * store, the fault controller and the routes to one node:http server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_DB_PATH, DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT, isLoopbackHost } from './config';
import { FaultController } from './faults';
import { createRequestHandler, type ReceiverCounters } from './routes';
import { openReceiverStore, type ReceiverStore } from './store';

export interface StartReceiverOptions {
  /** 0 picks a free port (tests). Default 8787. */
  port?: number;
  /** Default 127.0.0.1. Anything not loopback also needs `allowRemote`. */
  host?: string;
  allowRemote?: boolean;
  /** A file path or `:memory:`. Default `.tmp/receiver.sqlite`. */
  db?: string;
  token?: string;
  maxBodyBytes?: number;
  /** Opens `/__test/*` (faults.ts). In-process tests do not need it: they hold `faults` directly. */
  testControl?: boolean;
  now?: () => number;
  /** Where unexpected handler errors go (they are also answered 500). Default console.error. */
  onError?: (error: unknown) => void;
}

export interface ReceiverStats {
  /** Requests received, `/__test/*` excluded. */
  requests: number;
  /** POSTs of batches, answered or failed (pulls and summaries are not counted). */
  batchRequests: number;
  /** Batches applied to the store. */
  batches: number;
  /** Records stored (one per id). */
  records: number;
}

export interface RunningReceiver {
  /** e.g. `http://127.0.0.1:54321`: the base URL the client is given. */
  origin: string;
  close(): Promise<void>;
  faults: FaultController;
  stats(): ReceiverStats;
  db: ReceiverStore;
}

export async function startReceiver(options: StartReceiverOptions = {}): Promise<RunningReceiver> {
  const host = options.host ?? DEFAULT_HOST;
  if (!isLoopbackHost(host) && options.allowRemote !== true) {
    throw new Error(`refusing to listen on ${host}: not a loopback address (pass allowRemote to mean it)`);
  }
  const store = openReceiverStore(options.db ?? DEFAULT_DB_PATH);
  const faults = new FaultController();
  const counters: ReceiverCounters = { requests: 0, batchRequests: 0, batches: 0 };
  const closing = new AbortController();
  const server = createServer(
    createRequestHandler({
      store,
      faults,
      counters,
      token: options.token,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      testControl: options.testControl === true,
      now: options.now ?? Date.now,
      signal: closing.signal,
      onError: options.onError ?? ((error) => console.error('receiver: unexpected error', error)),
    }),
  );

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    throw error;
  }

  const { address, port } = server.address() as AddressInfo;
  const origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  let closed: Promise<void> | undefined;

  return {
    origin,
    faults,
    db: store,
    stats: () => ({ requests: counters.requests, batchRequests: counters.batchRequests, batches: counters.batches, records: store.countRecords() }),
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => {
          store.close();
          if (error) reject(error);
          else resolve();
        });
        // Keep-alive and delayed requests would hold close() open; tests want it to end now.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
