/**
 * lib/leads/agreement.ts: which audits become κ pairs, in which order, and what is left out. The κ arithmetic
 * itself is checked against exact fractions in metrics.test.ts; here every expected value is worked out by hand
 * in the comment above it, from the pairs the table should give.
 */
import { describe, expect, it } from 'vitest';
import { auditAgreement, decisionCategory, labelerAgreement, qaAgreement, type AgreementAudit } from '../../lib/leads/agreement';

const T0 = Date.UTC(2026, 10, 21, 9);
const MINUTE = 60_000;
let counter = 0;

function audit(itemId: string, auditorId: string, minute: number, overrides: Partial<AgreementAudit> = {}): AgreementAudit {
  counter += 1;
  const createdAt = T0 + minute * MINUTE;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    siteId: 'labeldesk',
    itemId,
    auditorId,
    verdict: 'correct',
    createdAt,
    updatedAt: createdAt,
    deleted: false,
    ...overrides,
  };
}

/** Input order must not matter: the same audits reversed and interleaved. */
function shuffled<T>(values: readonly T[]): T[] {
  const reversed = [...values].reverse();
  return [...reversed.filter((_, index) => index % 2 === 0), ...reversed.filter((_, index) => index % 2 === 1)];
}

describe('qaAgreement', () => {
  const TABLE: AgreementAudit[] = [
    // i1: ana then bo, both correct → [correct, correct]
    audit('i1', 'ana', 0),
    audit('i1', 'bo', 5),
    // i2: ana (earlier) incorrect, bo correct → [incorrect, correct]
    audit('i2', 'ana', 1, { verdict: 'incorrect' }),
    audit('i2', 'bo', 6),
    // i3: bo is the earlier here, though listed second, so bo is rater A → [correct, incorrect]
    audit('i3', 'ana', 9, { verdict: 'incorrect' }),
    audit('i3', 'bo', 2),
    // i4: three auditors; the first two by creation are ana (unsure) and bo (correct) → [unsure, correct];
    // cy's audit goes into no pair (notComparable 1)
    audit('i4', 'ana', 3, { verdict: 'unsure' }),
    audit('i4', 'cy', 20, { verdict: 'incorrect' }),
    audit('i4', 'bo', 4),
    // i6: bo then cy → [incorrect, incorrect];  i7: cy then ana → [correct, correct]
    audit('i6', 'bo', 10, { verdict: 'incorrect' }),
    audit('i6', 'cy', 11, { verdict: 'incorrect' }),
    audit('i7', 'cy', 12),
    audit('i7', 'ana', 13),
    // i5: one auditor, plus a deleted audit by another: no pair, and nothing counted
    audit('i5', 'ana', 0),
    audit('i5', 'bo', 1, { verdict: 'incorrect', deleted: true }),
    // Same item id on another site: a different item, with one auditor
    audit('i1', 'cy', 7, { siteId: 'modqueue' }),
  ];

  // Pairs (A, B): (c,c) (i,c) (c,i) (u,c) (i,i) (c,c): n = 6, agreements 3 → pₒ = 3/6 = 1/2.
  // Rater A: correct 3, incorrect 2, unsure 1. Rater B: correct 4, incorrect 2.
  // pₑ = (3·4 + 2·2 + 1·0) / 6² = 16/36 = 4/9.  κ = (1/2 − 4/9) / (1 − 4/9) = (1/18) / (5/9) = 1/10.
  // Taking i3 in listed order instead, (i,c): A c2 i3 u1, B c5 i1 → pₑ = 13/36 and κ = 5/23, so order shows.
  it('pairs the first two auditors of each item, the earlier as rater A', () => {
    const result = qaAgreement(TABLE);
    expect(result.pairs).toBe(6);
    expect(result.notComparable).toBe(1);
    expect(result.kappa?.observed).toBe(1 / 2);
    expect(result.kappa?.expected).toBe(4 / 9);
    expect(result.kappa?.kappa).toBeCloseTo(1 / 10, 12);
  });

  it('gives the same answer whatever the order of the audits', () => {
    expect(qaAgreement(shuffled(TABLE))).toEqual(qaAgreement(TABLE));
  });

  it('breaks a tie in creation time by auditor id', () => {
    // Same millisecond: "ana" < "bo", so ana is rater A → [incorrect, correct], and on i2 [correct, unsure].
    // Pairs (i,c) (c,u): agreements 0 → pₒ = 0. A: incorrect 1, correct 1. B: correct 1, unsure 1.
    // pₑ = (1·0 + 1·1) / 2² = 1/4.  κ = (0 − 1/4) / (3/4) = −1/3.
    // With bo as rater A on i1 the pairs would be (c,i) (c,u): pₑ = (2·0)/4 = 0 and κ = 0, so order shows.
    const tie = [audit('i1', 'bo', 0), audit('i1', 'ana', 0, { verdict: 'incorrect' }), audit('i2', 'ana', 3), audit('i2', 'bo', 3, { verdict: 'unsure' })];
    const result = qaAgreement(tie);
    expect(result.kappa?.observed).toBe(0);
    expect(result.kappa?.expected).toBe(1 / 4);
    expect(result.kappa?.kappa).toBeCloseTo(-1 / 3, 12);
  });

  it('lets an auditor’s most recently updated audit of an item stand for them', () => {
    // ana has two records of i1 (two devices); the later update says incorrect → pair [incorrect, incorrect],
    // one agreement in one pair: pₒ = 1, pₑ = 1·1/1 = 1, κ = 1 by cohenKappa's rule. The stale record is
    // counted as left out. Had the stale one stood, the pair would be [correct, incorrect]: pₒ = 0.
    const duplicates = [
      audit('i1', 'ana', 0, { updatedAt: T0 + 1 * MINUTE }),
      audit('i1', 'ana', 1, { verdict: 'incorrect', updatedAt: T0 + 30 * MINUTE }),
      audit('i1', 'bo', 10, { verdict: 'incorrect' }),
    ];
    const result = qaAgreement(duplicates);
    expect(result).toEqual({ kappa: { kappa: 1, observed: 1, expected: 1 }, pairs: 1, notComparable: 1 });
  });

  it('has no κ when no item was audited by two people', () => {
    expect(qaAgreement([audit('i1', 'ana', 0), audit('i2', 'bo', 0), audit('i1', 'ana', 5, { siteId: 'modqueue' })])).toEqual({
      kappa: null,
      pairs: 0,
      notComparable: 0,
    });
    expect(qaAgreement([])).toEqual({ kappa: null, pairs: 0, notComparable: 0 });
  });
});

