import { z } from 'zod';
import { slugSchema } from './common';
import { hotkeySchema } from './hotkeys';
import { SEVERITIES, type Severity } from './audit';

/** Groups of error tags for root-cause analysis (DESIGN.md). */
export const ROOT_CAUSES = ['knowledge-gap', 'guideline-ambiguity', 'attention-slip', 'tooling', 'other'] as const;
export const rootCauseSchema = z.enum(ROOT_CAUSES);
export type RootCause = z.infer<typeof rootCauseSchema>;

export const errorTagSchema = z.strictObject({
  id: slugSchema,
  label: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).optional(),
  /** One key that toggles the tag while the panel or the labeling page has focus. */
  hotkey: hotkeySchema.optional(),
  rootCause: rootCauseSchema,
});
export type ErrorTag = z.infer<typeof errorTagSchema>;

/**
 * Weights are relative (only their ratios matter), so a cap costs nothing and keeps n · max w, the denominator
 * of severity-weighted accuracy, far from overflowing to Infinity.
 */
export const MAX_SEVERITY_WEIGHT = 1000;

const severityWeightSchema = (severity: Severity) =>
  z
    .number({ error: `the ${severity} weight must be a finite number` })
    .min(0, `the ${severity} weight cannot be below 0`)
    .max(MAX_SEVERITY_WEIGHT, `the ${severity} weight can be at most ${MAX_SEVERITY_WEIGHT}`);

/**
 * How much an error of each severity counts in severity-weighted accuracy (lib/metrics/severity.ts, issue 4).
 * zod 4's `z.number()` already refuses NaN and ±Infinity, so "finite" needs no rule of its own.
 */
export const severityWeightsSchema = z
  .strictObject({
    minor: severityWeightSchema('minor'),
    major: severityWeightSchema('major'),
    critical: severityWeightSchema('critical'),
  })
  .refine((weights) => SEVERITIES.some((severity) => weights[severity] > 0), {
    message: 'give at least one severity a weight above 0 (or remove the weights)',
  });
export type SeverityWeights = z.infer<typeof severityWeightsSchema>;

export const taxonomySchema = z
  .strictObject({
    /** Increases whenever the list of tags changes, so every audit says which list it was tagged against. */
    version: z.number().int().min(1),
    tags: z.array(errorTagSchema).min(1).max(100),
    /**
     * Absent: the team has not weighted severities and no weighted figure is shown. Changing weights does not
     * raise `version` (lib/settings-store.ts raises it for tag changes only): audits record the tags they were
     * made with, while weights only decide how the dashboard reads them, today, for every audit alike.
     */
    severityWeights: severityWeightsSchema.optional(),
  })
  .superRefine((taxonomy, ctx) => {
    const ids = new Set<string>();
    const keys = new Set<string>();
    taxonomy.tags.forEach((tag, index) => {
      if (ids.has(tag.id)) {
        ctx.addIssue({ code: 'custom', path: ['tags', index, 'id'], message: `tag id "${tag.id}" is used twice` });
      }
      ids.add(tag.id);
      if (tag.hotkey) {
        const key = tag.hotkey.toLowerCase();
        if (keys.has(key)) {
          ctx.addIssue({ code: 'custom', path: ['tags', index, 'hotkey'], message: `hotkey "${tag.hotkey}" is used twice` });
        }
        keys.add(key);
      }
    });
  });
export type Taxonomy = z.infer<typeof taxonomySchema>;

/** The Trust & Safety default that ships; teams edit it in options (which bumps the version). */
export const DEFAULT_TAXONOMY: Taxonomy = {
  version: 1,
  tags: [
    {
      id: 'missed-violation',
      label: 'Missed violation',
      description: 'Content breaks policy but was labeled as allowed.',
      hotkey: 'm',
      rootCause: 'knowledge-gap',
    },
    {
      id: 'over-enforcement',
      label: 'Over-enforcement',
      description: 'Content is allowed but was actioned.',
      hotkey: 'o',
      rootCause: 'knowledge-gap',
    },
    {
      id: 'wrong-policy',
      label: 'Wrong policy',
      description: 'Actioned, but under the wrong policy or reason code.',
      hotkey: 'p',
      rootCause: 'knowledge-gap',
    },
    {
      id: 'wrong-severity',
      label: 'Wrong severity',
      description: 'Right policy, wrong severity or enforcement level.',
      hotkey: 's',
      rootCause: 'attention-slip',
    },
    {
      id: 'insufficient-context',
      label: 'Insufficient context',
      description: 'Decided without the context the item needed (thread, profile, media).',
      hotkey: 'c',
      rootCause: 'attention-slip',
    },
    {
      id: 'guideline-unclear',
      label: 'Guideline unclear',
      description: 'The guideline does not settle this case; the decision was reasonable.',
      hotkey: 'g',
      rootCause: 'guideline-ambiguity',
    },
    {
      id: 'tooling-problem',
      label: 'Tooling problem',
      description: 'The labeling tool hid, mis-rendered or lost something.',
      hotkey: 't',
      rootCause: 'tooling',
    },
  ],
};
