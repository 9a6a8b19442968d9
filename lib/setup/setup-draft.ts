/**
 * The site profile being built by point-and-click setup (issue 7), as plain data, and the pure functions that move
 * it along: a step per field (item id, labeler, decision, queue; each optional but the item id), then naming and
 * saving. The setup UI keeps a `SetupDraft` in a reducer (components/panel/SiteSetup.tsx); this module turns it
 * into a `SiteProfile`, or says exactly what stops it, as problem codes the UI words.
 */
import { isValidMatchPattern, matchesPattern } from '../match-pattern';
import { isValidRegex, ITEM_FIELDS, siteProfileSchema, slugSchema, type FieldSource, type ItemField, type SiteProfile } from '../schemas';
import { proposeMatchPattern, proposeSiteId, proposeSiteName, proposeUrlPattern, proposeValuePattern } from './propose';
import type { PickedElement, SetupStart } from './setup-protocol';

export const SETUP_STEPS = [...ITEM_FIELDS, 'review'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** One field as the user edits it: text boxes hold strings, checked when the profile is built. */
export interface FieldDraft {
  from: FieldSource['from'];
  selector: string;
  /** Empty: the element's text. */
  attribute: string;
  /** Empty: the whole text (an element only; an address always needs a pattern). */
  pattern: string;
  group: string;
  /** What the user picked on the page, if they did (an existing profile's fields were not picked). */
  picked: PickedElement | null;
}

export interface SetupDraft {
  step: SetupStep;
  /** null: not set up (skipped, or never reached). */
  fields: Record<ItemField, FieldDraft | null>;
  name: string;
  id: string;
  /** Match patterns, one per line. */
  match: string;
}

/** Why a part of the draft cannot be saved; the UI says it in words. */
export type DraftProblem =
  | { kind: 'required' }
  | { kind: 'not-picked' }
  | { kind: 'invalid-selector' }
  | { kind: 'invalid-regex' }
  | { kind: 'bad-group' }
  | { kind: 'bad-id' }
  | { kind: 'id-taken' }
  | { kind: 'bad-match'; line: number }
  | { kind: 'not-covering' };

/** Problems keyed by where they are shown: `fields.itemId.selector`, `name`, `id`, `match`, `fields.itemId`. */
export type DraftProblems = Record<string, DraftProblem>;

function fieldDraft(source: FieldSource | undefined): FieldDraft | null {
  if (!source) return null;
  if (source.from === 'url') return { from: 'url', selector: '', attribute: '', pattern: source.pattern, group: String(source.group), picked: null };
  return {
    from: 'dom',
    selector: source.selector,
    attribute: source.attribute ?? '',
    pattern: source.pattern ?? '',
    group: String(source.group),
    picked: null,
  };
}

/** Where setup starts: the existing profile's fields when the page has one, else proposals from the page. */
export function initialDraft(start: SetupStart): SetupDraft {
  const existing = start.existing;
  if (existing) {
    return {
      step: 'itemId',
      fields: {
        itemId: fieldDraft(existing.fields.itemId),
        labelerId: fieldDraft(existing.fields.labelerId),
        labelerDecision: fieldDraft(existing.fields.labelerDecision),
        queue: fieldDraft(existing.fields.queue),
      },
      name: existing.name,
      id: existing.id,
      match: existing.match.join('\n'),
    };
  }
  const name = proposeSiteName(start.title, start.url);
  return {
    step: 'itemId',
    fields: { itemId: null, labelerId: null, labelerDecision: null, queue: null },
    name,
    id: proposeSiteId(name, start.takenIds),
    match: proposeMatchPattern(start.url) ?? '',
  };
}

/** A freshly picked element as a field: its robust selector, and a pattern when it holds more than the value. */
export function fieldFromPick(field: ItemField, element: PickedElement): FieldDraft {
  const proposal = proposeValuePattern(element.text, field);
  return {
    from: 'dom',
    selector: element.selector,
    attribute: '',
    pattern: proposal?.pattern ?? '',
    group: String(proposal?.group ?? 1),
    picked: element,
  };
}

/** The same value read from the page address instead, when the address holds it (`/item/MQ-1001`). */
export function urlFieldFor(url: string, value: string, picked: PickedElement | null): FieldDraft | null {
  const proposal = proposeUrlPattern(url, value);
  if (!proposal) return null;
  return { from: 'url', selector: '', attribute: '', pattern: proposal.pattern, group: String(proposal.group), picked };
}

/** Whether the browser can parse `selector`; the frame's own document is as good a judge as the page's. */
export function isValidSelector(selector: string, doc: Document = document): boolean {
  try {
    doc.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

const WHOLE_NUMBER = /^\d{1,2}$/;

/** The field as a profile stores it, or what is wrong with it (keys: `selector`, `pattern`, `group`). */
export function sourceFromDraft(
  draft: FieldDraft,
  validSelector: (selector: string) => boolean = isValidSelector,
): { ok: true; source: FieldSource } | { ok: false; problems: DraftProblems } {
  const problems: DraftProblems = {};
  const pattern = draft.pattern.trim();
  const group = draft.group.trim() === '' ? 1 : Number(draft.group.trim());
  if (draft.group.trim() !== '' && (!WHOLE_NUMBER.test(draft.group.trim()) || group > 20)) problems.group = { kind: 'bad-group' };
  if (pattern && !isValidRegex(pattern)) problems.pattern = { kind: 'invalid-regex' };
  if (draft.from === 'url') {
    if (!pattern) problems.pattern = { kind: 'required' };
    if (Object.keys(problems).length > 0) return { ok: false, problems };
    return { ok: true, source: { from: 'url', pattern, group } };
  }
  const selector = draft.selector.trim();
  if (!selector) problems.selector = { kind: 'required' };
  else if (!validSelector(selector)) problems.selector = { kind: 'invalid-selector' };
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const attribute = draft.attribute.trim();
  return {
    ok: true,
    source: { from: 'dom', selector, group, ...(attribute ? { attribute } : {}), ...(pattern ? { pattern } : {}) },
  };
}

export function matchLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The draft as a site profile, validated as the settings will validate it, or every problem found, keyed by where
 * the UI shows it. `url` is the page setup runs on: a profile whose pages leave it out would never run there.
 */
export function profileFromDraft(
  draft: SetupDraft,
  context: { url: string; takenIds: readonly string[]; existing: SiteProfile | null },
  validSelector?: (selector: string) => boolean,
): { ok: true; profile: SiteProfile } | { ok: false; problems: DraftProblems } {
  const problems: DraftProblems = {};
  const fields: Partial<Record<ItemField, FieldSource>> = {};
  for (const field of ITEM_FIELDS) {
    const fieldDraftValue = draft.fields[field];
    if (!fieldDraftValue) {
      // The one field a profile cannot do without (DESIGN.md: without an item id there is no item).
      if (field === 'itemId') problems['fields.itemId'] = { kind: 'not-picked' };
      continue;
    }
    const built = sourceFromDraft(fieldDraftValue, validSelector);
    if (built.ok) fields[field] = built.source;
    else for (const [key, problem] of Object.entries(built.problems)) problems[`fields.${field}.${key}`] = problem;
  }

  const name = draft.name.trim();
  if (!name) problems.name = { kind: 'required' };
  const id = draft.id.trim();
  if (!id) problems.id = { kind: 'required' };
  else if (!slugSchema.safeParse(id).success) problems.id = { kind: 'bad-id' };
  else if (context.existing?.id !== id && context.takenIds.includes(id)) problems.id = { kind: 'id-taken' };

  const match = matchLines(draft.match);
  const badLine = match.findIndex((pattern) => !isValidMatchPattern(pattern));
  if (match.length === 0) problems.match = { kind: 'required' };
  else if (badLine >= 0) problems.match = { kind: 'bad-match', line: badLine + 1 };
  else if (!match.some((pattern) => matchesPattern(pattern, context.url))) problems.match = { kind: 'not-covering' };

  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const parsed = siteProfileSchema.safeParse({
    id,
    name,
    enabled: context.existing?.enabled ?? false,
    match,
    fields,
    keepParams: context.existing?.keepParams ?? [],
  });
  // Every rule the schema has is checked above; a miss here is a bound (a name of 300 characters).
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path[0] === 'name' ? 'name' : issue?.path[0] === 'match' ? 'match' : 'id';
    return { ok: false, problems: { [where]: where === 'match' ? { kind: 'bad-match', line: Number(issue?.path[1] ?? 0) + 1 } : { kind: 'required' } } };
  }
  return { ok: true, profile: parsed.data };
}

/** The step after `step` (review is last). */
export function nextStep(step: SetupStep): SetupStep {
  return SETUP_STEPS[Math.min(SETUP_STEPS.indexOf(step) + 1, SETUP_STEPS.length - 1)]!;
}

export function previousStep(step: SetupStep): SetupStep {
  return SETUP_STEPS[Math.max(SETUP_STEPS.indexOf(step) - 1, 0)]!;
}

export type DraftAction =
  | { type: 'go'; step: SetupStep }
  | { type: 'picked'; field: ItemField; element: PickedElement }
  | { type: 'edit-field'; field: ItemField; change: Partial<Omit<FieldDraft, 'picked'>> }
  | { type: 'set-field'; field: ItemField; value: FieldDraft | null }
  | { type: 'skip'; field: ItemField }
  | { type: 'edit'; key: 'name' | 'id' | 'match'; value: string }
  | { type: 'reset'; draft: SetupDraft };

export function draftReducer(draft: SetupDraft, action: DraftAction): SetupDraft {
  switch (action.type) {
    case 'go':
      return { ...draft, step: action.step };
    case 'picked':
      return { ...draft, fields: { ...draft.fields, [action.field]: fieldFromPick(action.field, action.element) } };
    case 'edit-field': {
      const current = draft.fields[action.field] ?? { from: 'dom', selector: '', attribute: '', pattern: '', group: '1', picked: null };
      return { ...draft, fields: { ...draft.fields, [action.field]: { ...current, ...action.change } } };
    }
    case 'set-field':
      return { ...draft, fields: { ...draft.fields, [action.field]: action.value } };
    case 'skip':
      return { ...draft, fields: { ...draft.fields, [action.field]: null }, step: nextStep(action.field) };
    case 'edit':
      return { ...draft, [action.key]: action.value };
    case 'reset':
      return action.draft;
  }
}
