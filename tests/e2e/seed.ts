/**
 * Seeds a backlog straight into the extension's IndexedDB, the way `recordVerdict` leaves it (an audit, its
 * revision and its outbox entry, in the append-only queue's shape, per record), for sync tests that need thousands of records: recording them one
 * by one through the panel would take minutes. Raw IndexedDB from an extension page, like readExtensionDb.
 */
import type { BrowserContext } from 'playwright-core';

export interface SeedOptions {
  count: number;
  /** Records whose index is a multiple of this get a second revision (rev 2, verdict changed). 0: none. */
  reviseEvery?: number;
  prefix?: string;
  auditorId?: string;
  now?: number;
}

export async function seedBacklog(context: BrowserContext, extensionId: string, options: SeedOptions): Promise<Array<{ id: string; rev: number }>> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    // The options page has opened the database (and so upgraded it to the current version) by the time it shows.
    await page.getByRole('heading', { name: 'Loupe options' }).waitFor();
    return await page.evaluate(async ({ count, reviseEvery, prefix, auditorId, now }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('loupe');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const written: Array<{ id: string; rev: number }> = [];
      const tx = db.transaction(['audits', 'auditRevisions', 'outbox'], 'readwrite');
      for (let i = 0; i < count; i += 1) {
        const id = crypto.randomUUID();
        const itemId = `${prefix}-${i}`;
        const base = {
          id,
          createdAt: now,
          updatedAt: now,
          deleted: false,
          siteId: 'labeldesk',
          itemId,
          itemUrl: `http://127.0.0.1/labeldesk/task/${itemId}`,
          labelerId: `lab-${i % 7}`,
          auditorId,
          verdict: 'correct',
          errorTags: [] as string[],
          taxonomyVersion: 1,
        };
        const revisions = [{ ...base, rev: 1 }];
        if (reviseEvery > 0 && i % reviseEvery === 0) {
          revisions.push({ ...base, rev: 2, updatedAt: now + 1, verdict: 'incorrect', errorTags: ['wrong-policy'] });
        }
        const latest = revisions[revisions.length - 1]!;
        for (const revision of revisions) tx.objectStore('auditRevisions').put(revision);
        tx.objectStore('audits').put(latest);
        // As queueRecordChange writes it (schema v8): the key generator gives `seq`, so the queue is in write order,
        // and the entry carries the record as it travels (lib/sync/outbox.ts, wireRecord).
        const { id: _id, rev, deleted, updatedAt, ...data } = latest;
        tx.objectStore('outbox').add({
          key: `audit:${id}`,
          type: 'audit',
          recordId: id,
          rev,
          record: { type: 'audit', id, rev, deleted, updatedAt, data },
          status: 'pending',
          enqueuedAt: now + i,
        });
        written.push({ id, rev: latest.rev });
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      return written;
    }, { count: options.count, reviseEvery: options.reviseEvery ?? 0, prefix: options.prefix ?? 'SEED', auditorId: options.auditorId ?? 'qa-maria', now: options.now ?? Date.now() });
  } finally {
    await page.close();
  }
}
