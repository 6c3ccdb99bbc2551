/**
 * Orders nodes so that each comes after the nodes it depends on, keeping document order where
 * the dependencies allow it. A cycle (which the loader rejects) is broken at its earliest node,
 * so compiling never fails on one.
 */
export function topoOrder(count: number, deps: readonly (readonly number[])[]): number[] {
  const remaining = new Array<number>(count).fill(0);
  const dependents: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < count; i++) {
    const own = new Set((deps[i] ?? []).filter((d) => d !== i && d >= 0 && d < count));
    remaining[i] = own.size;
    for (const d of own) dependents[d]?.push(i);
  }
  const done = new Array<boolean>(count).fill(false);
  const order: number[] = [];
  while (order.length < count) {
    let next = -1;
    for (let i = 0; i < count; i++) {
      if (!done[i] && remaining[i] === 0) {
        next = i;
        break;
      }
    }
    if (next === -1) next = done.indexOf(false);
    done[next] = true;
    order.push(next);
    for (const d of dependents[next] ?? []) remaining[d] = (remaining[d] ?? 0) - 1;
  }
  return order;
}
