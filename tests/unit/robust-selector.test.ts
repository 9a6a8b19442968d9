import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cssEscape,
  cssString,
  isStableClassName,
  isStableId,
  isUtilityClassName,
  proposeSelector,
  proposeSelectorDetails,
  serializeIdentifier,
} from '../../lib/dom/robust-selector';

const FIXTURES = join(import.meta.dirname, '../fixtures/notes');

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

function fixture(name: string): Document {
  return parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

function only(doc: Document, selector: string): Element {
  const found = doc.querySelectorAll(selector);
  expect(found, selector).toHaveLength(1);
  return found[0]!;
}

/** The selector must find exactly this element: the module's promise, checked independently here. */
function expectUnique(doc: Document, selector: string, element: Element) {
  const found = Array.from(doc.querySelectorAll(selector));
  expect(found, selector).toEqual([element]);
}

describe('generated ids and classes are recognised', () => {
  it.each(['review', 'decision-select', 'post_body', 'mainNav', 'h1-title', 'step2'])('id %s is kept', (id) => {
    expect(isStableId(id)).toBe(true);
  });

  it.each([':r1:', '«r3»', '_r_5_', 'ember123', 'ember7', 'ext-gen42', 'ui-id-4', 'radix-:r2:', 'a3f9c2e1b7',
    '550e8400-e29b-41d4-a716-446655440000', 'item-48213', 'post 1', ''])('id %s is rejected', (id) => {
    expect(isStableId(id)).toBe(false);
  });

  it.each(['media-panel', 'post-body', 'btn', 'btn-primary', 'MuiButton-root', 'ld-chip', 'ប៊ូតុង'])('class %s is kept', (name) => {
    expect(isStableClassName(name)).toBe(true);
  });

  it.each(['css-1x2y3z', 'css-9k8j7h', 'sc-AbCdE', 'sc-bdVaJa', 'jsx-123', 'jsx-2893104716', '_3xYz1', 'Button_primary__3xYz1',
    'svelte-1uha8ag', 'active', 'is-open', 'has-error', 'selected', 'ng-touched'])('class %s is rejected', (name) => {
    expect(isStableClassName(name)).toBe(false);
  });

  it.each([['p-2', true], ['md:flex', true], ['w-1/2', true], ['text-sm', true], ['bg-red-500', true], ['hover:underline', true],
    ['flex', true], ['d-flex', true], ['media-panel', false], ['post-body', false], ['chip', false]])('%s is a utility class: %s', (name, utility) => {
    expect(isUtilityClassName(name)).toBe(utility);
  });
});

describe('escaping', () => {
  it.each(['plain', '1st', '-1x', '-', 'a:b', 'a.b', 'with space', 'emoji😀', 'ខ្មែរ', 'quote"s', '\u0001ctl', '\u0000nul', '--x', '_y'])(
    'the fallback escapes %j as CSS.escape does',
    (value) => {
      expect(serializeIdentifier(value)).toBe(CSS.escape(value));
    },
  );

  it('uses the native CSS.escape when there is one', () => {
    expect(cssEscape('1a')).toBe(CSS.escape('1a'));
  });

  it('quotes attribute values, choosing the quote that needs no escape', () => {
    expect(cssString('Approve')).toBe('"Approve"');
    expect(cssString('say "hi"')).toBe(`'say "hi"'`);
    expect(cssString(`it's "both"`)).toBe(`"it's \\"both\\""`);
    expect(cssString('back\\slash')).toBe('"back\\\\slash"');
    expect(cssString('line\nbreak')).toBe('"line\\a break"');
  });
});

describe('proposing a selector on a labeling page', () => {
  const doc = fixture('modqueue-item.html');

  it.each([
    ['[data-testid="approve"]', 'button[data-testid="approve"]', 'test-attribute'],
    ['#decision-select', 'select#decision-select', 'id'],
    ['main', 'main#review', 'id'],
    ['.mq-search', 'input[aria-label="Search items"]', 'accessible-name'],
    ['.post-body', 'p[data-testid="item-text"]', 'test-attribute'],
    ['.mq-user', 'div.mq-user', 'class'],
    ['.media-panel', 'div.media-panel', 'class'],
    ['.reporter-comment', 'blockquote.reporter-comment', 'class'],
    ['.chip-remove', 'span.chip-remove', 'class'],
    ['.rationale', 'dd.rationale', 'class'],
    ['img', 'img', 'tag'],
    ['.actions button:nth-of-type(2)', 'div.actions > button:nth-of-type(2)', 'path'],
    ['.labels dd:nth-of-type(1) span', 'span.labeler', 'class'],
    ['.post-meta time', 'time', 'tag'],
  ])('%s → %s (%s)', (find, expected, basis) => {
    const element = only(doc, find);
    expect(proposeSelectorDetails(element, doc)).toEqual({ selector: expected, basis });
    expectUnique(doc, expected, element);
  });

  it('never uses a generated id or hashed class', () => {
    for (const element of Array.from(doc.querySelectorAll('body *'))) {
      const selector = proposeSelector(element, doc);
      expect(selector).not.toMatch(/:r3:|css-|\bactive\b/);
    }
  });

  it.each(['modqueue-item.html', 'modqueue-item-moved.html', 'multiscript.html', 'repeated-quote.html'])(
    'finds exactly the element, for every element of %s',
    (name) => {
      const page = fixture(name);
      for (const element of Array.from(page.querySelectorAll('*'))) expectUnique(page, proposeSelector(element, page), element);
    },
  );

  it('anchors a positional path at the nearest ancestor with a stable selector', () => {
    const page = parse(`<main id="queue"><div><div><p>a</p><p>b</p></div></div><div><p>c</p></div></main>`);
    const second = page.querySelectorAll('p')[1]!;
    expect(proposeSelectorDetails(second, page)).toEqual({ selector: 'main#queue p:nth-of-type(2)', basis: 'path' });
    expectUnique(page, 'main#queue p:nth-of-type(2)', second);
    const third = page.querySelectorAll('p')[2]!;
    expect(proposeSelector(third, page)).toBe('main#queue > div:nth-of-type(2) > p');
    expectUnique(page, 'main#queue > div:nth-of-type(2) > p', third);
  });

  it('tells radio buttons apart by value and prefers test attributes over classes', () => {
    const page = parse(`<form>
      <label><input type="radio" name="decision" value="approve" class="radio"> Approve</label>
      <label><input type="radio" name="decision" value="remove" class="radio"> Remove</label>
      <button class="btn primary" data-qa="submit-decision">Submit</button>
      <button class="btn">Cancel</button>
    </form>`);
    expect(proposeSelector(page.querySelector('[value="remove"]')!, page)).toBe('input[name="decision"][value="remove"]');
    expect(proposeSelector(page.querySelector('[data-qa]')!, page)).toBe('button[data-qa="submit-decision"]');
    expect(proposeSelector(page.querySelectorAll('button')[1]!, page)).toBe('form > button:nth-of-type(2)');
  });

  it('skips state attributes and item-specific values', () => {
    const page = parse(`<ul>
      <li data-state="open" data-item-id="MQ-2041" class="row is-open">One</li>
      <li data-state="closed" data-item-id="MQ-2042" class="row">Two</li>
    </ul><section data-panel="media" data-state="open">x</section>`);
    const first = page.querySelector('li')!;
    expect(proposeSelector(first, page)).toBe('ul > li:nth-of-type(1)');
    expect(proposeSelector(page.querySelector('section')!, page)).toBe('section[data-panel="media"]');
  });

  it('puts meaningful classes before utility classes', () => {
    const page = parse(`<div class="flex p-2 gap-4 card-header">a</div><div class="flex p-2">b</div><div class="flex p-4 card-body">c</div>`);
    const [header, plain] = Array.from(page.querySelectorAll('div'));
    expect(proposeSelector(header!, page)).toBe('div.card-header');
    // Utility classes shared with its neighbours do not set it apart: its place does.
    expect(proposeSelector(plain!, page)).toBe('body > div:nth-of-type(2)');
  });

  it('escapes ids and classes that need it and still finds the element', () => {
    const page = parse(`<div id="a.b">x</div><span class="ប៊ូតុង">y</span><i id="1st">z</i>`);
    const div = page.querySelector('div')!;
    expect(proposeSelector(div, page)).toBe('div[id="a.b"]');
    expectUnique(page, 'div[id="a.b"]', div);
    const span = page.querySelector('span')!;
    expect(proposeSelector(span, page)).toBe('span.ប៊ូតុង');
    expect(proposeSelector(page.querySelector('i')!, page)).toBe('i[id="1st"]');
  });

  it('judges uniqueness over the whole document even when given a narrower root', () => {
    const page = parse(`<section><b class="x">in</b></section><footer><b class="x">out</b></footer>`);
    const inside = page.querySelector('section b')!;
    const selector = proposeSelector(inside, page.querySelector('section')!);
    expectUnique(page, selector, inside);
    expect(selector).toBe('section b.x');
  });
});
