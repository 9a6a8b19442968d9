/**
 * Problems the worker and lib report to people (sync status, failed writes, refusals) in their language (issue 7).
 *
 * A problem keeps the English `message` it always had: rows already stored in IndexedDB have nothing else, and it
 * is what any page can show. Beside it, its identity (lib/problem-schema.ts): `key`, the name of its message in
 * the `problems` catalog, and `params`, the values of that message's placeholders. The worker writes the English
 * text from the catalog itself (`englishProblem`), so the two never disagree; a page shows the problem with one of the
 * `describe*` helpers below, which translate a key they know and fall back to the English message otherwise (a
 * row from before keys, a key from a newer Loupe, params that do not fit the message).
 */
import problems from './i18n/catalogs/en/problems';
import type { ArgsOf, MessageKey, Param } from './i18n/messages';
import { createTranslator, type Translator } from './i18n/translator';
import type { ProblemParams } from './problem-schema';

export type { ProblemParams } from './problem-schema';

export type ProblemKey = Extract<keyof typeof problems, string>;

/** What any problem carries: its English words, and (when it was written by this version) its identity. */
export interface ProblemText {
  message: string;
  /** Typed `string`: what comes back from storage or another context may name a key this version lacks. */
  key?: string;
  params?: ProblemParams;
}

/** A problem as the worker builds it: identity, and its English words from the catalog. */
export interface BuiltProblem<K extends ProblemKey = ProblemKey> {
  key: K;
  message: string;
  params?: ProblemParams;
}

const english = createTranslator<MessageKey<'problems'>>('en', { problems }, { problems });

/** Any key with any params: for identities chosen at run time; `describeProblem` checks the params at display. */
export function englishProblemFrom<K extends ProblemKey>(key: K, params?: ProblemParams): BuiltProblem<K> {
  const t = english.t as (key: string, params?: ProblemParams) => string;
  return { key, message: t(`problems.${key}`, params), ...(params && Object.keys(params).length > 0 ? { params } : {}) };
}

/** The problem `key` with its placeholders' values, checked against its English message at compile time. */
export function englishProblem<K extends ProblemKey>(key: K, ...args: ArgsOf<`problems.${K}`>): BuiltProblem<K> {
  return englishProblemFrom(key, args[0] as ProblemParams | undefined);
}

/** A problem thrown through code that only passes errors on (the popup's team numbers): its identity goes along. */
export class ProblemError extends Error {
  readonly key?: string;
  readonly params?: ProblemParams;
  constructor({ message, key, params }: ProblemText) {
    super(message);
    this.name = 'ProblemError';
    if (key !== undefined) this.key = key;
    if (params !== undefined) this.params = params;
  }
}

/** What was thrown, as a problem a page can say: a `ProblemError`'s identity, any other error's own words. */
export function problemOfError(error: unknown): ProblemText {
  if (error instanceof ProblemError) {
    return { message: error.message, ...(error.key ? { key: error.key } : {}), ...(error.params ? { params: error.params } : {}) };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/** An error's own words for a `{detail}` placeholder, cut short: the schemas cap each param (lib/problem-schema.ts). */
export function errorDetail(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/** The placeholders `{name}` of every form of an English message, and `count` for a plural one. */
function placeholdersOf(key: ProblemKey): string[] {
  const message: string | Readonly<Record<string, string>> = problems[key];
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  const names = texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''));
  return typeof message === 'string' ? names : [...names, 'count'];
}

/** What a page needs to say a problem: its translator (any page's binding that bundles `problems.*`). */
export type ProblemWords = Pick<Translator<MessageKey<'problems'>>, 't'>;

function isKnown(key: string | undefined): key is ProblemKey {
  return key !== undefined && Object.hasOwn(problems, key);
}

/**
 * `problem` in the page's language: its key's message with its params, and `extra` (values a page adds at
 * display, such as a time in its own format) over them; its English `message` when the key is unknown or a
 * placeholder would stay unfilled.
 */
export function describeProblem(problem: ProblemText, { t }: ProblemWords, extra?: Readonly<Record<string, Param>>): string {
  const { key } = problem;
  if (!isKnown(key)) return problem.message;
  const params: Record<string, unknown> = { ...problem.params, ...extra };
  const filled = placeholdersOf(key).every((name) => typeof params[name] === 'string' || typeof params[name] === 'number');
  if (!filled) return problem.message;
  return (t as (key: string, params: Readonly<Record<string, unknown>>) => string)(`problems.${key}`, params);
}

/** A failed request's words (`Failure` in lib/protocol.ts) in the page's language. */
export function describeFailure(failure: ProblemText & { readonly code?: string }, words: ProblemWords): string {
  return describeProblem(failure, words);
}

/**
 * A sync problem (lib/sync/status.ts) in the page's language, its retry time written by `time` (each surface
 * writes times its own way), not as the worker wrote it in English.
 */
export function describeSyncProblem(problem: ProblemText & { retryAt?: number }, words: ProblemWords, time: (at: number) => string): string {
  return describeProblem(problem, words, problem.retryAt === undefined ? undefined : { time: time(problem.retryAt) });
}
