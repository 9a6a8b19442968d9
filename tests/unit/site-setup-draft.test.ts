/**
 * The profile point-and-click setup builds (lib/setup/setup-draft.ts) and how each of its fields is checked on the
 * live page (lib/setup/field-check.ts), on the Casebook fixture page parsed as the browser would have it. The
 * problems are the ones the setup UI must say clearly: no element picked, a selector that matches nothing or
 * several, an invalid selector or regular expression, a regular expression that finds nothing.
 */
import { describe, expect, it } from 'vitest';
import { CASEBOOK_CASES } from '../fixtures/sites/catalog.mjs';
import { renderCasebookCasePage } from '../fixtures/sites/casebook.mjs';
import { describePicked } from '../../lib/content/site-picker-session';
import { siteProfileSchema, type FieldSource, type SiteProfile } from '../../lib/schemas';
import { checkFieldSource } from '../../lib/setup/field-check';
import {
  draftReducer,
  fieldFromPick,
  initialDraft,
  profileFromDraft,
  sourceFromDraft,
  urlFieldFor,
  type FieldDraft,
  type SetupDraft,
} from '../../lib/setup/setup-draft';
import type { SetupStart } from '../../lib/setup/setup-protocol';

const URL_4411 = 'http://127.0.0.1:5178/casebook/case/4411';

function casebookPage(index = 0): Document {
  return new DOMParser().parseFromString(renderCasebookCasePage(CASEBOOK_CASES[index]!), 'text/html');
}

