/**
 * Proposes a CSS selector for one element of a page we do not own, one that still finds the element after the
 * page re-renders. Used by mentors' element notes (issue 5) and by point-and-click site setup (issue 7), so it
 * is plain DOM code with no knowledge of either.
 *
 * Preference order, most to least robust: a hand-written `id`; a test attribute (`data-testid` and kin, which
 * teams keep stable on purpose); another short `data-*` value; an accessible name (`aria-label`, `name`, `role`);
 * a meaningful class; a tag that is alone in the document; and last a short path of `:nth-of-type` steps from
 * the nearest ancestor that has one of the above. Values that frameworks generate (React's `:r1:`, Ember's
 * `ember123`, CSS-in-JS hashes) change on every build or render, so they are never used. Every proposal is
 * checked with `querySelectorAll` before it is returned: the answer always matches exactly the element.
 */

/** What the selector leans on, weakest part counted: `path` means it depends on the order of siblings. */
export type SelectorBasis = 'id' | 'test-attribute' | 'data-attribute' | 'accessible-name' | 'class' | 'tag' | 'path';

export interface ProposedSelector {
  selector: string;
  basis: SelectorBasis;
}

/** Attributes that test suites add precisely so that selectors survive redesigns. */
const TEST_ATTRIBUTES = [
  'data-testid',
  'data-test-id',
  'data-test',
  'data-qa',
  'data-cy',
  'data-test-subj',
  'data-automation-id',
  'data-e2e',
] as const;

/** A regex matching any of `words` (regex syntax allowed in each) as the whole string. */
function anyOf(words: readonly string[]): RegExp {
  return new RegExp(`^(?:${words.join('|')})$`);
}

/**
 * `data-*` attributes that hold UI state (Radix, Headless UI, React Aria) or framework bookkeeping: their
 * values change as the person clicks, so a selector built on them stops matching.
 */
const UNSTABLE_DATA_ATTRIBUTE = anyOf(
  [
    'state', 'active', 'selected', 'focus', 'focused', 'focus-visible', 'hover', 'hovered', 'pressed', 'disabled',
    'checked', 'highlighted', 'open', 'expanded', 'collapsed', 'orientation', 'side', 'align', 'index', 'key',
    'reactid', 'reactroot', 'rbd-.*', 'radix-.*', 'headlessui-.*', 'v-.*', 'loupe.*', 'testing-.*',
  ].map((name) => `data-${name}`),
);

/** Classes that say what state an element is in rather than what it is. */
const STATE_CLASS = anyOf([
  'is-.+', 'has-.+', 'active', 'selected', 'current', 'focus', 'focused', 'hover', 'hovered', 'disabled', 'checked',
  'open', 'opened', 'closed', 'expanded', 'collapsed', 'visible', 'hidden', 'show', 'shown', 'in', 'fade', 'loading',
  'loaded', 'ng-.+', 'ember-view',
]);

/** Class prefixes of CSS-in-JS and scoped-style tools, whose class names are content hashes. */
const GENERATED_CLASS_PREFIX = /^(?:css-|sc-|jsx-|svelte-|emotion-|makeStyles-|jss\d|_\d)/;

/** Id prefixes that frameworks number: `ember123`, `ext-gen12`, `ui-id-4`, `headlessui-menu-3`. */
const GENERATED_ID_PREFIX = /^(?:ember|ext-gen|ext-comp|yui_|gwt-|ui-id-|radix-|headlessui-|react-aria|mui-|downshift-|rc-)/i;

/**
 * Utility classes (Tailwind, Bootstrap): stable across renders but shared by many elements and rewritten in
 * redesigns, so they are tried after meaningful classes. Families take a value ("p-2", "text-sm", "d-flex");
 * words stand alone ("flex", "hidden").
 */
