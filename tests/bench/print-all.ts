/**
 * Vitest global setup for `npm run bench`: when every benchmark file has run, prints the whole table of the
 * latest figures (including those of files not run this time, with the date they were measured).
 */
import { formatTable, readResults, RESULTS_PATH } from './results';

export function teardown(): void {
  const results = Object.values(readResults());
  if (results.length === 0) return;
  const dates = results.map((r) => `${r.bench}: ${r.measuredAt}`).join(', ');
  console.log(`\nLatest benchmark figures (${RESULTS_PATH}; measured ${dates})\n\n${formatTable(results)}\n`);
}
