import { describe, expect, it } from 'vitest';
import { approximateMatchEnds, approximateMatchStart, similarity } from '../../lib/notes/fuzzy-match';

describe('approximate matching (Myers)', () => {
  function naiveEnds(text: string, pattern: string, maxErrors: number) {
    let previous = Array.from({ length: pattern.length + 1 }, (_, i) => i);
    const ends: { end: number; errors: number }[] = [];
    for (let j = 1; j <= text.length; j++) {
      const current = [0];
      for (let i = 1; i <= pattern.length; i++) {
        current[i] = Math.min(previous[i - 1]! + (pattern[i - 1] === text[j - 1] ? 0 : 1), previous[i]! + 1, current[i - 1]! + 1);
      }
      if (current[pattern.length]! <= maxErrors) ends.push({ end: j, errors: current[pattern.length]! });
      previous = current;
    }
    return ends;
  }

  it('agrees with the textbook dynamic programme, patterns of one to four blocks', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 400; trial++) {
      const alphabet = 'abcd'.slice(0, 2 + Math.floor(random() * 3));
      const word = (length: number) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const pattern = word(1 + Math.floor(random() * 120));
      let text = word(Math.floor(random() * 300));
      if (random() < 0.5 && text.length > pattern.length) {
        const at = Math.floor(random() * (text.length - pattern.length));
        text = text.slice(0, at) + pattern + text.slice(at + pattern.length);
      }
      const maxErrors = Math.floor(random() * Math.min(pattern.length, 50));
      expect(approximateMatchEnds(text, pattern, maxErrors), `trial ${trial}`).toEqual(naiveEnds(text, pattern, maxErrors));
    }
  });

  it('finds where a match starts', () => {
    const text = 'xx ព្រោះវាមានពាក្យ hello wrld yy';
    const ends = approximateMatchEnds(text, 'hello world', 2);
    const best = ends.reduce((a, b) => (b.errors < a.errors ? b : a));
    expect(text.slice(approximateMatchStart(text, 'hello world', best.end, best.errors), best.end)).toBe('hello wrld');
  });
});

describe('similarity', () => {
  it.each([
    ['', '', 1],
    ['same', 'same', 1],
    ['kitten', 'sitting', 1 - 3 / 7],
    ['Spam linc', 'Spam link', 1 - 1 / 9],
    // Lengths too far apart for any threshold: answered from the difference in length alone.
    ['abc', 'abcdefghij', 1 - 7 / 10],
    ['abcd', '', 0],
  ])('%j and %j → %d', (a, b, expected) => {
    expect(similarity(a, b)).toBeCloseTo(expected, 12);
    expect(similarity(b, a)).toBeCloseTo(expected, 12);
  });
});
