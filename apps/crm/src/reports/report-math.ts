/**
 * Report arithmetic that plain SQL does not say well: money stays exact (integer
 * cents in BigInt, decimal strings outside), rates and calendar bounds are UTC.
 */

const MONEY = /^(\d+)(?:\.(\d{1,2}))?$/;
const PROBABILITY = /^(0|1)(?:\.(\d{1,3}))?$/;

function toCents(amount: string): bigint {
  const match = MONEY.exec(amount);
  if (!match) throw new Error(`not a non-negative amount with at most 2 decimals: ${amount}`);
  return BigInt(match[1] as string) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

function fromCents(cents: bigint): string {
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** Amount × probability (0–1, at most 3 decimals), rounded half up to the cent. */
export function weightedAmount(amount: string, probability: number): string {
  const match = PROBABILITY.exec(probability.toString());
  if (!match || probability > 1) throw new Error(`not a probability between 0 and 1 with at most 3 decimals: ${probability}`);
  const thousandths = BigInt(match[1] as string) * 1000n + BigInt((match[2] ?? '').padEnd(3, '0'));
  return fromCents((toCents(amount) * thousandths + 500n) / 1000n);
}

export function addAmounts(...amounts: readonly string[]): string {
  return fromCents(amounts.reduce((total, amount) => total + toCents(amount), 0n));
}

export interface CurrencyTotal {
  readonly currency: string;
  readonly amount: string;
  readonly weightedAmount: string;
}

/** Per currency (never summed across currencies), sorted by currency code. */
export function totalsByCurrency(rows: readonly { currency: string; amount: string; probability: number }[]): CurrencyTotal[] {
  const totals = new Map<string, { amount: string; weightedAmount: string }>();
  for (const row of rows) {
    const before = totals.get(row.currency) ?? { amount: '0.00', weightedAmount: '0.00' };
    totals.set(row.currency, { amount: addAmounts(before.amount, row.amount), weightedAmount: addAmounts(before.weightedAmount, weightedAmount(row.amount, row.probability)) });
  }
  return [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => ({ currency, ...total }));
}

export interface WinRate {
  readonly won: number;
  readonly lost: number;
  /** won / (won + lost), 4 decimals; null when nothing closed. */
  readonly winRate: number | null;
}

export function winRate(won: number, lost: number): WinRate {
  return { won, lost, winRate: won + lost === 0 ? null : Math.round((won / (won + lost)) * 10_000) / 10_000 };
}

/** Per owner (null: deals without one) and overall, owners by name with the unowned last. */
export function winRatesByOwner(rows: readonly { owner: string | null; won: number; lost: number }[]): { overall: WinRate; owners: (WinRate & { owner: string | null })[] } {
  const owners = [...rows]
    .sort((a, b) => (a.owner === null ? 1 : b.owner === null ? -1 : a.owner.localeCompare(b.owner)))
    .map((row) => ({ owner: row.owner, ...winRate(row.won, row.lost) }));
  const won = rows.reduce((total, row) => total + row.won, 0);
  const lost = rows.reduce((total, row) => total + row.lost, 0);
  return { overall: winRate(won, lost), owners };
}

const DAY_MS = 86_400_000;

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A YYYY-MM month as [first day, first day of the next month), in UTC. */
export function monthBounds(month: string): { from: string; before: string } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new Error(`not a month such as 2026-03: ${month}`);
  const year = Number(match[1]);
  const index = Number(match[2]) - 1;
  return { from: isoDate(new Date(Date.UTC(year, index, 1))), before: isoDate(new Date(Date.UTC(year, index + 1, 1))) };
}

export function monthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

export const DEFAULT_PERIOD_DAYS = 30;

/**
 * Inclusive dates (YYYY-MM-DD) to [start, end) instants in UTC. Without `to`, today;
 * without `from`, the 30 days ending on `to`. Null when `from` is after `to`.
 */
export function reportPeriod(from: string | undefined, to: string | undefined, now: Date): { from: string; to: string; start: Date; end: Date } | null {
  const last = to ?? isoDate(now);
  const first = from ?? isoDate(new Date(Date.parse(`${last}T00:00:00Z`) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS));
  if (first > last) return null;
  return { from: first, to: last, start: new Date(`${first}T00:00:00Z`), end: new Date(Date.parse(`${last}T00:00:00Z`) + DAY_MS) };
}
