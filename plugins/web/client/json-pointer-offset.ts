const FOUND = Symbol('found');

const unescapeToken = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Where a JSON pointer points in a JSON text: the offset of the member's key (or of an array
 * item's value), else of the nearest enclosing part that exists. Lets a problem listed by its
 * pointer move the cursor to its line. `pointerOffset('{"a":[1,2]}', '/a/1')` → 8.
 */
export function pointerOffset(src: string, pointer: string): number {
  const want = pointer === '' || pointer === '/' ? [] : pointer.split('/').slice(1).map(unescapeToken);
  let i = 0;
  let best = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i] ?? '')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(src.slice(start, i)) as string;
  };
  const value = (depth: number, onPath: boolean): void => {
    ws();
    if (onPath) {
      best = i;
      if (depth === want.length) throw FOUND;
    }
    const c = src[i];
    if (c === '{') {
      i++;
      ws();
      if (src[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const keyAt = i;
        const k = str();
        ws();
        i++; // ':'
        const match = onPath && k === want[depth];
        if (match) {
          best = keyAt;
          if (depth + 1 === want.length) throw FOUND;
        }
        value(depth + 1, match);
        ws();
        if (src[i++] !== ',') return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (src[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(depth + 1, onPath && String(n) === want[depth]);
        ws();
        if (src[i++] !== ',') return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    while (i < src.length && !/[,\]}\s]/.test(src[i] ?? '')) i++;
  };
  try {
    value(0, true);
  } catch (e) {
    if (e !== FOUND && !(e instanceof SyntaxError)) throw e;
  }
  return best;
}
