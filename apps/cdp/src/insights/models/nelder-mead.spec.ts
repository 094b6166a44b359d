import { describe, expect, it } from '@jest/globals';
import { minimizeNelderMead } from './nelder-mead.js';

const rosenbrock = (x: readonly number[]): number => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;

describe('Nelder–Mead minimisation', () => {
  it('finds the minimum of the Rosenbrock valley from the textbook start', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
  });

  it('finds the minimum of a badly scaled four-dimensional quadratic', () => {
    const centre = [3, -2, 0.5, 10];
    const scales = [1, 100, 0.01, 5];
    const result = minimizeNelderMead((x) => x.reduce((sum, value, i) => sum + scales[i] * (value - centre[i]) ** 2, 0), [0, 0, 0, 0]);
    expect(result.converged).toBe(true);
    result.x.forEach((value, i) => expect(value).toBeCloseTo(centre[i], 3));
  });

  it('takes exactly the same steps when run twice', () => {
    expect(minimizeNelderMead(rosenbrock, [-1.2, 1])).toEqual(minimizeNelderMead(rosenbrock, [-1.2, 1]));
  });

  it('treats NaN and infinite values as +∞, so the objective may refuse points outside its domain', () => {
    const result = minimizeNelderMead((x) => (x[0] < 0.5 ? Number.NaN : (x[0] - 2) ** 2), [1]);
    expect(result.x[0]).toBeCloseTo(2, 6);
  });

  it('reports converged: false when it runs out of iterations', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 10 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(10);
  });

  it('throws for a start with no finite objective value or no coordinates', () => {
    expect(() => minimizeNelderMead(() => Number.NaN, [1])).toThrow(/no finite objective/);
    expect(() => minimizeNelderMead(rosenbrock, [])).toThrow(RangeError);
    expect(() => minimizeNelderMead(rosenbrock, [Number.NaN, 1])).toThrow(RangeError);
  });
});