describe('labelerAgreement', () => {
  const REMOVE = 'Remove – Hate speech';
  const TABLE: AgreementAudit[] = [
    // correct: the auditor stands for the labeler's decision → [remove, remove]
    audit('a1', 'ana', 0, { labelerDecision: REMOVE }),
    // incorrect with a correction → [approve, remove]
    audit('a2', 'ana', 1, { labelerDecision: 'Approve', verdict: 'incorrect', correctedDecision: REMOVE }),
    // → [approve, approve]
    audit('a3', 'ana', 2, { labelerDecision: 'Approve' }),
    // case and spacing differ from a2's, but it is the same pair of decisions → [approve, remove]
    audit('a4', 'bo', 3, { labelerDecision: 'approve', verdict: 'incorrect', correctedDecision: 'remove –  hate SPEECH' }),
    // unsure and incorrect-without-correction name no decision: not comparable (2)
    audit('a5', 'bo', 4, { labelerDecision: 'Approve', verdict: 'unsure' }),
    audit('a6', 'bo', 5, { labelerDecision: REMOVE, verdict: 'incorrect' }),
    // no labeler decision read: counted nowhere
    audit('a7', 'bo', 6),
    audit('a8', 'bo', 7, { verdict: 'incorrect', correctedDecision: REMOVE }),
    // deleted: counted nowhere
    audit('a9', 'bo', 8, { labelerDecision: 'Approve', verdict: 'unsure', deleted: true }),
  ];

  // Pairs (labeler, auditor): (R,R) (A,R) (A,A) (A,R): n = 4, agreements 2 → pₒ = 1/2.
  // Labeler: R 1, A 3. Auditor: R 3, A 1.  pₑ = (1·3 + 3·1) / 4² = 6/16 = 3/8.
  // κ = (1/2 − 3/8) / (1 − 3/8) = (1/8) / (5/8) = 1/5.
  // Without the case/space folding a4 would be a third and fourth category: pₑ = (1·2 + 2·1)/16 = 1/4, κ = 1/3.
  it('pairs the labeler’s decision with the one the auditor stands for', () => {
    const result = labelerAgreement(TABLE);
    expect(result.pairs).toBe(4);
    expect(result.notComparable).toBe(2);
    expect(result.kappa?.observed).toBe(1 / 2);
    expect(result.kappa?.expected).toBe(3 / 8);
    expect(result.kappa?.kappa).toBeCloseTo(1 / 5, 12);
  });

  it('counts a correction equal to the labeler’s decision as agreement', () => {
    // [approve, approve] and [remove, remove]: pₒ = 1, pₑ = (1·1 + 1·1)/4 = 1/2, κ = (1 − 1/2)/(1/2) = 1.
    const same = [
      audit('c1', 'ana', 0, { labelerDecision: 'Approve', verdict: 'incorrect', correctedDecision: ' approve' }),
      audit('c2', 'ana', 1, { labelerDecision: 'Remove' }),
    ];
    expect(labelerAgreement(same).kappa).toEqual({ kappa: 1, observed: 1, expected: 1 / 2 });
  });

  it('has no κ when no labeler decision was read', () => {
    expect(labelerAgreement([audit('d1', 'ana', 0), audit('d2', 'ana', 1, { verdict: 'unsure' })])).toEqual({
      kappa: null,
      pairs: 0,
      notComparable: 0,
    });
  });

  it('has no κ, but says what was left out, when no audit names a decision', () => {
    const result = labelerAgreement([audit('e1', 'ana', 0, { labelerDecision: 'Approve', verdict: 'unsure' })]);
    expect(result).toEqual({ kappa: null, pairs: 0, notComparable: 1 });
  });
});

describe('decisionCategory', () => {
  it.each([
    ['  Remove   –\thate Speech ', 'remove – hate speech'],
    ['Approve', 'approve'],
    // "é" as e + combining accent folds to the one-character "é" the page may have shown.
    ['Supprime\u0301', 'supprimé'],
  ])('reads %j as %j', (text, expected) => {
    expect(decisionCategory(text)).toBe(expected);
  });
});

describe('auditAgreement', () => {
  it('gives both comparisons over the same audits', () => {
    // i1: ana correct then bo incorrect → QA pair [correct, incorrect]: pₒ = 0, pₑ = 0 (no shared category), κ = 0.
    // Labeler pairs: ana correct → [approve, approve]; bo incorrect with no correction → not comparable.
    const audits = [
      audit('i1', 'ana', 0, { labelerDecision: 'Approve' }),
      audit('i1', 'bo', 1, { labelerDecision: 'Approve', verdict: 'incorrect' }),
    ];
    expect(auditAgreement(audits)).toEqual({
      qa: { kappa: { kappa: 0, observed: 0, expected: 0 }, pairs: 1, notComparable: 0 },
      labeler: { kappa: { kappa: 1, observed: 1, expected: 1 }, pairs: 1, notComparable: 1 },
    });
  });
});
