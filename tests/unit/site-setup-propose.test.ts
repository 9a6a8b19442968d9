/**
 * What point-and-click setup proposes from what the user picked (lib/setup/propose.ts): patterns that read the
 * value out of a longer text, the same value from the page address, and a new profile's pages, name and id. Each
 * proposal is also run through `readField`, as the labeling page will run it, on the next item's text.
 */
import { describe, expect, it } from 'vitest';
import type { ItemField } from '../../lib/schemas';
import { readField } from '../../lib/site-profile';
import {
  generalizeId,
  proposeMatchPattern,
  proposeSiteId,
  proposeSiteName,
  proposeUrlPattern,
  proposeValuePattern,
} from '../../lib/setup/propose';

/** Reads `text` as a profile would, with a DOM field holding it. */
function readText(text: string, pattern: string, group: number): string | null {
  const doc = new DOMParser().parseFromString(`<p id="v"></p>`, 'text/html');
  doc.getElementById('v')!.textContent = text;
  const read = readField({ from: 'dom', selector: '#v', pattern, group }, 'https://tool.example/', doc);
  return read.ok ? read.value : null;
}

describe('a pattern when the element shows more than the value', () => {
  it.each<[string, ItemField, string, string, string]>([
    // text, field, proposed pattern, what it reads, what it reads on the next item
    ['Case #4411', 'itemId', '#(\\d+)', '4411', 'Case #4412'],
    ['Task #123', 'itemId', '#(\\d+)', '123', 'Task #98765'],
    ['Task LD-2001', 'itemId', '(LD-\\d+)', 'LD-2001', 'Task LD-2002'],
    ['Item 3 of 20: MQ-1001', 'itemId', '(MQ-\\d+)', 'MQ-1001', 'Item 4 of 20: MQ-1002'],
    ['Queue 12 · Case 4411', 'itemId', 'Case\\s+(\\d+)', '4411', 'Queue 12 · Case 4420'],
    ['Case  #  4411', 'itemId', '#\\s+(\\d+)', '4411', 'Case # 77'],
    ['Tác vụ #9912', 'itemId', '#(\\d+)', '9912', 'Tác vụ #9913'],
    ['งาน #๑๒๓', 'itemId', '#(\\p{Nd}+)', '๑๒๓', 'งาน #๔๕'],
    ['Ticket: alpha', 'itemId', 'Ticket\\s*:\\s*(.+)', 'alpha', 'Ticket: beta'],
    ['Reviewed by rev-kim · 21 Nov 2026', 'labelerId', '\\bby\\s+([^\\s,.;·|]+)', 'rev-kim', 'Reviewed by rev-lan · 22 Nov 2026'],
    ['Labeler: lab-ana', 'labelerId', 'Labeler\\s*:\\s*(.+)', 'lab-ana', 'Labeler: lab-ben'],
    ['Decision: Remove – Hate speech', 'labelerDecision', 'Decision\\s*:\\s*(.+)', 'Remove – Hate speech', 'Decision: Approve'],
    ['Casebook › Queues › Spam · TH', 'queue', '[›»]\\s*([^›»]+)$', 'Spam · TH', 'Casebook › Queues › Hate · VI'],
    ['Queue: Spam (12)', 'queue', 'Queue\\s*:\\s*(.+?)\\s*\\(\\d+\\)$', 'Spam', 'Queue: Scams (3)'],
    ['Spam (12)', 'queue', '^(.+?)\\s*\\(\\d+\\)$', 'Spam', 'Hate speech (140)'],
  ])('%j (%s) → /%s/', (text, field, pattern, value, nextText) => {
    const proposal = proposeValuePattern(text, field);
    expect(proposal).toEqual({ pattern, group: 1, value });
    expect(readText(text, pattern, 1)).toBe(value);
    // The point of a pattern over a literal: it reads the next item too.
    expect(readText(nextText, pattern, 1)).not.toBeNull();
    expect(readText(nextText, pattern, 1)).not.toBe(value);
  });

  it.each<[string, ItemField]>([
    ['LD-2001', 'itemId'],
    ['4411', 'itemId'],
    ['lab-ana', 'labelerId'],
    ['Remove', 'labelerDecision'],
    ['Remove – Hate speech', 'labelerDecision'],
    ['Hate speech', 'queue'],
    ['   ', 'itemId'],
  ])('no pattern when %j already is the value (%s)', (text, field) => {
    expect(proposeValuePattern(text, field)).toBeNull();
  });

  it('reads the text the way the page collapses it', () => {
    expect(proposeValuePattern('  Case\n   #4411  ', 'itemId')).toEqual({ pattern: '#(\\d+)', group: 1, value: '4411' });
  });

  it.each([
    ['4411', '\\d+'],
    ['MQ-1001', 'MQ-\\d+'],
    ['T_77', 'T_\\d+'],
    ['a3f9c2e1b7d4', '[0-9A-Fa-f-]+'],
    ['550e8400-e29b-41d4', '[0-9A-Fa-f-]+'],
    ['case-7b', '[\\p{L}\\p{N}_-]+'],
  ])('an id like %s belongs to /%s/', (id, general) => {
    expect(generalizeId(id)).toBe(general);
    expect(new RegExp(`^${general}$`, 'u').test(id)).toBe(true);
  });
});