const UTILITY_FAMILY = new RegExp(
  `^-?(?:${[
    '[mp][trblxyse]?', 'w', 'h', 'min-w', 'max-w', 'min-h', 'max-h', 'gap', 'space-[xy]', 'inset', 'top', 'left',
    'right', 'bottom', 'z', 'order', 'col', 'row', 'text', 'bg', 'font', 'leading', 'tracking', 'border', 'rounded',
    'shadow', 'ring', 'opacity', 'flex', 'grid', 'items', 'justify', 'content', 'self', 'place', 'overflow', 'cursor',
    'select', 'transition', 'duration', 'ease', 'delay', 'd', 'align', 'float', 'position', 'fw', 'fs', 'lh',
  ].join('|')})(?:-|$)`,
);
const UTILITY_WORD = anyOf([
  'flex', 'grid', 'block', 'inline', 'inline-block', 'inline-flex', 'hidden', 'contents', 'absolute', 'relative',
  'fixed', 'sticky', 'static', 'truncate', 'italic', 'underline', 'uppercase', 'lowercase', 'capitalize', 'container',
  'sr-only', 'clearfix',
]);

/** How long an attribute value may be before it reads as data rather than a name. */
const MAX_ATTRIBUTE_VALUE_LENGTH = 60;

/** How many classes of one element are tried alone and in pairs (long class lists are utility soup). */
const MAX_CLASSES_TRIED = 6;

/**
 * Whether an id looks written by a person rather than generated. Generated ids differ between renders or
 * builds: React's `useId` (`:r1:`, `«r1»`, `_r_1_`), numbered framework ids, UUIDs and hashes, long numbers.
 */
export function isStableId(id: string): boolean {
  if (!id || id.length > MAX_ATTRIBUTE_VALUE_LENGTH || /\s/.test(id)) return false;
  if (/[:«»]/.test(id) || /^_r_[0-9a-z]+_$/.test(id)) return false;
  if (GENERATED_ID_PREFIX.test(id) && /\d/.test(id)) return false;
  return !looksGenerated(id);
}

/** Whether a class name names a thing (`media-panel`) rather than a hash (`css-1x2y3z`) or a state (`active`). */
export function isStableClassName(name: string): boolean {
  if (!name || name.length > MAX_ATTRIBUTE_VALUE_LENGTH) return false;
  if (STATE_CLASS.test(name) || GENERATED_CLASS_PREFIX.test(name)) return false;
  return !looksGenerated(name);
}

/** Tailwind- or Bootstrap-style utility classes: usable, but only after meaningful ones. */
export function isUtilityClassName(name: string): boolean {
  return /[:[\]/!.%#]/.test(name) || UTILITY_FAMILY.test(name) || UTILITY_WORD.test(name);
}

/**
 * Hash-like or numbered: a run of three digits (item numbers, timestamps, `jsx-123`), a UUID, or a part
 * (between `-`, `_`, `.`) of five characters or more that mixes at least two digits with letters (`1x2y3z`,
 * `3xYz1`, `a3f9c2`), or that changes case twice inside (`bdVaJa`, as styled-components makes).
 */
function looksGenerated(value: string): boolean {
  if (/\d{3,}/.test(value)) return true;
  if (/[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value)) return true;
  return value.split(/[-_.]+/).some((part) => {
    if (part.length < 5) return false;
    const digits = part.replace(/\D/g, '').length;
    if (digits >= 2 && digits < part.length) return true;
    const innerCapitals = part.slice(1).replace(/[^A-Z]/g, '').length;
    return part.length <= 8 && innerCapitals >= 2 && /[a-z]/.test(part) && !/[A-Z]{2}/.test(part);
  });
}

/** `CSS.escape` where the environment has it, else the CSSOM algorithm ("serialize an identifier"). */
export function cssEscape(value: string): string {
  const native = (globalThis as { CSS?: { escape?: (value: string) => string } }).CSS?.escape;
  return native ? native(value) : serializeIdentifier(value);
}

/** https://drafts.csswg.org/cssom/#serialize-an-identifier */
export function serializeIdentifier(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const char = value.charAt(i);
    if (code === 0) out += '\uFFFD';
    else if ((code >= 0x1 && code <= 0x1f) || code === 0x7f) out += `\\${code.toString(16)} `;
    else if (i === 0 && code >= 0x30 && code <= 0x39) out += `\\${code.toString(16)} `;
    else if (i === 1 && code >= 0x30 && code <= 0x39 && value.charCodeAt(0) === 0x2d) out += `\\${code.toString(16)} `;
    else if (i === 0 && code === 0x2d && value.length === 1) out += `\\${char}`;
    else if (code >= 0x80 || code === 0x2d || code === 0x5f || /[0-9A-Za-z]/.test(char)) out += char;
    else out += `\\${char}`;
  }
  return out;
}

