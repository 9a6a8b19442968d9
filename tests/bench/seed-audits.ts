/**
 * Fills the extension's database with a realistic history of audits for benchmarks: `count` audits spread
 * evenly over the last `days` calendar days (so today holds count / days), five auditors, 25 labelers, ~8 %
 * incorrect with tags and severities, ~3 % unsure. Raw IndexedDB from an extension page, the shape
 * lib/audits.ts writes (audit + revision; already synced, so no outbox entries).
 */
import type { BrowserContext } from 'playwright-core';

export interface SeedHistoryOptions {
  count: number;
  days: number;
  now: number;
  /** Added to generated item ids, so repeated seeding never overwrites. */
  prefix: string;
}

/**
 * Seeds, then has the worker rebuild its day tallies (lib/leads/day-stats.ts) the way it does after an upgrade
 * or a zone change, since raw writes bypass them. Resolves with the rebuild's time as seen from the page (ms).
 */
export async function seedAuditHistory(context: BrowserContext, extensionId: string, options: SeedHistoryOptions): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await page.getByRole('heading', { name: 'Loupe options' }).waitFor();
    return await page.evaluate(async ({ count, days, now, prefix }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('loupe');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tags = ['missed-violation', 'over-enforcement', 'wrong-policy', 'wrong-severity', 'insufficient-context'];
      const auditors = ['qa-maria', 'qa-sok', 'qa-linh', 'qa-nur', 'qa-ari'];
      // Days in the browser's zone (the popup's default): today runs from its midnight to now.
      const today = new Date(now);
      const dayStart = (back: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate() - back).getTime();
      const chunk = 5_000;
      for (let from = 0; from < count; from += chunk) {
        const tx = db.transaction(['audits', 'auditRevisions'], 'readwrite');
        for (let i = from; i < Math.min(count, from + chunk); i += 1) {
          // Deterministic spread: audit i lands on day (i mod days) before today, at a time inside that day.
          const dayBack = i % days;
          const start = dayStart(dayBack);
          const span = Math.max(1, (dayBack === 0 ? now : dayStart(dayBack - 1)) - start);
          const createdAt = start + ((i * 7919) % span);
          const roll = (i * 2654435761) % 100;
          const verdict = roll < 8 ? 'incorrect' : roll < 11 ? 'unsure' : 'correct';
          const audit: Record<string, unknown> = {
            id: crypto.randomUUID(),
            rev: 1,
            createdAt,
            updatedAt: createdAt,
            deleted: false,
            siteId: 'labeldesk',
            itemId: `${prefix}-${i}`,
            itemUrl: `http://127.0.0.1/labeldesk/task/${prefix}-${i}`,
            labelerId: `lab-${(i * 31) % 25}`,
            labelerDecision: 'approve',
            queue: 'hate-speech',
            auditorId: auditors[i % auditors.length],
            verdict,
            errorTags: verdict === 'incorrect' ? [tags[i % tags.length], ...(i % 3 === 0 ? [tags[(i + 1) % tags.length]] : [])] : [],
            taxonomyVersion: 1,
            durationMs: 20_000 + (i % 40_000),
          };
          if (verdict === 'incorrect') audit.severity = i % 10 === 0 ? 'critical' : 'major';
          tx.objectStore('audits').put(audit);
          tx.objectStore('auditRevisions').put(audit);
        }
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      }
      // Drop the tallies' meta row (raw writes made them stale), then ask the worker to rebuild and wait for it.
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('meta', 'readwrite');
        tx.objectStore('meta').delete('dayStats');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      const started = performance.now();
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome.runtime;
      await runtime.sendMessage({ type: 'page/refresh-day-stats' });
      for (;;) {
        const meta = await new Promise<unknown>((resolve, reject) => {
          const request = db.transaction('meta').objectStore('meta').get('dayStats');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (meta) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const rebuild = performance.now() - started;
      db.close();
      return rebuild;
    }, options);
  } finally {
    await page.close();
  }
}
