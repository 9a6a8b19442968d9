import { describe, expect, it } from 'vitest';
import {
  commandForKey,
  eventMatchesHotkey,
  formatHotkey,
  isEditableTarget,
  parseHotkey,
  type HotkeyEvent,
} from '../../lib/hotkeys';
import { DEFAULT_HOTKEYS, DEFAULT_TAXONOMY, hotkeySchema } from '../../lib/schemas';

/** A key press with no modifiers unless given. */
function press(key: string, modifiers: Partial<Omit<HotkeyEvent, 'key'>> = {}): HotkeyEvent {
  return { key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...modifiers };
}

describe('parseHotkey', () => {
  it.each([
    ['1', { key: '1', mod: false, alt: false, shift: false }],
    ['m', { key: 'm', mod: false, alt: false, shift: false }],
    ['?', { key: '?', mod: false, alt: false, shift: false }],
    ['Enter', { key: 'Enter', mod: false, alt: false, shift: false }],
    ['Mod+z', { key: 'z', mod: true, alt: false, shift: false }],
    ['Alt+l', { key: 'l', mod: false, alt: true, shift: false }],
    ['Mod+Shift+Enter', { key: 'Enter', mod: true, alt: false, shift: true }],
    ['Alt++', { key: '+', mod: false, alt: true, shift: false }],
    ['+', { key: '+', mod: false, alt: false, shift: false }],
    ['Space', { key: ' ', mod: false, alt: false, shift: false }],
    [' F2 ', { key: 'F2', mod: false, alt: false, shift: false }],
  ])('%j', (text, parsed) => {
    expect(parseHotkey(text)).toEqual(parsed);
  });

  it.each(['', 'Mod+', 'Ctrl+z', 'enter', 'ab', 'Mod+ z', 'Shift+'])('rejects %j, as the schema does', (text) => {
    expect(parseHotkey(text)).toBeNull();
    expect(hotkeySchema.safeParse(text).success).toBe(false);
  });

  it('parses every default hotkey', () => {
    for (const hotkey of [...Object.values(DEFAULT_HOTKEYS), ...DEFAULT_TAXONOMY.tags.map((tag) => tag.hotkey ?? '')]) {
      expect(parseHotkey(hotkey), hotkey).not.toBeNull();
    }
  });
});

describe('eventMatchesHotkey', () => {
  it.each([
    ['"1" by the 1 key', press('1'), '1', false, true],
    ['"1" typed with Shift (AZERTY)', press('1', { shiftKey: true }), '1', false, true],
    ['"1" not by Ctrl+1', press('1', { ctrlKey: true }), '1', false, false],
    ['"1" not by ⌘1 on a Mac', press('1', { metaKey: true }), '1', true, false],
    ['"1" not by Alt+1', press('1', { altKey: true }), '1', false, false],
    ['"1" not by "!"', press('!', { shiftKey: true }), '1', false, false],
    ['"?" typed with Shift', press('?', { shiftKey: true }), '?', false, true],
    ['"m" by m', press('m'), 'm', false, true],
    ['"m" by M with Caps Lock', press('M'), 'm', false, true],
    ['"m" not by Shift+M', press('M', { shiftKey: true }), 'm', false, false],
    ['"Shift+m" by Shift+M', press('M', { shiftKey: true }), 'Shift+m', false, true],
    ['"Mod+z" by Ctrl+Z', press('z', { ctrlKey: true }), 'Mod+z', false, true],
    ['"Mod+z" not by ⌘Z off a Mac', press('z', { metaKey: true }), 'Mod+z', false, false],
    ['"Mod+z" by ⌘Z on a Mac', press('z', { metaKey: true }), 'Mod+z', true, true],
    ['"Mod+z" not by Ctrl+Z on a Mac', press('z', { ctrlKey: true }), 'Mod+z', true, false],
    ['"Mod+z" not by Ctrl+⌘Z on a Mac', press('z', { ctrlKey: true, metaKey: true }), 'Mod+z', true, false],
    ['"Mod+z" not by z', press('z'), 'Mod+z', false, false],
    ['"Mod+z" not by Ctrl+Shift+Z (redo)', press('Z', { ctrlKey: true, shiftKey: true }), 'Mod+z', false, false],
    ['"Alt+l" by Alt+L', press('l', { altKey: true }), 'Alt+l', false, true],
    ['"Alt+l" by ⌥L on a Mac, which types "¬"', press('¬', { altKey: true, code: 'KeyL' }), 'Alt+l', true, true],
    ['"Alt+l" not by ⌥K on a Mac', press('˚', { altKey: true, code: 'KeyK' }), 'Alt+l', true, false],
    ['"Alt+l" not by l', press('l', { code: 'KeyL' }), 'Alt+l', false, false],
    ['"Enter" by Enter', press('Enter'), 'Enter', false, true],
    ['"Enter" not by Shift+Enter', press('Enter', { shiftKey: true }), 'Enter', false, false],
    ['"Enter" not by Ctrl+Enter (the host form submits with it)', press('Enter', { ctrlKey: true }), 'Enter', false, false],
    ['"Space" by the space bar', press(' '), 'Space', false, true],
    ['an invalid hotkey never', press('z'), 'Ctrl+z', false, false],
  ])('%s', (_name, event, hotkey, isMac, expected) => {
    expect(eventMatchesHotkey(event, hotkey, isMac)).toBe(expected);
  });
});

