/**
 * Writing audits. Every change writes the audit, its revision snapshot and its outbox entry in one IndexedDB
 * transaction, so a verdict is either saved and queued for sync, or not saved at all (DESIGN.md: "saved" only
 * after that commit).
 */
import type { LoupeDatabase } from './db';
import { applyAuditToDayStats, readDayStatsAhead, type DayStatsReads } from './leads/day-stats';
import { auditSchema, type Audit, type DetectedItem, type VerdictInput } from './schemas';
import { englishProblem, errorDetail, type BuiltProblem } from './problems';
import type { Failure } from './protocol';
import { queueRecordChange } from './sync/outbox';

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

/** The tables every audit change writes; a transaction calling writeAuditChange must hold them all. */
function auditWriteScope(db: LoupeDatabase) {
  return [db.audits, db.auditRevisions, db.outbox, db.dayStats, db.meta];
}

/**
 * The writes of one audit change, issued together: they are independent requests of one transaction, which
 * commits them all or none, and waiting on each in turn cost a database round trip apiece on the verdict path
 * (issue 6). `ahead` is what the caller has already read of the tallies.
 */
async function writeAuditChange(
  db: LoupeDatabase,
  previous: Audit | undefined,
  audit: Audit,
  now: number,
  ahead?: DayStatsReads,
): Promise<void> {
  await Promise.all([
    applyAuditToDayStats(db, previous, audit, ahead),
    db.audits.put(audit),
    db.auditRevisions.put(audit),
    // Queued again on every change: the change replaces the audit's waiting entry, and a batch in flight that
    // holds the earlier rev does not take the new one with it when it settles.
    queueRecordChange(db, 'audit', audit, now),
  ]);
}

/**
 * Records one auditor's verdict on an item. A re-audit of the same item by the same auditor updates the same
 * record with the next rev; the earlier revision stays in `auditRevisions`.
 */
export async function recordVerdict(
  db: LoupeDatabase,
  { item, input, auditorId, taxonomyVersion }: RecordVerdictInput,
  now: number = Date.now(),
  newId: () => string = () => crypto.randomUUID(),
): Promise<Audit> {
  return db.transaction('rw', auditWriteScope(db), async () => {
    const [existing, ahead] = await Promise.all([
      db.audits.where('[siteId+itemId+auditorId]').equals([item.siteId, item.itemId, auditorId]).first(),
      readDayStatsAhead(db, auditorId, now),
    ]);
    const audit = auditSchema.parse(
      compact({
        ...item,
        ...input,
        auditorId,
        taxonomyVersion,
        id: existing?.id ?? newId(),
        rev: (existing?.rev ?? 0) + 1,
        // A verdict given again after an undo starts the record's day afresh.
        createdAt: existing && !existing.deleted ? existing.createdAt : now,
        updatedAt: now,
        deleted: false,
      }),
    );
    await writeAuditChange(db, existing, audit, now, ahead);
    return audit;
  });
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
  return db.transaction('rw', auditWriteScope(db), async () => {
    const current = await db.audits.get(auditId);
    if (!current) throw new UndoRefusedError('not-found', 'undo.gone');
    if (current.rev !== rev || current.deleted) throw new UndoRefusedError('expired', 'undo.changed');
    if (now - current.updatedAt > undoWindowMs) throw new UndoRefusedError('expired', 'undo.tooLate');
    const previous = rev > 1 ? await db.auditRevisions.get([auditId, rev - 1]) : undefined;
    const restored: Audit =
      previous && !previous.deleted
        ? { ...previous, rev: rev + 1, updatedAt: now }
        : { ...current, rev: rev + 1, updatedAt: now, deleted: true, deletedAt: now };
    await writeAuditChange(db, current, auditSchema.parse(compact(restored)), now);
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
