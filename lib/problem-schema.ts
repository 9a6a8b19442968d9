/**
 * The identity of a problem the worker or lib reports (issue 7), as it crosses a message boundary or sits in
 * IndexedDB: `key`, the name of its message in the `problems` catalog, and `params`, the values of that message's
 * placeholders. Both are optional beside the English `message`, which older rows and unknown keys fall back to
 * (lib/problems.ts). Kept apart from lib/problems.ts so lib/protocol.ts checks them without bundling any text.
 */
import { z } from 'zod';

/** `sync.offline`, `verdict.noAuditor`: a catalog name, not text. */
export const problemKeySchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][\w.-]*$/);

/**
 * A few short values: an HTTP status, a host, a count, an error's own words (cut to 500 characters, the server's
 * reasons to 300). The longest is a verdict's unknown tags, quoted: 32 slugs of up to 64 characters. Placeholder
 * names are word characters, as the catalogs write them.
 */
export const problemParamsSchema = z
  .record(z.string().regex(/^\w{1,32}$/), z.union([z.string().max(2500), z.number().finite()]))
  .refine((params) => Object.keys(params).length <= 8, 'at most 8 params');

export type ProblemParams = Readonly<Record<string, string | number>>;
