import { z } from 'zod';
import { isValidRegex, slugSchema } from './common';
import { isValidMatchPattern } from '../match-pattern';

const regexSourceSchema = z
  .string()
  .min(1)
  .max(500)
  .refine(isValidRegex, 'not a valid regular expression');

/** Read a value from the page URL (origin + path + query + hash) with a regex; `group` picks the capture. */
export const urlFieldSourceSchema = z.strictObject({
  from: z.literal('url'),
  pattern: regexSourceSchema,
  group: z.number().int().min(0).max(20).default(1),
});

/**
 * Read a value from the DOM: the first element matching `selector`, its `attribute` (or its text when none),
 * optionally narrowed by `pattern` (capture `group`).
 */
export const domFieldSourceSchema = z.strictObject({
  from: z.literal('dom'),
  selector: z.string().trim().min(1).max(500),
  attribute: z.string().trim().min(1).max(100).optional(),
  pattern: regexSourceSchema.optional(),
  group: z.number().int().min(0).max(20).default(1),
});

export const fieldSourceSchema = z.discriminatedUnion('from', [urlFieldSourceSchema, domFieldSourceSchema]);
export type FieldSource = z.infer<typeof fieldSourceSchema>;

export const ITEM_FIELDS = ['itemId', 'labelerId', 'labelerDecision', 'queue'] as const;
export type ItemField = (typeof ITEM_FIELDS)[number];

export const matchPatternSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine(isValidMatchPattern, 'write a match pattern like "https://tool.example.com/review/*"');

/** How to read an item off one labeling tool's pages (DESIGN.md, "Site profile"). */
export const siteProfileSchema = z.strictObject({
  id: slugSchema,
  name: z.string().trim().min(1).max(80),
  /** Loupe runs only on enabled sites whose origin the user granted. */
  enabled: z.boolean(),
  match: z.array(matchPatternSchema).min(1).max(20),
  fields: z.strictObject({
    itemId: fieldSourceSchema,
    labelerId: fieldSourceSchema.optional(),
    labelerDecision: fieldSourceSchema.optional(),
    queue: fieldSourceSchema.optional(),
  }),
  /** Query parameters kept in an audit's `itemUrl`; everything else in the query and the fragment is dropped. */
  keepParams: z.array(z.string().min(1).max(100)).max(20).default([]),
});
export type SiteProfile = z.infer<typeof siteProfileSchema>;
export type SiteProfileInput = z.input<typeof siteProfileSchema>;
