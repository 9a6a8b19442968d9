/**
 * The receiver's settings, read from CLI flags and environment variables. Pure: takes `argv` and `env`, returns
 * the settings plus the warnings to print, or throws a `ReceiverConfigError` that says what to fix.
 */
import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB_PATH = '.tmp/receiver.sqlite';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiverConfig {
  port: number;
  host: string;
  /** A file path, or `:memory:`. */
  db: string;
  /** When set, every contract route wants `Authorization: Bearer <token>`. */
  token?: string;
  maxBodyBytes: number;
  /** Opens the `/__test/*` routes (faults.ts). Only for e2e tests that run the receiver as a child process. */
  testControl: boolean;
  /** True when the host is not loopback and the operator opted in twice (flag and env). */
  allowRemote: boolean;
}

export class ReceiverConfigError extends Error {
  override name = 'ReceiverConfigError';
}

export type ReceiverEnv = Record<string, string | undefined>;

/** 127.0.0.0/8, ::1 and `localhost`: the only hosts the receiver binds to without an explicit opt-in. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const ipv4 = /^(?:::ffff:)?127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(bare);
  return ipv4 !== null && ipv4.slice(1).every((octet) => Number(octet) <= 255);
}

function parsePort(raw: string, source: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) throw new ReceiverConfigError(`${source}: "${raw}" is not a port (0–65535)`);
  return port;
}

function parseByteCount(raw: string, source: string): number {
  const bytes = Number(raw);
  if (!/^\d+$/.test(raw) || bytes < 1) throw new ReceiverConfigError(`${source}: "${raw}" is not a byte count`);
  return bytes;
}

export function parseReceiverConfig(
  argv: readonly string[],
  env: ReceiverEnv,
): { config: ReceiverConfig; warnings: string[] } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        token: { type: 'string' },
        'max-body': { type: 'string' },
        'test-control': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ReceiverConfigError(error instanceof Error ? error.message : String(error));
  }

  const warnings: string[] = [];
  const port =
    values.port !== undefined
      ? parsePort(values.port, '--port')
      : env.LOUPE_RECEIVER_PORT
        ? parsePort(env.LOUPE_RECEIVER_PORT, 'LOUPE_RECEIVER_PORT')
        : DEFAULT_PORT;

  // Records are audit data from Trust & Safety work: a receiver reachable from the network must be a decision
  // made twice (the flag and the env var), never the result of a typo or an inherited environment.
  const host = values.host ?? DEFAULT_HOST;
  const allowRemote = !isLoopbackHost(host);
  if (allowRemote) {
    if (values.host === undefined || env.LOUPE_RECEIVER_ALLOW_REMOTE !== '1') {
      throw new ReceiverConfigError(
        `--host ${host} is not a loopback address; set LOUPE_RECEIVER_ALLOW_REMOTE=1 as well to listen on it`,
      );
    }
    warnings.push(
      `listening on ${host}, reachable from other machines: put it behind TLS and set a token` +
        (values.token || env.LOUPE_RECEIVER_TOKEN ? '' : ' (no token is set: anyone can write)'),
    );
  }

  const token = values.token ?? (env.LOUPE_RECEIVER_TOKEN || undefined);
  if (token !== undefined && token.trim() === '') throw new ReceiverConfigError('--token: the token is empty');
  if (values.token !== undefined) {
    warnings.push('--token is visible to other local users in the process list; prefer LOUPE_RECEIVER_TOKEN');
  }

  const config: ReceiverConfig = {
    port,
    host,
    db: values.db ?? (env.LOUPE_RECEIVER_DB || DEFAULT_DB_PATH),
    maxBodyBytes: values['max-body'] !== undefined ? parseByteCount(values['max-body'], '--max-body') : DEFAULT_MAX_BODY_BYTES,
    testControl: values['test-control'] === true || env.LOUPE_RECEIVER_TEST_CONTROL === '1',
    allowRemote,
  };
  if (token !== undefined) config.token = token;
  if (config.testControl) warnings.push('test control is on: /__test/* can make this receiver fail on purpose');
  return { config, warnings };
}
