/**
 * A small semver range check for plugin compatibility: exact `1.2.3`, `^1.2.3`, `~1.2.3`,
 * `>=1.2.3` (also `>`, `<`, `<=`), `*`, space-separated conjunctions and `||` alternatives.
 * Pre-release tags are not supported on purpose: plugins target released engine versions.
 */

export type Version = readonly [major: number, minor: number, patch: number];

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** Parses `x.y.z` (a leading `v` is tolerated); null when it is not a plain release version. */
export function parseVersion(s: string): Version | null {
  const m = VERSION.exec(s.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Negative, zero or positive as `a` is lower than, equal to or higher than `b`. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

type Comparator = (v: Version) => boolean;

const COMPARATOR = /^(\^|~|>=|<=|>|<|=)?\s*v?(\d+)\.(\d+)\.(\d+)$/;

function comparator(token: string): Comparator | null {
  if (token === '*' || token === 'x' || token === '') return () => true;
  const m = COMPARATOR.exec(token);
  if (!m) return null;
  const op = m[1] ?? '=';
  const base: Version = [Number(m[2]), Number(m[3]), Number(m[4])];
  const [maj, min] = base;
  switch (op) {
    case '=':
      return (v) => compareVersions(v, base) === 0;
    case '>':
      return (v) => compareVersions(v, base) > 0;
    case '>=':
      return (v) => compareVersions(v, base) >= 0;
    case '<':
      return (v) => compareVersions(v, base) < 0;
    case '<=':
      return (v) => compareVersions(v, base) <= 0;
    case '~':
      // ~1.2.3 := >=1.2.3 <1.3.0
      return (v) => compareVersions(v, base) >= 0 && v[0] === maj && v[1] === min;
    default: {
      // ^ keeps the left-most non-zero part fixed: ^1.2.3 <2.0.0, ^0.2.3 <0.3.0, ^0.0.3 <0.0.4.
      const upper: Version = maj > 0 ? [maj + 1, 0, 0] : min > 0 ? [0, min + 1, 0] : [0, 0, base[2] + 1];
      return (v) => compareVersions(v, base) >= 0 && compareVersions(v, upper) < 0;
    }
  }
}

/**
 * Parses a range into a predicate; null when the range is not understood (the caller reports it,
 * rather than silently accepting every version).
 */
export function parseRange(range: string): ((version: string) => boolean) | null {
  const alternatives: Comparator[][] = [];
  for (const part of range.split('||')) {
    // Operators may be written apart from their version (`>= 1.2.0`): glue them back first.
    const tokens = part
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/);
    const set: Comparator[] = [];
    for (const token of tokens) {
      const c = comparator(token);
      if (!c) return null;
      set.push(c);
    }
    alternatives.push(set);
  }
  return (version) => {
    const v = parseVersion(version);
    if (!v) return false;
    return alternatives.some((set) => set.every((c) => c(v)));
  };
}

/** True when `version` satisfies `range`; false also when either does not parse. */
export function satisfies(version: string, range: string): boolean {
  return parseRange(range)?.(version) ?? false;
}
