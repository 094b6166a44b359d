/**
 * The few special functions the customer-base models need, in plain double precision.
 * Everything here is pure and allocation-free so the likelihoods can call it in tight loops.
 */

// Formulas read closer to the papers without the Math. prefix; module-level bindings are also
// much faster than global lookups inside Jest's vm sandbox, where the fits run in the tests.
const { LN2, PI, abs, exp, expm1, log, log1p, max, sin } = Math;

// Lanczos approximation with g = 7 and nine coefficients (Godfrey's set): about 15 significant
// digits for Γ(x) on x > 0, which is all the likelihoods ever ask for.
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * log(2 * PI);

/** ln Γ(x) for x > 0. Throws on x ≤ 0, where the models never need it and Γ has poles. */
export function lnGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`lnGamma needs a finite positive argument, got ${x}`);
  // The series is accurate for x ≥ 0.5; below that the reflection formula moves the argument there.
  if (x < 0.5) return log(PI / sin(PI * x)) - lnGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += LANCZOS_COEFFICIENTS[i] / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * log(t) - t + log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** ln(1 + eˣ) without overflow for large x or loss of precision for very negative x. */
export function log1pExp(x: number): number {
  return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/** ln(eᵃ + eᵇ) without overflow. */
export function logAddExp(a: number, b: number): number {
  // Equal arguments handled apart so that two −∞ (two zero terms) give −∞ rather than NaN.
  if (a === b) return a + LN2;
  return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

/** 1 / (1 + e⁻ˣ), evaluated on the side that cannot overflow. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}

/** (eᵉˣ − 1) / ε, continuous at ε = 0 where it equals x. */
export function expm1OverEpsilon(epsilon: number, x: number): number {
  return epsilon === 0 ? x : expm1(epsilon * x) / epsilon;
}

const DEFAULT_MAX_TERMS = 1_000_000;
const RELATIVE_TOLERANCE = 1e-16;

/**
 * (₂F₁(a, b; c; z) − 1) / b, summed as the power series
 *
 *   Σₙ≥₁ (a)ₙ (b + 1)ₙ₋₁ / ((c)ₙ n!) zⁿ
 *
 * Dividing by b analytically keeps the value finite and accurate as b → 0, which the BG/NBD
 * needs when its dropout parameter a is close to 1 (b there is a − 1).
 *
 * Region: the series converges for |z| < 1 and every c that is not 0, −1, −2, …; it is used here
 * only for 0 ≤ z < 1. Its cost grows like 1 / (1 − z) terms (about 35 / (1 − z) for full double
 * precision), so arguments very close to 1 are slow; past `maxTerms` it throws rather than
 * return an unconverged number. Terms may grow before they shrink (large a or b), so the sum
 * stops only once the term ratio is below 1 and the remaining geometric tail is negligible.
 */
export function hypergeometric2F1Excess(a: number, b: number, c: number, z: number, maxTerms = DEFAULT_MAX_TERMS): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError(`2F1 needs finite arguments, got a=${a} b=${b} c=${c} z=${z}`);
  if (!(abs(z) < 1)) throw new RangeError(`2F1 series needs |z| < 1, got z=${z}`);
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`2F1 is undefined for c = ${c} (a non-positive integer)`);
  if (z === 0) return 0;
  let term = (a * z) / c;
  let sum = term;
  for (let n = 1; n < maxTerms; n++) {
    if (term === 0) return sum; // a is a non-positive integer, or b + 1 is: the series terminates.
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    // The ratios tend to z, from above or below, so the larger of the two bounds the geometric tail.
    const tailRatio = max(abs(ratio), abs(z));
    if (abs(ratio) < 1 && (abs(term) * tailRatio) / (1 - tailRatio) <= RELATIVE_TOLERANCE * abs(sum)) return sum;
  }
  throw new RangeError(`2F1 series did not converge in ${maxTerms} terms (a=${a} b=${b} c=${c} z=${z}); z is too close to 1`);
}

/** ₂F₁(a, b; c; z) by its power series, for |z| < 1 (see {@link hypergeometric2F1Excess} for the region and cost). */
export function hypergeometric2F1(a: number, b: number, c: number, z: number, maxTerms = DEFAULT_MAX_TERMS): number {
  return 1 + b * hypergeometric2F1Excess(a, b, c, z, maxTerms);
}