/**
 * A CSS string literal for an attribute value. Single quotes when the value holds a double quote and no single
 * one, so `[title='say "hi"']` reads naturally; otherwise double quotes with escapes.
 */
export function cssString(value: string): string {
  const escapeControls = (text: string) =>
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
    text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\u0000' ? '\uFFFD' : `\\${c.charCodeAt(0).toString(16)} `));
  if (value.includes('"') && !value.includes("'")) return `'${escapeControls(value.replace(/\\/g, '\\\\'))}'`;
  return `"${escapeControls(value.replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}

/** The selector that matches exactly `element` within the document of `root` (default: the element's own). */
export function proposeSelector(element: Element, root?: Document | Element): string {
  return proposeSelectorDetails(element, root).selector;
}

/** `proposeSelector`, and what the selector relies on (so site setup can warn about a positional one). */
export function proposeSelectorDetails(element: Element, root?: Document | Element): ProposedSelector {
  const scope = queryScope(element, root);
  const unique = (selector: string) => matchesOnly(scope, selector, element);

  const own = ownCandidates(element);
  const direct = own.find((candidate) => unique(candidate.selector));
  if (direct) return direct;

  const anchor = nearestAnchor(element, scope);
  const anchorSelector = anchor?.candidate.selector ?? '';
  if (anchor) {
    // "section.mq-label span.mq-chip" survives more edits than any positional path, so it is tried first.
    for (const candidate of own) {
      const selector = `${anchorSelector} ${candidate.selector}`;
      if (unique(selector)) return { selector, basis: candidate.basis };
    }
  }

  // Positional steps from just below the anchor (or from the document element) down to the element, tried
  // shortest first: "figure.mq-media img:nth-of-type(2)" before "figure.mq-media > div > img:nth-of-type(2)".
  const stop = anchor?.element ?? null;
  const steps: string[] = [];
  for (let node: Element | null = element; node && node !== stop; node = node.parentElement) {
    steps.unshift(positionalStep(node));
  }
  for (let take = 1; take <= steps.length; take++) {
    const tail = steps.slice(steps.length - take).join(' > ');
    const joiner = take === steps.length ? ' > ' : ' ';
    const selector = anchor ? `${anchorSelector}${joiner}${tail}` : tail;
    if (unique(selector)) return { selector, basis: 'path' };
  }
  // The full child path from the top is unique in a document; outside one (a detached or shadow tree), it is
  // the best that can be said.
  return { selector: anchor ? `${anchorSelector} > ${steps.join(' > ')}` : steps.join(' > '), basis: 'path' };
}

type Scope = Document | DocumentFragment;

// Node type numbers rather than the `Node` global, which DOM-less environments (linkedom, workers) may lack.
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;

/** Uniqueness is judged over the whole document (or the shadow root the element lives in). */
function queryScope(element: Element, root?: Document | Element): Scope {
  const rootNode = element.getRootNode();
  if (rootNode.nodeType === DOCUMENT_FRAGMENT_NODE) return rootNode as DocumentFragment;
  if (root && root.nodeType === DOCUMENT_NODE) return root as Document;
  return (root as Element | undefined)?.ownerDocument ?? element.ownerDocument;
}

function matchesOnly(scope: Scope, selector: string, element: Element): boolean {
  try {
    const found = scope.querySelectorAll(selector);
    return found.length === 1 && found[0] === element;
  } catch {
    // An engine that cannot parse the selector cannot use it either.
    return false;
  }
}

function tagOf(element: Element): string {
  return cssEscape(element.localName);
}

function attributeSelector(element: Element, name: string, value: string): string {
  return `${tagOf(element)}[${name}=${cssString(value)}]`;
}

function usableValue(value: string | null): value is string {
  return (
    value !== null &&
    value.trim() !== '' &&
    value.length <= MAX_ATTRIBUTE_VALUE_LENGTH &&
    value !== 'true' &&
    value !== 'false' &&
    !looksGenerated(value)
  );
}

/** Selectors that name the element by its own attributes, best first; none is checked for uniqueness yet. */
function ownCandidates(element: Element): ProposedSelector[] {
  const tag = tagOf(element);
  const candidates: ProposedSelector[] = [];
  const add = (selector: string, basis: SelectorBasis) => candidates.push({ selector, basis });

  const id = element.getAttribute('id');
  if (id && isStableId(id)) {
    // `[id="…"]` when the id needs escaping: easier to read than "#\31 23-a", and the same to the engine.
    add(cssEscape(id) === id ? `${tag}#${id}` : attributeSelector(element, 'id', id), 'id');
  }

  for (const name of TEST_ATTRIBUTES) {
    const value = element.getAttribute(name);
    if (usableValue(value)) add(attributeSelector(element, name, value), 'test-attribute');
  }

  for (const attribute of Array.from(element.attributes)) {
    const { name, value } = attribute;
    if (!name.startsWith('data-') || (TEST_ATTRIBUTES as readonly string[]).includes(name)) continue;
    if (UNSTABLE_DATA_ATTRIBUTE.test(name) || !usableValue(value)) continue;
    add(attributeSelector(element, cssEscape(name), value), 'data-attribute');
  }

  const ariaLabel = element.getAttribute('aria-label');
  const role = element.getAttribute('role');
  const nameAttribute = element.getAttribute('name');
  if (usableValue(ariaLabel)) {
    add(attributeSelector(element, 'aria-label', ariaLabel), 'accessible-name');
    if (role) add(`${attributeSelector(element, 'role', role)}[aria-label=${cssString(ariaLabel)}]`, 'accessible-name');
  }
  if (usableValue(nameAttribute)) {
    const byName = attributeSelector(element, 'name', nameAttribute);
    add(byName, 'accessible-name');
    // Radio buttons and checkboxes share a name; their value tells them apart.
    const value = element.getAttribute('value');
    if (usableValue(value)) add(`${byName}[value=${cssString(value)}]`, 'accessible-name');
  }
  if (usableValue(role)) add(attributeSelector(element, 'role', role), 'accessible-name');

  const classes = Array.from(element.classList).filter(isStableClassName).slice(0, MAX_CLASSES_TRIED);
  const meaningful = classes.filter((name) => !isUtilityClassName(name));
  const utility = classes.filter((name) => isUtilityClassName(name));
  const classSelector = (names: string[]) => `${tag}${names.map((name) => `.${cssEscape(name)}`).join('')}`;
  for (const name of meaningful) add(classSelector([name]), 'class');
  for (let i = 0; i < meaningful.length; i++) {
    for (let j = i + 1; j < meaningful.length; j++) add(classSelector([meaningful[i]!, meaningful[j]!]), 'class');
  }
  for (const name of utility) add(classSelector([name]), 'class');
  if (utility.length > 1) add(classSelector([...meaningful, ...utility]), 'class');

  add(tag, 'tag');
  return candidates;
}

/** The closest ancestor that a non-positional selector picks out alone: where a positional path starts. */
function nearestAnchor(element: Element, scope: Scope): { element: Element; candidate: ProposedSelector } | null {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const candidate = ownCandidates(node).find((c) => matchesOnly(scope, c.selector, node));
    if (candidate) return { element: node, candidate };
  }
  return null;
}

/**
 * One step of a child path: the bare tag when no sibling shares it, a meaningful class when it alone sets the
 * element apart from same-tag siblings, else `:nth-of-type`.
 */
function positionalStep(element: Element): string {
  const tag = tagOf(element);
  const parent = element.parentElement;
  if (!parent) return tag;
  const sameTag = Array.from(parent.children).filter((sibling) => sibling.localName === element.localName);
  if (sameTag.length === 1) return tag;
  for (const name of Array.from(element.classList)) {
    if (!isStableClassName(name) || isUtilityClassName(name)) continue;
    if (sameTag.every((sibling) => sibling === element || !sibling.classList.contains(name))) return `${tag}.${cssEscape(name)}`;
  }
  return `${tag}:nth-of-type(${sameTag.indexOf(element) + 1})`;
}
