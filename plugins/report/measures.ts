import type { Measure } from './report-schema.ts';
import type { Cell } from './table.ts';

/**
 * Folding one measure over the items of a group. Blank values are skipped (a count counts
 * items, not values); money stays exact to the fen by summing in whole fen.
 */
export interface Accumulator {
  add(value: unknown): void;
  result(): Cell;
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

export function accumulator(m: Measure): Accumulator {
  const money = m.format === 'money';
  switch (m.op) {
    case 'count': {
      let n = 0;
      return { add: () => void n++, result: () => n };
    }
    case 'distinct': {
      const seen = new Set<string>();
      return {
        add: (v) => {
          if (v === null || v === undefined || v === '') return;
          for (const x of Array.isArray(v) ? v : [v]) seen.add(typeof x === 'string' ? x : JSON.stringify(x));
        },
        result: () => seen.size,
      };
    }
    case 'sum': {
      // Money in whole fen so that 0.1 + 0.2 adds up to 0.3 on paper too.
      let total = 0;
      return {
        add: (v) => {
          const x = num(v);
          if (x !== undefined) total += money ? Math.round(x * 100) : x;
        },
        result: () => (money ? total / 100 : total),
      };
    }
    case 'avg': {
      let total = 0;
      let n = 0;
      return {
        add: (v) => {
          const x = num(v);
          if (x === undefined) return;
          total += x;
          n++;
        },
        result: () => (n === 0 ? null : Math.round((total / n) * 100) / 100),
      };
    }
    case 'min':
    case 'max': {
      let best: number | null = null;
      const better = m.op === 'min' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
      return {
        add: (v) => {
          const x = num(v);
          if (x !== undefined && (best === null || better(x, best))) best = x;
        },
        result: () => best,
      };
    }
  }
}

/** Whether a measure's figures add up across rows (sum, count) — the total row sums only these. */
export const additive = (m: Measure): boolean => m.op === 'sum' || m.op === 'count';