describe('commandForKey', () => {
  const tags = DEFAULT_TAXONOMY.tags;

  it.each([
    [press('1'), { kind: 'verdict', verdict: 'correct' }],
    [press('2'), { kind: 'verdict', verdict: 'incorrect' }],
    [press('3'), { kind: 'verdict', verdict: 'unsure' }],
    [press('Enter'), { kind: 'save' }],
    [press('z', { ctrlKey: true }), { kind: 'undo' }],
    [press('?', { shiftKey: true }), { kind: 'help' }],
    [press('l', { altKey: true }), { kind: 'toggle-panel' }],
    [press('m'), { kind: 'toggle-tag', tagId: 'missed-violation' }],
    [press('T'), { kind: 'toggle-tag', tagId: 'tooling-problem' }],
    [press('x'), null],
    [press('1', { ctrlKey: true }), null],
    [press('m', { ctrlKey: true }), null],
  ])('%o → %o', (event, command) => {
    expect(commandForKey(event, DEFAULT_HOTKEYS, tags, false)).toEqual(command);
  });

  it('uses the configured keys, not the defaults', () => {
    const hotkeys = { ...DEFAULT_HOTKEYS, correct: 'j', incorrect: 'k' };
    const custom = [{ id: 'spam-missed', hotkey: '1' }, { id: 'no-key' }];
    expect(commandForKey(press('j'), hotkeys, custom, false)).toEqual({ kind: 'verdict', verdict: 'correct' });
    expect(commandForKey(press('1'), hotkeys, custom, false)).toEqual({ kind: 'toggle-tag', tagId: 'spam-missed' });
    expect(commandForKey(press('2'), hotkeys, custom, false)).toBeNull();
  });

  it('undoes with ⌘Z on a Mac only', () => {
    expect(commandForKey(press('z', { metaKey: true }), DEFAULT_HOTKEYS, tags, true)).toEqual({ kind: 'undo' });
    expect(commandForKey(press('z', { ctrlKey: true }), DEFAULT_HOTKEYS, tags, true)).toBeNull();
  });
});

describe('isEditableTarget', () => {
  function build(html: string): Element {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
    const target = doc.querySelector('#target');
    if (!target) throw new Error('the fixture needs an element with id="target"');
    return target;
  }

  it.each([
    ['text input', '<input id="target">', true],
    ['search input', '<input id="target" type="search">', true],
    ['number input', '<input id="target" type="number">', true],
    ['input of an unknown type', '<input id="target" type="madeup">', true],
    ['checkbox', '<input id="target" type="checkbox">', false],
    ['radio (the host decision form)', '<input id="target" type="radio" name="decision">', false],
    ['button input', '<input id="target" type="submit">', false],
    ['textarea', '<textarea id="target"></textarea>', true],
    ['select', '<select id="target"><option>a</option></select>', true],
    ['contenteditable', '<div id="target" contenteditable="true">x</div>', true],
    ['contenteditable with no value', '<div id="target" contenteditable>x</div>', true],
    ['plaintext-only contenteditable', '<div id="target" contenteditable="plaintext-only">x</div>', true],
    ['child of a contenteditable', '<div contenteditable="true"><p><b id="target">x</b></p></div>', true],
    ['contenteditable="false"', '<div id="target" contenteditable="false">x</div>', false],
    ['non-editable island in an editor', '<div contenteditable="true"><span contenteditable="false"><i id="target">x</i></span></div>', false],
    ['role=textbox', '<div id="target" role="textbox" tabindex="0">x</div>', true],
    ['inside role=textbox', '<div role="textbox"><span id="target">x</span></div>', true],
    ['plain div', '<div id="target" tabindex="0">x</div>', false],
    ['button', '<button id="target">Submit</button>', false],
    ['link', '<a id="target" href="/next">Next</a>', false],
  ])('%s → %s', (_name, html, editable) => {
    expect(isEditableTarget(build(html))).toBe(editable);
  });

  it.each([
    ['null', null],
    ['the window', window],
    ['a text node', document.createTextNode('x')],
  ])('%s is not editable', (_name, target) => {
    expect(isEditableTarget(target)).toBe(false);
  });

  it('treats a document in design mode as editable', () => {
    const doc = new DOMParser().parseFromString('<body><p id="target">x</p></body>', 'text/html');
    doc.designMode = 'on';
    expect(isEditableTarget(doc.querySelector('#target'))).toBe(true);
  });
});

describe('formatHotkey', () => {
  it.each([
    ['Mod+z', false, 'Ctrl+Z'],
    ['Mod+z', true, '⌘Z'],
    ['Alt+l', false, 'Alt+L'],
    ['Alt+l', true, '⌥L'],
    ['Mod+Shift+Enter', false, 'Ctrl+Shift+Enter'],
    ['Mod+Shift+Enter', true, '⇧⌘Enter'],
    ['Enter', false, 'Enter'],
    ['Enter', true, 'Enter'],
    ['?', false, '?'],
    ['1', true, '1'],
    ['m', false, 'M'],
    ['Space', false, 'Space'],
    ['Ctrl+z', false, 'Ctrl+z'],
  ])('%s (mac: %s) → %s', (hotkey, isMac, shown) => {
    expect(formatHotkey(hotkey, isMac)).toBe(shown);
  });
});
