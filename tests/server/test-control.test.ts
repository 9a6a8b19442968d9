// @vitest-environment node
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type RunningReceiver } from '../../server/receiver';
import { buildAudit, buildBatch, postBatch, toSyncRecord } from './fixtures';

let receiver: RunningReceiver | undefined;
afterEach(() => receiver?.close());

const sendCommands = (origin: string, commands: unknown) =>
  fetch(`${origin}/__test/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(commands),
  });
const freshBatch = () => buildBatch([toSyncRecord(buildAudit())]);

describe('/__test routes', () => {
  it('do not exist unless test control is on', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:' });

    const faults = await sendCommands(receiver.origin, { command: 'failNext', count: 1, status: 503 });
    expect(faults.status).toBe(404);
    expect((await fetch(`${receiver.origin}/__test/stats`)).status).toBe(404);
    expect(receiver.faults.pending().outcomes).toEqual([]);
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(200);
  });

  it('take fault commands as JSON and report stats when test control is on', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:', testControl: true });
    const culprit = buildAudit();

    const accepted = await sendCommands(receiver.origin, [
      { command: 'failNext', count: 1, status: 429, retryAfter: '2' },
      { command: 'rejectRecord', id: culprit.id, reason: 'poison record' },
    ]);
    expect(accepted.status).toBe(200);

    const throttled = await postBatch(receiver.origin, freshBatch());
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    const refused = await postBatch(receiver.origin, buildBatch([toSyncRecord(culprit)]));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: 'poison record', recordId: culprit.id });
    expect((await postBatch(receiver.origin, freshBatch())).status).toBe(200);

    const stats = await (await fetch(`${receiver.origin}/__test/stats`)).json();
    expect(stats).toMatchObject({ requests: 3, batches: 1, records: 1, pending: { refusals: [{ id: culprit.id }] } });

    expect((await sendCommands(receiver.origin, { command: 'clear' })).status).toBe(200);
    expect((await postBatch(receiver.origin, buildBatch([toSyncRecord(culprit)]))).status).toBe(200);
  });

  it('refuse a command they do not know', async () => {
    receiver = await startReceiver({ port: 0, db: ':memory:', testControl: true });
    expect((await sendCommands(receiver.origin, { command: 'explode' })).status).toBe(400);
    expect((await sendCommands(receiver.origin, { command: 'failNext', count: 1, status: 200 })).status).toBe(400);
    expect(receiver.faults.pending().outcomes).toEqual([]);
  });
});

describe('npm run receiver (child process)', () => {
  const runScript = fileURLToPath(new URL('../../server/run.mjs', import.meta.url));
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  async function startChild(args: string[]): Promise<string> {
    child = spawn(process.execPath, [runScript, '--port', '0', '--db', ':memory:', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.setEncoding('utf8');
    return new Promise((resolve, reject) => {
      child?.stdout?.on('data', (chunk: string) => {
        output += chunk;
        const origin = /Loupe receiver on (http:\/\/\S+) \(db: :memory:\)/.exec(output)?.[1];
        if (origin) resolve(origin);
      });
      child?.once('exit', (code) => reject(new Error(`receiver exited (${code}) before listening: ${output}`)));
    });
  }

  it('opens /__test only with --test-control, and exits cleanly on SIGTERM', async () => {
    const plain = await startChild([]);
    expect((await fetch(`${plain}/v1/health`)).status).toBe(200);
    expect((await fetch(`${plain}/__test/stats`)).status).toBe(404);
    child?.kill('SIGTERM');
    const [code] = (await once(child as ChildProcess, 'exit')) as [number | null];
    expect(code).toBe(0);

    const controlled = await startChild(['--test-control']);
    expect((await sendCommands(controlled, { command: 'dropNext', count: 1 })).status).toBe(200);
    await expect(postBatch(controlled, freshBatch())).rejects.toThrow(TypeError);
    expect(await (await fetch(`${controlled}/__test/stats`)).json()).toMatchObject({ requests: 1, batches: 0 });
  }, 20_000);
});
