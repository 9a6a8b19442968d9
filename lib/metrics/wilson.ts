/**
 * Accuracy against gold with an honest interval around it (mission anchors, "Metrics notes"): the Wilson
 * score interval, which Brown, Cai & DasGupta (2001) recommend over the Wald interval for small daily samples
 * and for proportions near 0 or 1, where Wald collapses to a zero-width interval.
 */

export interface Interval {
  low: number;
  high: number;
}

export type TargetVerdict = 'on-target' | 'below-target' | 'not-enough';

/** correct / (correct + incorrect); `unsure` is not a trial. `null` when there are no trials (not 0, not NaN). */
export function accuracy({ correct, incorrect }: { correct: number; incorrect: number }): number | null {
  const trials = correct + incorrect;
  return trials === 0 ? null : correct / trials;
}

// Wichura (1988), Algorithm AS241 PPND16: rational approximations good to about 1e-16 relative, so no Newton
// or Halley refinement (which would need an erfc that JavaScript lacks) is required. Python's
// statistics.NormalDist.inv_cdf uses the same published coefficients; the tests compare against it and against
// the forward CDF computed with math.erfc (tests/unit/metrics-reference.md). Coefficients are the published
// 20-digit values rounded to the nearest double (Python's repr of each), which is what parsing them gives anyway.
const CENTRAL_NUM = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946,
  45921.95393154987, 67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const CENTRAL_DEN = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597,
  39307.89580009271, 28729.085735721943, 5226.495278852854,
];
const NEAR_NUM = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045,
  1.2704582524523684, 0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const NEAR_DEN = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-09,
];
const FAR_NUM = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 2.7115555687434876e-05, 2.0103343992922881e-07,
];
const FAR_DEN = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  1.8463183175100548e-05, 1.421511758316446e-07, 2.0442631033899397e-15,
];

/** Horner's rule; coefficients from the constant term up. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (let index = coefficients.length - 1; index >= 0; index -= 1) sum = sum * x + (coefficients[index] ?? 0);
  return sum;
}

/** The standard normal quantile Φ⁻¹(p), for 0 < p < 1. */
export function inverseNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`inverseNormalCdf needs 0 < p < 1, got ${p}`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(CENTRAL_NUM, r)) / polynomial(CENTRAL_DEN, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = polynomial(NEAR_NUM, r) / polynomial(NEAR_DEN, r);
  } else {
    r -= 5;
    x = polynomial(FAR_NUM, r) / polynomial(FAR_DEN, r);
  }
  return q < 0 ? -x : x;
}

/** The two-sided critical value for `confidence` (0.95 → 1.959963984540054). */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return inverseNormalCdf((1 + confidence) / 2);
}

/**
 * Wilson score interval for `successes` out of `trials` at a two-sided `confidence`:
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n). With no trials nothing is known: [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval needs integers 0 ≤ successes ≤ trials, got ${successes}/${trials}`);
  }
  const z = zForConfidence(confidence);
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At 0 % and 100 % one bound is exactly 0 or 1 in closed form; the subtraction would leave ±1e-17 of rounding.
  return {
    low: successes === 0 ? 0 : Math.max(0, center - halfWidth),
    high: successes === trials ? 1 : Math.min(1, center + halfWidth),
  };
}

/**
 * Whether a sample supports a KPI: 'on-target' when even the interval's low end meets it, 'below-target' when
 * even its high end misses it, and 'not-enough' when the interval straddles it (the sample cannot tell).
 */
export function targetVerdict(interval: Interval, target: number): TargetVerdict {
  if (interval.low >= target) return 'on-target';
  if (interval.high < target) return 'below-target';
  return 'not-enough';
}
