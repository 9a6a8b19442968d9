/**
 * Fault injection, for tests only: makes the receiver answer the way a real endpoint misbehaves, so the client's
 * retry, backoff, split and bisection paths (DESIGN.md "Sync contract v1", the answer table) run for real.
 *
 * It is NOT reachable through the public HTTP API in normal runs. Tests reach it either
 *  - in process: `startReceiver(...).faults` (receiver.ts), or
 *  - from e2e tests that run the receiver as a child process: only when it was started with `--test-control`
 *    (or LOUPE_RECEIVER_TEST_CONTROL=1), `POST /__test/faults` takes the commands of `faultCommandSchema`
 *    (test-control.ts). Without that switch the `/__test/*` routes answer 404 like any unknown route.
 *
 * Faults apply to `POST /v1/batches` only (the health check stays truthful), and only to requests that got
 * past the token check and the body limit, so a fault is never spent on a request that fails anyway.
 * One-shot outcomes (fail, drop, malformed) queue in call order and each one is used by one request; a queued
 * delay is independent and comes first, so `delayNext(1, 500)` + `failNext(1, 503)` is one slow 503.
 */
import { z } from 'zod';

export type FaultOutcome =
  | { kind: 'fail'; status: number; retryAfter?: string }
  /** Destroy the socket without answering: the client sees a network error. */
  | { kind: 'drop' }
  /**
   * Apply the batch, then answer 200 with a body that fails `batchResponseSchema`: the answer is lost, not the
   * write, so the client's resend meets `duplicate`s.
   */
  | { kind: 'malformed' };

export interface RecordRefusal {
  id: string;
  status: number;
  reason: string;
}

const errorStatusSchema = z.number().int().min(400).max(599);
const countSchema = z.number().int().min(1).max(10_000);

/** The commands `POST /__test/faults` accepts: one object, or an array applied in order. */
export const faultCommandSchema = z.discriminatedUnion('command', [
  z.strictObject({
    command: z.literal('failNext'),
    count: countSchema,
    status: errorStatusSchema,
    retryAfter: z.string().min(1).max(64).optional(),
  }),
  z.strictObject({ command: z.literal('delayNext'), count: countSchema, ms: z.number().int().min(0).max(120_000) }),
  z.strictObject({ command: z.literal('dropNext'), count: countSchema }),
  z.strictObject({
    command: z.literal('rejectRecord'),
    id: z.string().min(1).max(128),
    status: errorStatusSchema.optional(),
    reason: z.string().min(1).max(500).optional(),
  }),
  z.strictObject({ command: z.literal('malformedNext'), count: countSchema }),
  z.strictObject({ command: z.literal('clear') }),
]);
export type FaultCommand = z.infer<typeof faultCommandSchema>;
export const faultCommandsSchema = z.union([faultCommandSchema, z.array(faultCommandSchema).max(100)]);

export class FaultController {
  #outcomes: FaultOutcome[] = [];
  #delays: number[] = [];
  #refusals = new Map<string, RecordRefusal>();

  /** The next `count` batches answer `status` (with `Retry-After` when given) and are not applied. */
  failNext(count: number, status: number, options: { retryAfter?: string } = {}): void {
    const outcome: FaultOutcome =
      options.retryAfter === undefined ? { kind: 'fail', status } : { kind: 'fail', status, retryAfter: options.retryAfter };
    for (let i = 0; i < count; i++) this.#outcomes.push(outcome);
  }

  /** The next `count` batches wait `ms` before being handled (and before any other fault). */
  delayNext(count: number, ms: number): void {
    for (let i = 0; i < count; i++) this.#delays.push(ms);
  }

  /** The next `count` batches get their connection destroyed without an answer. */
  dropNext(count: number): void {
    for (let i = 0; i < count; i++) this.#outcomes.push({ kind: 'drop' });
  }

  /**
   * Until `clear()`, every batch that contains record `id` answers `status` with a JSON error naming it, as a
   * server that chokes on one record would: the client must bisect to isolate and park that record.
   */
  rejectRecord(id: string, status = 422, reason = `record ${id} refused (test fault)`): void {
    this.#refusals.set(id, { id, status, reason });
  }

  /** The next `count` batches are applied, then answered 200 with a body that fails validation. */
  malformedNext(count: number): void {
    for (let i = 0; i < count; i++) this.#outcomes.push({ kind: 'malformed' });
  }

  clear(): void {
    this.#outcomes = [];
    this.#delays = [];
    this.#refusals.clear();
  }

  apply(command: FaultCommand): void {
    switch (command.command) {
      case 'failNext':
        return this.failNext(command.count, command.status, command.retryAfter === undefined ? {} : { retryAfter: command.retryAfter });
      case 'delayNext':
        return this.delayNext(command.count, command.ms);
      case 'dropNext':
        return this.dropNext(command.count);
      case 'rejectRecord':
        return this.rejectRecord(command.id, command.status, command.reason);
      case 'malformedNext':
        return this.malformedNext(command.count);
      case 'clear':
        return this.clear();
    }
  }

  /** What is still queued, for `GET /__test/stats` and test failure messages. */
  pending(): { outcomes: FaultOutcome[]; delays: number[]; refusals: RecordRefusal[] } {
    return { outcomes: [...this.#outcomes], delays: [...this.#delays], refusals: [...this.#refusals.values()] };
  }

  /** Used by the batch route: the delay for this request, if one is queued. */
  takeDelay(): number | undefined {
    return this.#delays.shift();
  }

  /** Used by the batch route: the one-shot outcome for this request, if one is queued. */
  takeOutcome(): FaultOutcome | undefined {
    return this.#outcomes.shift();
  }

  /** Used by the batch route: the refusal that applies to a batch holding these record ids, if any. */
  findRefusal(recordIds: readonly string[]): RecordRefusal | undefined {
    for (const id of recordIds) {
      const refusal = this.#refusals.get(id);
      if (refusal) return refusal;
    }
    return undefined;
  }
}
