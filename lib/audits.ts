/**
 * Writing audits. Every change writes the audit, its revision snapshot and its outbox entry in one IndexedDB
 * transaction, so a verdict is either saved and queued for sync, or not saved at all (DESIGN.md: "saved" only
 * after that commit).
 */
import Dexie, { type PromiseExtended, type Transaction } from 'dexie';
import type { LoupeDatabase } from './db';
import {
  addAuditToDayStats,
  DAY_STATS_META_KEY,
  dayStatsAfter,
  readDayStatsAhead,
  sameDayStats,
  type DayStats,
  type DayStatsMeta,
  type DayStatsReads,
} from './leads/day-stats';
import { auditSchema, recordIdSchema, type Audit, type DetectedItem, type VerdictInput } from './schemas';
import { englishProblem, errorDetail, type BuiltProblem } from './problems';
import type { Failure } from './protocol';
import { DirectWrite } from './direct-write';
import { earlierEntriesOf, newOutboxEntry, replaceEntries } from './sync/outbox';
import { dayOf } from './time';

export interface RecordVerdictInput {
  item: DetectedItem;
  input: VerdictInput;
  auditorId: string;
  taxonomyVersion: number;
}

/** Drops keys whose value is undefined, so stored rows and synced payloads carry no empty keys. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Stands in for the id while the new audit is checked before its id is known (recordVerdict). */
const PENDING_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The tables every audit change writes, by name (Dexie's transactions and lib/direct-write.ts both take names); a
 * transaction calling writeAuditChange must hold them all.
 */
const AUDIT_WRITE_TABLES = ['audits', 'auditRevisions', 'outbox', 'dayStats', 'meta'] satisfies ReadonlyArray<keyof LoupeDatabase>;

/** One audit change, with what it needs read: ready to be written without waiting on the database. */
interface AuditChange {
  audit: Audit;
  /** The tally rows after the change (dayStatsAfter). */
  tallies: DayStats[];
  /** Seqs of the audit's outbox entries that the change replaces (earlierEntriesOf). */
  earlierEntries: number[];
}

/**
 * Everything an audit change reads before it writes, in one round trip. Like everything on the verdict's path,
 * returns Dexie's own promises and never awaits natively (see recordVerdict). `ahead` is what the caller has
 * already read of the tallies.
 */
function readAuditChange(db: LoupeDatabase, previous: Audit | undefined, audit: Audit, ahead?: DayStatsReads): PromiseExtended<AuditChange> {
  return Dexie.Promise.all([dayStatsAfter(db, previous, audit, ahead), earlierEntriesOf(db, 'audit', audit)]).then(
    ([tallies, earlierEntries]) => ({ audit, tallies, earlierEntries }),
  );
}

/**
 * The writes of one audit change, all issued before this returns: they are independent requests of one
 * transaction, which commits them all or none, and waiting on each in turn cost a database round trip apiece on
 * the verdict path (issue 6).
 */
function writeAuditChange(db: LoupeDatabase, { audit, tallies, earlierEntries }: AuditChange, now: number): PromiseExtended<void> {
  return Dexie.Promise.all([
    tallies.length ? db.dayStats.bulkPut(tallies) : undefined,
    db.audits.put(audit),
    db.auditRevisions.put(audit),
    // Queued again on every change: the change replaces the audit's waiting entry, and a batch in flight that
    // holds the earlier rev does not take the new one with it when it settles.
    replaceEntries(db, 'audit', audit, now, earlierEntries),
  ]).then(() => undefined);
}

/** What a verdict wrote, and the tally row it left for its auditor's day (the next verdict builds on it). */
interface Recorded {
  audit: Audit;
  tally: TallyGuess | undefined;
}

/** The meta row and one auditor's tally row for one day, as this context last wrote them. */
interface TallyGuess {
  meta: DayStatsMeta;
  row: DayStats;
}

/** Per database, the tally row the last verdict recorded here left (recordVerdict). */
const lastTallies = new WeakMap<LoupeDatabase, TallyGuess>();

/** Thrown inside the one-round transaction when what it built on has changed: it aborts, and the verdict is read first. */
class StaleGuessError extends Error {
  constructor() {
    super('the tallies or the item changed since the last verdict here');
    this.name = 'StaleGuessError';
  }
}

/**
 * Records one auditor's verdict on an item. A re-audit of the same item by the same auditor updates the same
 * record with the next rev; the earlier revision stays in `auditRevisions`.
 *
 * Most verdicts are an auditor's first on an item, given on the day of the one before: that one's tally row, which
 * this context wrote, is what the new verdict adds to. Such a verdict is written in one round (issue 6): the reads
 * that would decide it (no audit of this item by this auditor yet, the tallies' meta row and the day's row as they
 * were written) go out with the writes built on them, and are checked before the transaction can commit; a
 * mismatch aborts it, and the verdict is written again the long way (recordVerdictAfterReading). A re-audit takes
 * that way after its checks find the audit; the day's first verdict, or one inside a caller's transaction (whose
 * abort would be the caller's), takes it at once.
 */
export function recordVerdict(
  db: LoupeDatabase,
  verdict: RecordVerdictInput,
  now: number = Date.now(),
  newId: () => string = () => crypto.randomUUID(),
): Promise<Audit> {
  const last = Dexie.currentTransaction ? undefined : lastTallies.get(db);
  const guess = last && last.row.auditorId === verdict.auditorId && dayOf(now, last.meta.timeZone) === last.row.day ? last : undefined;
  const readFirst = () => recordVerdictAfterReading(db, verdict, now, newId);
  const recorded = guess
    ? recordFirstVerdict(db, verdict, now, newId, guess).catch((error: unknown) => {
        if (error instanceof StaleGuessError) return readFirst();
        throw error;
      })
    : readFirst();
  return recorded.then(({ audit, tally }) => {
    if (tally) lastTallies.set(db, { meta: tally.meta, row: structuredClone(tally.row) });
    else lastTallies.delete(db);
    return audit;
  });
}

/**
 * An auditor's first verdict on an item, added to `guess` in one round: see recordVerdict. Written straight on
 * IndexedDB (lib/direct-write.ts), the one write that is: it is the verdict's common case, and Dexie's own work per
 * request was the largest part of what the analyst waits for (issue 6). The checks run in the last read's success
 * event, where the transaction can still be aborted; only then is it committed.
 */
function recordFirstVerdict(
  db: LoupeDatabase,
  { item, input, auditorId, taxonomyVersion }: RecordVerdictInput,
  now: number,
  newId: () => string,
  guess: TallyGuess,
): Promise<Recorded> {
  const parsed = auditSchema.safeParse(
    compact({ ...item, ...input, auditorId, taxonomyVersion, id: newId(), rev: 1, createdAt: now, updatedAt: now, deleted: false }),
  );
  if (!parsed.success) return Promise.reject(parsed.error);
  const audit = parsed.data;
  const row = structuredClone(guess.row);
  addAuditToDayStats(row, audit, 1);
  let tx: DirectWrite;
  try {
    tx = new DirectWrite(db, AUDIT_WRITE_TABLES);
  } catch {
    // The connection is closed or closing (an upgrade elsewhere): Dexie's way reopens it, or says why it cannot.
    return Promise.reject(new StaleGuessError());
  }
  tx.readAll<[Audit, DayStatsMeta, DayStats]>(
    [
      { table: 'audits', index: '[siteId+itemId+auditorId]', key: [item.siteId, item.itemId, auditorId] },
      { table: 'meta', key: DAY_STATS_META_KEY },
      { table: 'dayStats', key: [guess.row.day, auditorId] },
    ],
    ([existing, meta, stored]) => {
      const unchanged = meta?.timeZone === guess.meta.timeZone && meta.builtAt === guess.meta.builtAt;
      if (existing || !unchanged || !sameDayStats(stored, guess.row)) tx.abort(new StaleGuessError());
      else tx.commit();
    },
  );
  tx.put('dayStats', row);
  tx.put('audits', audit);
  tx.put('auditRevisions', audit);
  tx.add('outbox', newOutboxEntry('audit', audit, now));
  return tx.done.then((): Recorded => ({ audit, tally: { meta: guess.meta, row } }));
}

/**
 * The verdict as recordVerdict writes it when it has no tally to build on: the existing audit and the tallies are
 * read first, then every write is issued at once.
 *
 * The transaction is one chain of Dexie's own promises, with no native `await` inside: Dexie carries its
 * transaction across every native await by echoing its zone through the microtasks that follow, bookkeeping that
 * showed in the worker's profile on the verdict path (issue 6). A chain it schedules itself needs none of that.
 */
function recordVerdictAfterReading(
  db: LoupeDatabase,
  { item, input, auditorId, taxonomyVersion }: RecordVerdictInput,
  now: number,
  newId: () => string,
): Promise<Recorded> {
  let meta: DayStatsMeta | undefined;
  return db.transaction('rw', AUDIT_WRITE_TABLES, (tx) => {
    const reads = Dexie.Promise.all([
      db.audits.where('[siteId+itemId+auditorId]').equals([item.siteId, item.itemId, auditorId]).first(),
      readDayStatsAhead(db, auditorId, now),
    ]);
    // Checked while the reads are in flight, as the item's first verdict (the worker would wait for them idle
    // otherwise). What the reads can change, id, rev and createdAt, is valid by construction.
    const first = auditSchema.parse(
      compact({
        ...item,
        ...input,
        auditorId,
        taxonomyVersion,
        id: PENDING_ID,
        rev: 1,
        createdAt: now,
        updatedAt: now,
        deleted: false,
      }),
    );
    return reads
      .then(([existing, ahead]) => {
        meta = ahead.meta;
        const audit: Audit = existing
          ? {
              ...first,
              id: existing.id,
              rev: existing.rev + 1,
              // A verdict given again after an undo starts the record's day afresh.
              createdAt: existing.deleted ? now : existing.createdAt,
            }
          : { ...first, id: recordIdSchema.parse(newId()) };
        return readAuditChange(db, existing, audit, ahead);
      })
      .then((change) => {
        const written = writeAuditChange(db, change, now);
        commitIssued(tx);
        return written.then((): Recorded => {
          const day = meta && dayOf(now, meta.timeZone);
          const row = change.tallies.find((r) => r.day === day && r.auditorId === auditorId);
          return { audit: change.audit, tally: meta && row ? { meta, row } : undefined };
        });
      });
  });
}

/**
 * Tells IndexedDB that the transaction's last request is issued, so it commits as soon as the requests are done
 * rather than once the worker has handled their results and gone idle (about half a millisecond per verdict in the
 * loaded worker, issue 6). Only for a transaction of our own: a nested one shares its parent's, which may have more
 * to do. Dexie handles a failed request itself (it prevents the event's default, which would abort) and aborts the
 * transaction once the failure reaches it, which after a commit is too late: the other writes would be kept. So
 * this is only for writes that cannot fail one by one, as an audit change's cannot (puts, and adds with generated
 * keys, on tables with no unique index but the primary key); what fails there is the database, and that aborts the
 * whole transaction.
 */
function commitIssued(tx: Transaction): void {
  if (tx.parent) return;
  try {
    tx.idbtrans.commit();
  } catch {
    // Not there (an engine before IndexedDB 3) or no longer active: the transaction commits on its own.
  }
}

export class UndoRefusedError extends Error {
  /** Why, as a `problems` message the panel says in its language; `message` is its English. */
  readonly problem: BuiltProblem<'undo.gone' | 'undo.changed' | 'undo.tooLate'>;
  constructor(
    readonly code: 'not-found' | 'expired',
    key: 'undo.gone' | 'undo.changed' | 'undo.tooLate',
  ) {
    const problem = englishProblem(key);
    super(problem.message);
    this.problem = problem;
    this.name = 'UndoRefusedError';
  }
}

/**
 * Takes back the verdict saved as `rev`: the audit returns to its previous revision, or becomes a tombstone when
 * there was none. Refused when the audit changed since, or when the undo window has passed.
 */
export async function undoVerdict(
  db: LoupeDatabase,
  auditId: string,
  rev: number,
  undoWindowMs: number,
  now: number = Date.now(),
): Promise<Audit> {
  // The undo changes the day's tally row: the next verdict reads it rather than finding its guess stale.
  lastTallies.delete(db);
  return db.transaction('rw', AUDIT_WRITE_TABLES, async () => {
    const current = await db.audits.get(auditId);
    if (!current) throw new UndoRefusedError('not-found', 'undo.gone');
    if (current.rev !== rev || current.deleted) throw new UndoRefusedError('expired', 'undo.changed');
    if (now - current.updatedAt > undoWindowMs) throw new UndoRefusedError('expired', 'undo.tooLate');
    const previous = rev > 1 ? await db.auditRevisions.get([auditId, rev - 1]) : undefined;
    const restored: Audit =
      previous && !previous.deleted
        ? { ...previous, rev: rev + 1, updatedAt: now }
        : { ...current, rev: rev + 1, updatedAt: now, deleted: true, deletedAt: now };
    const audit = auditSchema.parse(compact(restored));
    await readAuditChange(db, current, audit).then((change) => writeAuditChange(db, change, now));
    return restored;
  });
}

/** The current verdicts on one item by every auditor, newest first (tombstones left out). */
export async function auditsForItem(db: LoupeDatabase, siteId: string, itemId: string): Promise<Audit[]> {
  const audits = await db.audits.where('[siteId+itemId]').equals([siteId, itemId]).toArray();
  return audits.filter((a) => !a.deleted).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Every stored revision of one audit, oldest first. */
export async function revisionsOf(db: LoupeDatabase, auditId: string): Promise<Audit[]> {
  return db.auditRevisions.where('id').equals(auditId).sortBy('rev');
}

/** Storage errors as the panel shows them: what happened, and that nothing typed was lost. */
export function describeStorageFailure(error: unknown): Failure {
  const names = new Set<string>();
  for (let e: unknown = error; e instanceof Error && names.size < 5; e = (e as { inner?: unknown }).inner ?? e.cause) {
    names.add(e.name);
  }
  if (names.has('QuotaExceededError')) return { code: 'storage-full', ...englishProblem('storage.full') };
  return { code: 'storage-unavailable', ...englishProblem('storage.unavailable', { detail: errorDetail(error) }) };
}