function only(doc: Document, selector: string): Element {
  const found = doc.querySelectorAll(selector);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const START: SetupStart = { url: URL_4411, title: 'Case 4411 · Casebook', existing: null, takenIds: ['modqueue', 'labeldesk'], locale: 'auto' };

/** A draft as a person leaves it after picking the Casebook fields. */
function pickedDraft(doc: Document): SetupDraft {
  let draft = initialDraft(START);
  draft = draftReducer(draft, { type: 'picked', field: 'itemId', element: describePicked(only(doc, 'h1'), doc) });
  draft = draftReducer(draft, { type: 'picked', field: 'labelerId', element: describePicked(only(doc, '.cb-byline'), doc) });
  draft = draftReducer(draft, { type: 'picked', field: 'labelerDecision', element: describePicked(only(doc, '.cb-pill'), doc) });
  return draftReducer(draft, { type: 'go', step: 'review' });
}

const dom = (selector: string, extra: Partial<Extract<FieldSource, { from: 'dom' }>> = {}): FieldSource => ({ from: 'dom', selector, group: 1, ...extra });

describe('checking a field on the live page', () => {
  const doc = casebookPage();

  it.each<[string, FieldSource, ReturnType<typeof checkFieldSource>]>([
    ['reads the value a pattern keeps', dom('h1.cb-title', { pattern: '#(\\d+)' }), { ok: true, value: '4411', text: 'Case #4411' }],
    ['reads an element\u2019s whole text', dom('span.cb-pill'), { ok: true, value: 'Remove', text: 'Remove' }],
    ['reads an attribute', dom('td > span', { attribute: 'class' }), { ok: true, value: 'cb-pill cb-pill--remove', text: 'cb-pill cb-pill--remove' }],
    ['reads the address', { from: 'url', pattern: '/case/(\\d+)', group: 1 }, { ok: true, value: '4411', text: URL_4411 }],
    ['a selector that matches nothing', dom('.cb-reviewer'), { ok: false, problem: { kind: 'no-match' } }],
    ['a selector that matches several', dom('button.cb-btn'), { ok: false, problem: { kind: 'several', count: 2 } }],
    ['a selector the browser cannot parse', dom('h1['), { ok: false, problem: { kind: 'invalid-selector' } }],
    ['an invalid regular expression', dom('h1', { pattern: '(' }), { ok: false, problem: { kind: 'invalid-regex' } }],
    ['a regular expression without a match', dom('h1', { pattern: 'Task (\\d+)' }), { ok: false, problem: { kind: 'regex-no-match', text: 'Case #4411' } }],
    ['a capture group it does not have', dom('h1', { pattern: '#\\d+', group: 1 }), { ok: false, problem: { kind: 'no-group', groups: 0 } }],
    ['a missing attribute', dom('h1', { attribute: 'data-id' }), { ok: false, problem: { kind: 'no-attribute', attribute: 'data-id' } }],
    ['an empty element', dom('output.cb-log'), { ok: false, problem: { kind: 'empty' } }],
  ])('%s', (_what, source, expected) => {
    expect(checkFieldSource(source, URL_4411, doc)).toEqual(expected);
  });

  it('stops counting matches at 50', () => {
    const many = new DOMParser().parseFromString(`<ul>${'<li>x</li>'.repeat(80)}</ul>`, 'text/html');
    expect(checkFieldSource(dom('li'), URL_4411, many)).toEqual({ ok: false, problem: { kind: 'several', count: 50 } });
  });
});

describe('a picked element becomes a field', () => {
  const doc = casebookPage();

  it('with the robust selector, and a pattern when the element shows more than the value', () => {
    const picked = describePicked(only(doc, 'h1'), doc);
    expect(picked).toMatchObject({ selector: 'h1.cb-title', basis: 'class', description: 'h1 “Case #4411”', text: 'Case #4411' });
    expect(fieldFromPick('itemId', picked)).toEqual({ from: 'dom', selector: 'h1.cb-title', attribute: '', pattern: '#(\\d+)', group: '1', picked });
    expect(fieldFromPick('labelerDecision', describePicked(only(doc, '.cb-pill'), doc))).toMatchObject({ selector: 'span.cb-pill', pattern: '' });
  });

  it('offers the attributes that may hold the value', () => {
    const withData = new DOMParser().parseFromString('<span data-labeler="lab-ana" title="Labeler" class="x">Ana</span>', 'text/html');
    expect(describePicked(only(withData, 'span'), withData).attributes).toEqual([
      { name: 'data-labeler', value: 'lab-ana' },
      { name: 'title', value: 'Labeler' },
    ]);
  });

  it('can read the same value from the page address instead', () => {
    const picked = describePicked(only(doc, 'h1'), doc);
    expect(urlFieldFor(URL_4411, '4411', picked)).toEqual({ from: 'url', selector: '', attribute: '', pattern: '/case/([^/?#]+)', group: '1', picked });
    expect(urlFieldFor('http://127.0.0.1/casebook/', '4411', picked)).toBeNull();
  });
});

describe('the draft, validated as a profile', () => {
  const doc = casebookPage();
  const context = { url: URL_4411, takenIds: START.takenIds, existing: null };

  it('starts from what the page suggests', () => {
    expect(initialDraft(START)).toEqual({
      step: 'itemId',
      fields: { itemId: null, labelerId: null, labelerDecision: null, queue: null },
      name: 'Casebook',
      id: 'casebook',
      match: 'http://127.0.0.1/casebook/*',
    });
  });

  it('becomes a profile the settings accept, which reads the page it was made on and the next one', () => {
    const built = profileFromDraft(pickedDraft(doc), context);
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    expect(siteProfileSchema.parse(built.profile)).toEqual(built.profile);
    expect(built.profile).toMatchObject({
      id: 'casebook',
      name: 'Casebook',
      enabled: false,
      match: ['http://127.0.0.1/casebook/*'],
      fields: {
        itemId: { from: 'dom', selector: 'h1.cb-title', pattern: '#(\\d+)', group: 1 },
        labelerId: { from: 'dom', selector: 'p.cb-byline', pattern: '\\bby\\s+([^\\s,.;·|]+)', group: 1 },
        labelerDecision: { from: 'dom', selector: 'span.cb-pill', group: 1 },
      },
    });
    expect(built.profile.fields.queue).toBeUndefined();
    const next = casebookPage(2);
    expect(checkFieldSource(built.profile.fields.itemId, 'http://127.0.0.1/casebook/case/4413', next)).toMatchObject({ ok: true, value: '4413' });
    expect(checkFieldSource(built.profile.fields.labelerId!, 'http://127.0.0.1/casebook/case/4413', next)).toMatchObject({ ok: true, value: 'rev-lan' });
  });

  it('says when no element was picked for the item id', () => {
    const draft = { ...pickedDraft(doc), fields: { ...pickedDraft(doc).fields, itemId: null } };
    expect(profileFromDraft(draft, context)).toEqual({ ok: false, problems: { 'fields.itemId': { kind: 'not-picked' } } });
  });

  it.each<[string, Partial<FieldDraft>, Record<string, unknown>]>([
    ['an empty selector', { selector: ' ' }, { 'fields.labelerId.selector': { kind: 'required' } }],
    ['an invalid selector', { selector: 'p[' }, { 'fields.labelerId.selector': { kind: 'invalid-selector' } }],
    ['an invalid regular expression', { pattern: 'by (' }, { 'fields.labelerId.pattern': { kind: 'invalid-regex' } }],
    ['a group that is not a number', { group: 'one' }, { 'fields.labelerId.group': { kind: 'bad-group' } }],
    ['a group out of range', { group: '21' }, { 'fields.labelerId.group': { kind: 'bad-group' } }],
    ['an address source without a pattern', { from: 'url', pattern: '' }, { 'fields.labelerId.pattern': { kind: 'required' } }],
  ])('refuses %s at its input', (_what, change, problems) => {
    const draft = draftReducer(pickedDraft(doc), { type: 'edit-field', field: 'labelerId', change });
    expect(profileFromDraft(draft, context)).toEqual({ ok: false, problems });
  });

  it.each<[string, Partial<Pick<SetupDraft, 'name' | 'id' | 'match'>>, Record<string, unknown>]>([
    ['no name', { name: '  ' }, { name: { kind: 'required' } }],
    ['an id that is not a slug', { id: 'Case Book' }, { id: { kind: 'bad-id' } }],
    ['an id another site has', { id: 'modqueue' }, { id: { kind: 'id-taken' } }],
    ['no pages', { match: '\n' }, { match: { kind: 'required' } }],
    ['a line that is not a match pattern', { match: 'http://127.0.0.1/casebook/*\ncasebook' }, { match: { kind: 'bad-match', line: 2 } }],
    ['pages that leave out this page', { match: 'http://127.0.0.1/modqueue/*' }, { match: { kind: 'not-covering' } }],
  ])('refuses %s', (_what, change, problems) => {
    expect(profileFromDraft({ ...pickedDraft(doc), ...change }, context)).toEqual({ ok: false, problems });
  });

  it('keeps an existing profile\u2019s id, on/off state and kept parameters when it is set up again', () => {
    const existing: SiteProfile = {
      id: 'casebook',
      name: 'Casebook',
      enabled: true,
      match: ['http://127.0.0.1/casebook/*'],
      fields: { itemId: { from: 'url', pattern: '/case/(\\d+)', group: 1 } },
      keepParams: ['tab'],
    };
    const draft = initialDraft({ ...START, existing, takenIds: ['modqueue'] });
    expect(draft.fields.itemId).toEqual({ from: 'url', selector: '', attribute: '', pattern: '/case/(\\d+)', group: '1', picked: null });
    const built = profileFromDraft(draft, { url: URL_4411, takenIds: ['modqueue', 'casebook'], existing });
    expect(built).toEqual({ ok: true, profile: existing });
  });

  it('builds sources without the page for what needs none', () => {
    expect(sourceFromDraft({ from: 'dom', selector: ' h1 ', attribute: '', pattern: '', group: '', picked: null })).toEqual({
      ok: true,
      source: { from: 'dom', selector: 'h1', group: 1 },
    });
    expect(sourceFromDraft({ from: 'url', selector: '', attribute: '', pattern: '/case/(\\d+)', group: '1', picked: null })).toEqual({
      ok: true,
      source: { from: 'url', pattern: '/case/(\\d+)', group: 1 },
    });
  });

  it('skipping a field clears it and moves on', () => {
    const draft = draftReducer({ ...pickedDraft(doc), step: 'labelerDecision' }, { type: 'skip', field: 'labelerDecision' });
    expect(draft.step).toBe('queue');
    expect(draft.fields.labelerDecision).toBeNull();
  });
});