describe('the same value from the page address', () => {
  it.each([
    ['http://127.0.0.1:5178/modqueue/queue/hate-speech/item/MQ-1001', 'MQ-1001', '/item/([^/?#]+)'],
    ['http://127.0.0.1:5178/labeldesk/#/task/LD-2001', 'LD-2001', '/task/([^/?#]+)'],
    ['https://tool.example/review?task=42&x=1', '42', '[?&]task=([^&#]+)'],
    ['https://tool.example/case/%E0%B8%87%E0%B8%B2%E0%B8%991', 'งาน1', '/case/([^/?#]+)'],
  ])('%s holds %s: /%s/', (url, value, pattern) => {
    expect(proposeUrlPattern(url, value)).toEqual({ pattern, group: 1, value });
    expect(readField({ from: 'url', pattern, group: 1 }, url, document)).toEqual({ ok: true, value });
  });

  it.each([
    ['https://tool.example/42', '42'], // no segment before it says what it is
    ['https://tool.example/case/4411', '4412'],
    ['https://tool.example/case/4411', ''],
    ['not a url', '4411'],
  ])('nothing for %s and %j', (url, value) => {
    expect(proposeUrlPattern(url, value)).toBeNull();
  });
});

describe('a new profile', () => {
  it.each([
    ['http://127.0.0.1:5178/casebook/case/4411', 'http://127.0.0.1/casebook/*'],
    ['http://127.0.0.1:5178/labeldesk/#/task/LD-2001', 'http://127.0.0.1/labeldesk/*'],
    ['https://tool.example/4411', 'https://tool.example/*'],
    ['https://tool.example/', 'https://tool.example/*'],
    ['https://tool.example/queue-17/item/3', 'https://tool.example/*'],
    ['chrome://settings/', null],
    ['nonsense', null],
  ])('covers the tool of %s: %s', (url, pattern) => {
    expect(proposeMatchPattern(url)).toBe(pattern);
  });

  it.each([
    ['Case 4411 · Casebook', 'Casebook'],
    ['LabelDesk', 'LabelDesk'],
    ['Task #MQ-1001 · Hate speech · ModQueue', 'ModQueue'],
    ['4411', 'tool.example.com'],
    ['', 'tool.example.com'],
  ])('names the tool after the title %j: %s', (title, name) => {
    expect(proposeSiteName(title, 'https://tool.example.com/case/1')).toBe(name);
  });

  it('makes an id of the name that no other site has', () => {
    expect(proposeSiteId('Casebook', [])).toBe('casebook');
    expect(proposeSiteId('Case Book!', ['case-book'])).toBe('case-book-2');
    expect(proposeSiteId('Case Book', ['case-book', 'case-book-2'])).toBe('case-book-3');
    expect(proposeSiteId('Tác vụ', [])).toBe('tac-vu');
    expect(proposeSiteId('ខ្មែរ', [])).toBe('site');
  });
});
