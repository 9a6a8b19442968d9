/**
 * Where benchmark figures go: `tests/bench/results.json` (merged by benchmark name, so running one file keeps
 * the others' latest figures) and a readable table on stdout. Figures are medians over repeated runs, each
 * beside a baseline measured in the same run, so that ratios hold on a shared, noisy machine (issue 6).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_PATH = join(import.meta.dirname, 'results.json');

export interface Figure {
  /** What was measured, e.g. "popup open → summary painted, 100,000 audits". */
  name: string;
  value: number;
  unit: 'ms' | 'KB' | 'MB' | 'records/s' | 'requests' | '%' | 'x';
  /** How many runs the median is over. */
  runs?: number;
  /** The same thing done without Loupe (or naively), measured in the same run. */
  baseline?: { name: string; value: number };
  /** The issue's target, written as it reads: "< 150 ms". */
  target?: string;
  /** Whether the target is met; absent when there is no target. */
  met?: boolean;
  /** p95 and other spreads, when they matter. */
  extra?: Record<string, number>;
}

export interface BenchResult {
  bench: string;
  measuredAt: string;
  machine: { cpus: number; chromium?: string };
  figures: Figure[];
}

type ResultsFile = Record<string, BenchResult>;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function readResults(): ResultsFile {
  if (!existsSync(RESULTS_PATH)) return {};
  return JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as ResultsFile;
}

export function formatTable(results: readonly BenchResult[]): string {
  const rows: string[][] = [['benchmark', 'figure', 'value', 'baseline', 'target', '']];
  for (const result of results) {
    for (const f of result.figures) {
      rows.push([
        result.bench,
        f.name,
        `${round(f.value, 2)} ${f.unit}${f.runs ? ` (median of ${f.runs})` : ''}`,
        f.baseline ? `${f.baseline.name}: ${round(f.baseline.value, 2)}` : '',
        f.target ?? '',
        f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
      ]);
    }
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n');
}

/** Stores one benchmark's figures and prints them. */
export function recordBench(result: BenchResult): void {
  const all = readResults();
  all[result.bench] = result;
  writeFileSync(RESULTS_PATH, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`\n${formatTable([result])}\n`);
}
