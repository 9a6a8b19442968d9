/**
 * One read-write transaction straight on IndexedDB, on Dexie's own connection, for the one write on an analyst's
 * critical path: an auditor's next first verdict (recordVerdict in lib/audits.ts, issue 6). In the worker, the same
 * three reads and four writes through Dexie's tables took 0.8–2.3 ms more at the median and 1.8–8 ms more at p95 of
 * key → "Saved" than here (two builds taking turns in one run; tests/bench/verdict-ab.perf.ts): its promise zones
 * and middleware cost the verdict more than IndexedDB itself does.
 *
 * What Dexie would have done around the same requests is done here:
 * - the change is announced with `storagemutated` when the transaction commits, with the parts Dexie's own
 *   observability middleware would name (each written row's primary key and index values, read off Dexie's schema),
 *   so every liveQuery here and in other extension pages (the popup's day, its outbox count) re-runs as before;
 * - the same durability as Dexie's transactions (the browser's default);
 * - a failed request aborts the whole transaction (its error event is left to bubble), so no write is kept alone.
 *
 * Nothing here is ever nested in a Dexie transaction: a caller inside one writes through Dexie.
 *
 * One thing differs: in the writing context itself, query results Dexie has cached for a liveQuery are not dropped
 * by the signal (Dexie drops them for its own transactions, and for signals from other contexts), so such a query
 * here could re-run on a stale cache. The only writer is the worker, which runs no liveQuery.
 */
import Dexie, { RangeSet, type DBCoreIndex, type IndexableType, type ObservabilitySet } from 'dexie';

/** A read: a row by primary key, or the first row of an index by its key. */
export interface DirectRead {
  table: string;
  key: IDBValidKey;
  index?: string;
}

type Values<T extends readonly unknown[]> = { [K in keyof T]: T[K] | undefined };

export class DirectWrite {
  private readonly tx: IDBTransaction;
  private readonly parts: Record<string, RangeSet> = {};
  private abortReason: unknown;
  /** Settles when the transaction commits (after `storagemutated` is fired) or aborts (with the abort's reason). */
  readonly done: Promise<void>;

  constructor(
    private readonly db: Dexie,
    storeNames: readonly string[],
  ) {
    this.tx = db.backendDB().transaction([...storeNames], 'readwrite');
    this.done = new Promise((resolve, reject) => {
      this.tx.oncomplete = () => {
        const parts: ObservabilitySet = this.parts;
        Dexie.on.storagemutated.fire(parts);
        resolve();
      };
      this.tx.onabort = () => reject(this.abortReason ?? this.tx.error ?? new Error('the transaction was aborted'));
    });
  }

  /**
   * Issues the reads at once and hands their rows to `then`, synchronously in the last one's success event: the
   * transaction is still active there, so `then` can commit or abort it before IndexedDB could commit on its own.
   */
  readAll<T extends readonly unknown[]>(reads: { [K in keyof T]: DirectRead }, then: (values: Values<T>) => void): void {
    const values: unknown[] = [];
    let pending = reads.length;
    reads.forEach(({ table, key, index }, i) => {
      const store = this.tx.objectStore(table);
      const request = index ? store.index(index).get(key) : store.get(key);
      request.onsuccess = () => {
        values[i] = request.result;
        pending -= 1;
        if (pending === 0) then(values as unknown as Values<T>);
      };
    });
  }

  put(table: string, value: object): void {
    this.write(table, value, 'put');
  }

  add(table: string, value: object): void {
    this.write(table, value, 'add');
  }

  /**
   * Tells IndexedDB that the last request is issued, so it commits as soon as they are done (as commitIssued in
   * lib/audits.ts does for Dexie's transactions).
   */
  commit(): void {
    try {
      this.tx.commit();
    } catch {
      // An engine before IndexedDB 3, or no longer active: the transaction commits on its own.
    }
  }

  /** Aborts the transaction; `done` rejects with `reason`. */
  abort(reason: unknown): void {
    this.abortReason = reason;
    this.tx.abort();
  }

  private write(table: string, value: object, kind: 'put' | 'add'): void {
    const { primaryKey, indexes } = this.db.core.table(table).schema;
    const request = kind === 'put' ? this.tx.objectStore(table).put(value) : this.tx.objectStore(table).add(value);
    const key: IndexableType | undefined = primaryKey.extractKey?.(value);
    if (key !== undefined) this.touchRow(table, key, indexes, value);
    // A generated key is known once the request succeeds, which is before the transaction can commit. (Every
    // IndexedDB key is one of Dexie's indexable types; the DOM's type for it is only wider on paper.)
    else request.onsuccess = () => this.touchRow(table, request.result as IndexableType, indexes, value);
  }

  /** What Dexie's observability middleware records for a row written without reading what it replaced. */
  private touchRow(table: string, key: IndexableType, indexes: readonly DBCoreIndex[], value: object): void {
    const part = (index: string) => (this.parts[`idb://${this.db.name}/${table}/${index}`] ??= new RangeSet());
    part('').addKey(key);
    part(':dels').addKey(key);
    for (const index of indexes) {
      const indexed: unknown = index.extractKey?.(value);
      if (indexed == null) continue;
      const keys = index.multiEntry && Array.isArray(indexed) ? indexed : [indexed];
      for (const one of keys as IndexableType[]) part(index.name ?? '').addKey(one);
    }
  }
}
