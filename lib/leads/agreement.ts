/**
 * The dashboard's "Agreement" (issue 4): Cohen's κ for items audited by two people, built from the audits the
 * dashboard already holds (dates and filters applied), so it needs no read of its own. Two comparisons:
 *
 * - **QA vs QA**: items (site + item id) with live audits by two or more auditors, one pair of verdicts per item.
 * - **QA vs labeler**: the labeler's decision as read from the page against the decision the auditor stands for.
 *
 * Pure: plain arrays in, numbers out (lib/metrics' `cohenKappa` does the arithmetic).
 */
import { cohenKappa, liveAudits, type KappaResult } from '../metrics';
import type { Audit } from '../schemas';

/** The fields of an `Audit` the comparisons read. */
export type AgreementAudit = Pick<
  Audit,
  'id' | 'siteId' | 'itemId' | 'auditorId' | 'verdict' | 'labelerDecision' | 'correctedDecision' | 'createdAt' | 'updatedAt' | 'deleted'
>;

export interface Agreement {
  /** `null` when there is no pair. */
  kappa: KappaResult | null;
  /** Pairs compared: items for QA vs QA, audits for QA vs labeler. */
  pairs: number;
  /**
   * Audits that could have been compared but went into no pair. QA vs QA: audits of a paired item beyond its
   * first two auditors (and an auditor's older duplicate of their own audit). QA vs labeler: audits with a
   * labeler decision but no decision of the auditor's own (unsure, or incorrect without a corrected decision).
   */
  notComparable: number;
}

export interface AuditAgreement {
  qa: Agreement;
  labeler: Agreement;
}

/** Code-unit order, not localeCompare: the same pairs in every browser. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Earlier audit first; ties (same millisecond) by auditor, then id, so the order never depends on input order. */
function byCreation(a: AgreementAudit, b: AgreementAudit): number {
  return a.createdAt - b.createdAt || compareText(a.auditorId, b.auditorId) || compareText(a.id, b.id);
}

/**
 * One [rater A, rater B] pair of verdicts per item audited by two or more different auditors.
 *
 * Which pair: the first two auditors of the item, by when their audits were created; rater A is the earlier.
 * - One pair per item, as Cohen's κ is defined (lib/metrics/kappa.ts): pairs taken from one item are not
 *   independent, and "all pairs" would let one six-person calibration item (15 pairs) outweigh fifteen items
 *   audited twice, and would make the count shown to the lead overstate the evidence.
 * - A third audit added later leaves the pair, and so the figure, as it was.
 * - A consistent rater A / rater B matters because pₑ multiplies each rater's own category frequencies; "the
 *   earlier audit" is a rule every item can follow (QA vs QA has no fixed first and second person).
 * The audits left out are counted in `notComparable`. Three or more QAs per item (a calibration session) are
 * better read with Fleiss' κ; that is not here yet.
 *
 * An auditor's re-audit updates their one record, so an auditor has one audit per item; should sync ever bring
 * two (two devices), the more recently updated stands for them, as the one that says what they think now.
 */
export function qaAgreement(audits: readonly AgreementAudit[]): Agreement {
  // Keyed by JSON of [siteId, itemId]: ids are page text, so no separator character is safe to join them with.
  const items = new Map<string, AgreementAudit[]>();
  for (const audit of liveAudits(audits)) {
    const key = JSON.stringify([audit.siteId, audit.itemId]);
    const list = items.get(key);
    if (list) list.push(audit);
    else items.set(key, [audit]);
  }

  const pairs: Array<readonly [string, string]> = [];
  let notComparable = 0;
  for (const itemAudits of items.values()) {
    const latestByAuditor = new Map<string, AgreementAudit>();
    for (const audit of itemAudits) {
      const held = latestByAuditor.get(audit.auditorId);
      if (!held || audit.updatedAt > held.updatedAt || (audit.updatedAt === held.updatedAt && audit.id > held.id)) {
        latestByAuditor.set(audit.auditorId, audit);
      }
    }
    if (latestByAuditor.size < 2) continue;
    const [first, second] = [...latestByAuditor.values()].sort(byCreation);
    if (!first || !second) continue;
    pairs.push([first.verdict, second.verdict]);
    notComparable += itemAudits.length - 2;
  }
  return { kappa: cohenKappa(pairs), pairs: pairs.length, notComparable };
}

/**
 * A decision as a category: the labeler's is read off the page, the corrected one is typed in the panel, so the
 * same decision can differ in case or spacing ("Remove – hate speech" / "remove –  Hate speech"). Spelling
 * differences still make two categories; only a pick-list in the panel would remove those.
 */
export function decisionCategory(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * One [labeler's decision, auditor's decision] pair per live audit that has a labeler decision; rater A is
 * always the labeler. The auditor's decision is the labeler's when the verdict is `correct`, and the corrected
 * decision when it is `incorrect` and one was given. `unsure`, and `incorrect` without a correction, name no
 * decision of the auditor's own: they count in `notComparable`. Audits with no labeler decision count nowhere
 * (the site profile does not read it). An item audited by two people gives two pairs: each is its own QA check.
 * A corrected decision that reads the same as the labeler's is an agreement: κ compares decision categories,
 * and whatever else the auditor found wrong (severity, reason) lies outside them.
 */
export function labelerAgreement(audits: readonly AgreementAudit[]): Agreement {
  const pairs: Array<readonly [string, string]> = [];
  let notComparable = 0;
  for (const audit of liveAudits(audits)) {
    if (audit.labelerDecision === undefined) continue;
    const labeler = decisionCategory(audit.labelerDecision);
    if (labeler === '') continue;
    const corrected = audit.correctedDecision === undefined ? '' : decisionCategory(audit.correctedDecision);
    if (audit.verdict === 'correct') pairs.push([labeler, labeler]);
    else if (audit.verdict === 'incorrect' && corrected !== '') pairs.push([labeler, corrected]);
    else notComparable += 1;
  }
  return { kappa: cohenKappa(pairs), pairs: pairs.length, notComparable };
}

/** Both comparisons over the same audits. */
export function auditAgreement(audits: readonly AgreementAudit[]): AuditAgreement {
  return { qa: qaAgreement(audits), labeler: labelerAgreement(audits) };
}
