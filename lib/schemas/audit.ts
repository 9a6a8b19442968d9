import { z } from 'zod';
import { epochMsSchema, pageTextSchema, recordBaseShape, slugSchema } from './common';

export const VERDICTS = ['correct', 'incorrect', 'unsure'] as const;
export const verdictSchema = z.enum(VERDICTS);
export type Verdict = z.infer<typeof verdictSchema>;

export const SEVERITIES = ['minor', 'major', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** What Loupe read off the labeling page for the item on screen. */
export const detectedItemSchema = z.strictObject({
  siteId: slugSchema,
  itemId: pageTextSchema(256),
  /** Origin + path (+ the profile's kept query parameters); never the fragment or the rest of the query. */
  itemUrl: z.url({ protocol: /^https?$/ }).max(2048),
  labelerId: pageTextSchema(256).optional(),
  labelerDecision: pageTextSchema(256).optional(),
  queue: pageTextSchema(256).optional(),
});
export type DetectedItem = z.infer<typeof detectedItemSchema>;

/** What the analyst decided: the part of an audit the panel sends. */
export const verdictInputShape = {
  verdict: verdictSchema,
  errorTags: z.array(slugSchema).max(32),
  severity: severitySchema.optional(),
  correctedDecision: pageTextSchema(256).optional(),
  note: pageTextSchema(5000).optional(),
  /** Time from the item being shown to the verdict. */
  durationMs: z.number().int().nonnegative().max(86_400_000).optional(),
};

function checkTags(value: { verdict: Verdict; errorTags: string[] }, ctx: z.RefinementCtx) {
  if (value.verdict === 'incorrect' && value.errorTags.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['errorTags'], message: 'an incorrect verdict needs at least one error tag' });
  }
  if (new Set(value.errorTags).size !== value.errorTags.length) {
    ctx.addIssue({ code: 'custom', path: ['errorTags'], message: 'an error tag is listed twice' });
  }
}

export const verdictInputSchema = z.strictObject(verdictInputShape).superRefine(checkTags);
export type VerdictInput = z.infer<typeof verdictInputSchema>;

/** One auditor's verdict on one item (DESIGN.md, "Audit"). A re-audit updates it with a new `rev`. */
export const auditSchema = z
  .strictObject({
    ...recordBaseShape,
    ...detectedItemSchema.shape,
    auditorId: pageTextSchema(128),
    ...verdictInputShape,
    taxonomyVersion: z.number().int().min(1),
    /** Set only on tombstones, so the sparse index lists deletes without scanning. */
    deletedAt: epochMsSchema.optional(),
  })
  .superRefine(checkTags);
export type Audit = z.infer<typeof auditSchema>;
