/**
 * Derivative-free minimisation (Nelder & Mead 1965, with the standard coefficients and the
 * acceptance rules of Lagarias et al. 1998). The model fits use it on log-parameters, where the
 * likelihoods are smooth and unconstrained. Deterministic: the same input gives the same steps.
 */

// Module-level bindings: global lookups are many times slower inside Jest's vm sandbox.
const { abs } = Math;

export interface NelderMeadOptions {
  /** Total iterations over all restarts before giving up (the result then says converged: false). */
  readonly maxIterations?: number;
  /** Edge length of the starting simplex along each axis. */
  readonly initialStep?: number;
  /** Converged when every vertex is within this distance (max norm) of the best one… */
  readonly xTolerance?: number;
  /** …and the values differ by at most fTolerance × (1 + |best value|). */
  readonly fTolerance?: number;
  /**
   * How many times to rebuild a fresh simplex around the optimum once converged. A collapsed
   * simplex can stall away from the optimum; a restart that finds nothing better confirms it.
   */
  readonly maxRestarts?: number;
}

export interface NelderMeadResult {
  readonly x: number[];
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

const REFLECTION = 1;
const EXPANSION = 2;
const CONTRACTION = 0.5;
const SHRINK = 0.5;

interface Vertex {
  x: number[];
  value: number;
}

/** Minimises f from x0. Non-finite values of f count as +∞, so f may return NaN outside its domain. */
export function minimizeNelderMead(f: (x: readonly number[]) => number, x0: readonly number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const maxIterations = options.maxIterations ?? 5000;
  const initialStep = options.initialStep ?? 0.5;
  const xTolerance = options.xTolerance ?? 1e-8;
  const fTolerance = options.fTolerance ?? 1e-12;
  const maxRestarts = options.maxRestarts ?? 3;
  if (x0.length === 0 || !x0.every(Number.isFinite)) throw new RangeError('Nelder–Mead needs a non-empty, finite starting point');

  let evaluations = 0;
  const evaluate = (x: number[]): Vertex => {
    evaluations++;
    const value = f(x);
    return { x, value: Number.isFinite(value) ? value : Number.POSITIVE_INFINITY };
  };

  let best = evaluate([...x0]);
  if (best.value === Number.POSITIVE_INFINITY) throw new RangeError('Nelder–Mead starting point has no finite objective value');
  let iterations = 0;
  let converged = false;
  for (let restart = 0; restart <= maxRestarts && iterations < maxIterations; restart++) {
    const run = descend(best, initialStep, { maxIterations: maxIterations - iterations, xTolerance, fTolerance }, evaluate);
    iterations += run.iterations;
    const improvement = best.value - run.best.value;
    best = run.best.value <= best.value ? run.best : best;
    converged = run.converged;
    // The first run always counts; afterwards stop as soon as a fresh simplex finds nothing new.
    if (!run.converged || (restart > 0 && improvement <= fTolerance * (1 + abs(best.value)))) break;
  }
  return { x: best.x, value: best.value, iterations, evaluations, converged };
}

interface DescentLimits {
  readonly maxIterations: number;
  readonly xTolerance: number;
  readonly fTolerance: number;
}

function descend(start: Vertex, step: number, limits: DescentLimits, evaluate: (x: number[]) => Vertex): { best: Vertex; iterations: number; converged: boolean } {
  const n = start.x.length;
  const simplex: Vertex[] = [start];
  for (let i = 0; i < n; i++) {
    const x = [...start.x];
    x[i] += step;
    simplex.push(evaluate(x));
  }

  for (let iteration = 0; iteration < limits.maxIterations; iteration++) {
    simplex.sort((p, q) => p.value - q.value);
    const bestVertex = simplex[0];
    const worst = simplex[n];
    const secondWorst = simplex[n - 1];
    if (hasConverged(simplex, limits)) return { best: bestVertex, iterations: iteration, converged: true };

    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;
    const along = (from: readonly number[], towards: readonly number[], coefficient: number): number[] =>
      from.map((value, j) => value + coefficient * (towards[j] - value));

    const reflected = evaluate(along(centroid, worst.x, -REFLECTION));
    if (reflected.value < bestVertex.value) {
      const expanded = evaluate(along(centroid, worst.x, -EXPANSION));
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
      continue;
    }
    if (reflected.value < secondWorst.value) {
      simplex[n] = reflected;
      continue;
    }
    const outside = reflected.value < worst.value;
    const contracted = outside ? evaluate(along(centroid, reflected.x, CONTRACTION)) : evaluate(along(centroid, worst.x, CONTRACTION));
    if (outside ? contracted.value <= reflected.value : contracted.value < worst.value) {
      simplex[n] = contracted;
      continue;
    }
    for (let i = 1; i <= n; i++) simplex[i] = evaluate(along(bestVertex.x, simplex[i].x, SHRINK));
  }
  simplex.sort((p, q) => p.value - q.value);
  return { best: simplex[0], iterations: limits.maxIterations, converged: hasConverged(simplex, limits) };
}

function hasConverged(sortedSimplex: readonly Vertex[], limits: DescentLimits): boolean {
  const best = sortedSimplex[0];
  const worst = sortedSimplex[sortedSimplex.length - 1];
  if (!(worst.value - best.value <= limits.fTolerance * (1 + abs(best.value)))) return false;
  return sortedSimplex.every((vertex) => vertex.x.every((value, j) => abs(value - best.x[j]) <= limits.xTolerance));
}
