/**
 * Decimal arithmetic for money without binary drift: amounts with at most two decimals are summed
 * in integer fen, and rounding works on the decimal digits (1.005 → 1.01, not 1.00).
 */

/** Moves the decimal point by `places` through the number's shortest decimal text, exactly. */
function shift(x: number, places: number): number {
  const [mantissa, exp] = String(x).split('e');
  return Number(`${mantissa}e${Number(exp ?? 0) + places}`);
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Rounds half away from zero to `decimals` places (may be negative: tens, hundreds …). */
export function roundDecimal(x: number, decimals = 0): number {
  if (!Number.isFinite(x)) return x;
  const d = Math.trunc(decimals);
  const p = POW10[d];
  if (p !== undefined) {
    // Fast path: unless the scaled value lies within float noise of a half, the direction is
    // unambiguous, and dividing the rounded integer by 10^d gives the same double as parsing it.
    const a = Math.abs(x);
    const scaled = a * p;
    if (scaled < 2 ** 52) {
      const floor = Math.floor(scaled);
      const frac = scaled - floor;
      if (Math.abs(frac - 0.5) > 1e-9 * Math.max(1, scaled)) {
        const r = (frac < 0.5 ? floor : floor + 1) / p;
        return x < 0 && r !== 0 ? -r : r;
      }
    }
  }
  const r = shift(Math.round(shift(Math.abs(x), d)), -d);
  return x < 0 && r !== 0 ? -r : r;
}

/** The amount in whole fen when `x` has at most two decimals, otherwise null. */
export function toFen(x: number): number | null {
  const scaled = x * 100;
  const fen = Math.round(scaled);
  if (!Number.isSafeInteger(fen)) return null;
  return Math.abs(fen - scaled) <= 1e-7 * Math.max(1, Math.abs(scaled)) ? fen : null;
}

/** Sums numbers; exact to the fen when every term has at most two decimals (0.1 + 0.2 = 0.3). */
export function sumMoneySafe(values: readonly number[]): number {
  let fen = 0;
  let exact = true;
  let float = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    float += v;
    if (exact) {
      const f = toFen(v);
      if (f === null) exact = false;
      else fen += f;
    }
  }
  return exact && Number.isSafeInteger(fen) ? fen / 100 : float;
}

/** A number from a number or a numeric string (`'1,234.50'` allowed); null for anything else. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim().replace(/,/g, '');
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
