/**
 * Turns zod issues into messages shown next to the field they are about. Each section maps the issue paths it
 * owns to its own field keys; anything it cannot place is listed at the top of the section, so no problem is
 * ever silently dropped.
 */
import type { z } from 'zod';
import { englishOptionsTranslator, type OptionsT } from './i18n';

export type Issue = z.core.$ZodIssue;
export type FieldErrors = Record<string, string>;

/**
 * Zod's default wording, made shorter and plainer for the cases people hit while typing, in the page's language.
 * Other issues carry the schema's own English words (lib/schemas), shown as they are.
 */
export function issueMessage(issue: Issue, t: OptionsT['t'] = englishOptionsTranslator.t): string {
  if (issue.code === 'too_small' && issue.minimum === 1) {
    if (issue.origin === 'string') return t('options.issue.required');
    if (issue.origin === 'array') return t('options.issue.addOne');
  }
  if (issue.code === 'too_big' && issue.origin === 'string') return t('options.issue.tooLong', { max: Number(issue.maximum) });
  if (issue.code === 'invalid_type' && issue.expected === 'number') return t('options.issue.number');
  return issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
}

/** `taxonomy › tags › 2: …`: where in the settings a problem is, for problems no field shows. */
export function issueAt(path: readonly PropertyKey[], problem: string, t: OptionsT['t'] = englishOptionsTranslator.t): string {
  return path.length ? t('options.issue.where', { where: path.map(String).join(' › '), problem }) : problem;
}

export interface SplitIssues {
  fields: FieldErrors;
  other: string[];
}

/**
 * `toField` returns the field key for an issue path (or undefined when the section has no field for it).
 * The first problem found for a field wins: one clear message per field.
 */
export function splitIssues(
  issues: readonly Issue[],
  toField: (path: readonly PropertyKey[]) => string | undefined,
  t: OptionsT['t'] = englishOptionsTranslator.t,
): SplitIssues {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const key = toField(issue.path);
    if (key !== undefined) {
      fields[key] ??= issueMessage(issue, t);
    } else {
      other.push(issueAt(issue.path, issueMessage(issue, t), t));
    }
  }
  return { fields, other };
}

/** True when `path` starts with `prefix`. */
export function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.every((part, index) => path[index] === part);
}

/** A whole number typed in a text box, or a message saying what to type. */
export function parseWholeNumber(
  text: string,
  min: number,
  max: number,
  t: OptionsT['t'] = englishOptionsTranslator.t,
): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < min || Number(trimmed) > max) {
    return { ok: false, message: t('options.issue.wholeNumber', { min: String(min), max: String(max) }) };
  }
  return { ok: true, value: Number(trimmed) };
}
