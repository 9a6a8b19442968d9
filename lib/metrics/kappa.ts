/**
 * Cohen's κ for two raters over the same items (mission anchors, "Agreement"): QA vs labeler, or QA vs QA in
 * a blind calibration session. κ = (pₒ − pₑ) / (1 − pₑ), with pₑ from each rater's own category frequencies.
 */

export interface KappaResult {
  kappa: number;
  /** pₒ: share of items both raters put in the same category. */
  observed: number;
  /** pₑ: agreement expected by chance, Σₖ p₁ₖ · p₂ₖ. */
  expected: number;
}

/**
 * `pairs` holds one [rater A, rater B] category per item. `null` for no items. When pₑ = 1 both raters used
 * one and the same category for every item, so pₒ = 1 too and κ is 0/0; we return κ = 1 (they agreed on
 * everything) rather than NaN, which no chart or comparison can use.
 */
export function cohenKappa(pairs: readonly (readonly [string, string])[]): KappaResult | null {
  const items = pairs.length;
  if (items === 0) return null;
  const first = new Map<string, number>();
  const second = new Map<string, number>();
  let agreements = 0;
  for (const [a, b] of pairs) {
    if (a === b) agreements += 1;
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  // Sum integer products and divide once: a single category then gives pₑ of exactly 1, not 1 − 1e-16.
  let chanceProducts = 0;
  for (const [category, count] of first) chanceProducts += count * (second.get(category) ?? 0);
  const observed = agreements / items;
  const expected = chanceProducts / (items * items);
  if (expected === 1) return { kappa: 1, observed, expected };
  return { kappa: (observed - expected) / (1 - expected), observed, expected };
}
