/**
 * Synthetic customer bases drawn from the models' own generative stories, from a seeded
 * generator, so that fits can be checked against known parameters (and the same seed always
 * gives the same customers).
 */
import type { BgNbdParams, CustomerSummary } from './bg-nbd.js';
import type { GammaGammaParams, SpendSummary } from './gamma-gamma.js';

// Module-level bindings: global lookups are many times slower inside Jest's vm sandbox.
const { PI, cos, imul, log, pow, sqrt } = Math;

/** A seeded stream of uniform numbers in (0, 1): Marsaglia's xorshift128 (2003), 32-bit state words. */
export class SeededRandom {
  private readonly state = new Uint32Array(4);

  constructor(seed: number) {
    // Spread the seed over the four words with an LCG; the all-zero state would stick at zero.
    let s = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      s = (imul(s, 1664525) + 1013904223) >>> 0;
      this.state[i] = s;
    }
    if (this.state.every((word) => word === 0)) this.state[0] = 1;
    for (let i = 0; i < 16; i++) this.next(); // Move away from the closely related seed words.
  }

  /** Uniform in the open interval (0, 1), so logs and powers of it are always defined. */
  next(): number {
    const s = this.state;
    const t = s[0] ^ (s[0] << 11);
    s[0] = s[1];
    s[1] = s[2];
    s[2] = s[3];
    s[3] = s[3] ^ (s[3] >>> 19) ^ (t ^ (t >>> 8));
    return (s[3] + 0.5) / 4294967296;
  }

  /** Standard normal (Box–Muller; one of the pair is discarded to keep the stream stateless). */
  normal(): number {
    return sqrt(-2 * log(this.next())) * cos(2 * PI * this.next());
  }

  exponential(rate: number): number {
    return -log(this.next()) / rate;
  }

  /** Gamma with the given shape and rate (Marsaglia & Tsang 2000; shape < 1 via the u^(1/shape) boost). */
  gamma(shape: number, rate: number): number {
    if (shape < 1) return this.gamma(shape + 1, rate) * pow(this.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (log(this.next()) < 0.5 * x * x + d - d * v + d * log(v)) return (d * v) / rate;
    }
  }

  beta(a: number, b: number): number {
    const x = this.gamma(a, 1);
    return x / (x + this.gamma(b, 1));
  }
}

export interface SimulatedCustomer extends CustomerSummary {
  /** Whether the customer was still active at T (unobservable in real data). */
  readonly alive: boolean;
  /** Repeat purchases in the hold-out period (T, T + holdout]; 0 when no hold-out was asked for. */
  readonly holdoutPurchases: number;
  /** The customer's purchase rate and dropout probability. */
  readonly lambda: number;
  readonly p: number;
}

/**
 * One customer per entry of `observationTimes` (their T), following the BG/NBD: purchases arrive
 * at rate λ ~ Gamma(r, α) after the first one at time 0, and after each repeat purchase the
 * customer drops out with probability p ~ Beta(a, b). With a hold-out length, the customers are
 * followed on past T so that predictions made at T can be checked against what happened next.
 */
export function simulateBgNbdCustomers(params: BgNbdParams, observationTimes: readonly number[], random: SeededRandom, holdout = 0): SimulatedCustomer[] {
  return observationTimes.map((T) => {
    const lambda = random.gamma(params.r, params.alpha);
    const p = random.beta(params.a, params.b);
    let x = 0;
    let tx = 0;
    let holdoutPurchases = 0;
    let alive = true;
    for (let time = 0; ; ) {
      time += random.exponential(lambda);
      if (time > T + holdout) break;
      if (time <= T) {
        x++;
        tx = time;
      } else {
        holdoutPurchases++;
      }
      if (random.next() < p) {
        alive = time > T;
        break;
      }
    }
    return { x, tx, T, alive, holdoutPurchases, lambda, p };
  });
}

/**
 * Spend for customers with the given repeat-purchase counts, following the Gamma-Gamma model:
 * ν ~ Gamma(q, γ) per customer, each transaction Gamma(p, ν); meanValue is the mean of x of them
 * (0 when x = 0).
 */
export function simulateGammaGammaSpend(params: GammaGammaParams, repeatPurchases: readonly number[], random: SeededRandom): SpendSummary[] {
  return repeatPurchases.map((x) => {
    const nu = random.gamma(params.q, params.gamma);
    let total = 0;
    for (let i = 0; i < x; i++) total += random.gamma(params.p, nu);
    return { x, meanValue: x === 0 ? 0 : total / x };
  });
}
