import { z } from 'zod';

// Extension pages and the worker run under a CSP without 'unsafe-eval': zod's compiled fast path (new Function)
// would be refused there on first use. Parse without it everywhere, so behaviour is the same in tests.
z.config({ jitless: true });

/** Client-made record id (crypto.randomUUID). */
export const recordIdSchema = z.uuid();

/** Epoch milliseconds. */
export const epochMsSchema = z.number().int().nonnegative().max(8_640_000_000_000_000);

/** Short identifiers chosen by people (tag ids, site ids): lowercase words joined by dashes. */
export const slugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single dashes, e.g. "missed-violation"');

/** Text read off a labeling page or typed by a person: trimmed, never empty, bounded. */
export const pageTextSchema = (max: number) => z.string().trim().min(1).max(max);

/** Fields every synced record carries (DESIGN.md, "Records (v1)"). */
export const recordBaseShape = {
  id: recordIdSchema,
  /** Increases by one on every change, deletes included. */
  rev: z.number().int().min(1),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
  /** Tombstone: deletes sync too. */
  deleted: z.boolean(),
};

/** True when `source` compiles as a JavaScript regular expression. */
export function isValidRegex(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}
