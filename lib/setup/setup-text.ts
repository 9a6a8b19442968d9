/**
 * Site setup's problems and the picker's words in the reader's language (issue 7). The content script and the worker
 * carry no catalogs, so they report problems as codes (lib/site-profile.ts `ReadProblem`, setup-protocol.ts
 * `SetupProblem`); the panel and the options page word them here with their own translator. English is the default,
 * for tests and for anything that shows a problem without a translator at hand.
 */
import common from '../i18n/catalogs/en/common';
import setup from '../i18n/catalogs/en/setup';
import type { MessageKey } from '../i18n/messages';
import { createTranslator, type Translator } from '../i18n/translator';
import type { ItemField } from '../schemas';
import type { ReadProblem } from '../site-profile';
import type { PickerWords, SetupProblem } from './setup-protocol';

/** Any translator that has the setup (and common) messages: the panel's and the options page's both do. */
export type SetupT = Translator<MessageKey<'common' | 'setup'>>['t'];

export const englishSetupTranslator = createTranslator<MessageKey<'common' | 'setup'>>('en', { common, setup }, { common, setup });
const english: SetupT = englishSetupTranslator.t;

/** Why a field of an item read nothing: `no element matches "…" on this page`. */
export function describeReadProblem(problem: ReadProblem, t: SetupT = english): string {
  switch (problem.code) {
    case 'not-http':
      return t('setup.read.not-http', { url: problem.url });
    case 'invalid-selector':
      return t('setup.read.invalid-selector', { selector: problem.selector });
    case 'no-match':
      return t('setup.read.no-match', { selector: problem.selector });
    case 'no-attribute':
      return t('setup.read.no-attribute', { attribute: problem.attribute });
    case 'empty-attribute':
      return t('setup.read.empty-attribute', { attribute: problem.attribute });
    case 'empty-element':
      return t('setup.read.empty-element', { selector: problem.selector });
    case 'invalid-regex':
      return t('setup.read.invalid-regex', { pattern: problem.pattern });
    case 'url-no-match':
      return t('setup.read.url-no-match', { pattern: problem.pattern });
    case 'text-no-match':
      return t('setup.read.text-no-match', { pattern: problem.pattern, text: problem.text });
    // Group numbers are written as they are typed in the profile, not the locale's way.
    case 'no-group':
      return t('setup.read.no-group', { pattern: problem.pattern, group: String(problem.group), last: String(problem.last) });
    case 'url-group-empty':
      return t('setup.read.url-group-empty', { pattern: problem.pattern, group: String(problem.group) });
    case 'text-group-empty':
      return t('setup.read.text-group-empty', { pattern: problem.pattern, group: String(problem.group), text: problem.text });
  }
}

/** Why setup could not start, attach, read the page or save. */
export function describeSetupProblem(problem: SetupProblem, t: SetupT = english): string {
  switch (problem.code) {
    case 'no-access':
      return problem.detail === undefined ? t('setup.refusal.no-access-tab') : t('setup.refusal.no-access', { detail: problem.detail });
    case 'not-covered':
      return t('setup.refusal.not-covered', { url: problem.url });
    case 'id-taken':
      return t('setup.refusal.id-taken', { id: problem.id });
    case 'id-changed':
      return t('setup.refusal.id-changed', { id: problem.id });
    case 'not-saved':
      return t('setup.refusal.not-saved', { detail: problem.detail });
    case 'no-data':
      return t('setup.refusal.no-data', { detail: problem.detail });
    case 'no-answer':
      return problem.detail === undefined ? t('setup.refusal.odd-answer') : t('setup.refusal.no-answer', { detail: problem.detail });
    default:
      return t(`setup.refusal.${problem.code}`);
  }
}

/** What the page's picker says while the user points at `field`, in the translator's language. */
export function pickerWords(field: ItemField, t: SetupT = english): PickerWords {
  return {
    prompt: t(`setup.picker.prompt.${field}`),
    keys: t('setup.picker.keys'),
    cancel: t('setup.picker.cancel'),
    nothingThere: t('setup.picker.nothingThere'),
    nothingHighlighted: t('setup.picker.nothingHighlighted'),
    // The picker fills the label in on the page: the placeholder goes through as written.
    outlined: t('setup.picker.outlined', { label: '{label}' }),
  };
}
