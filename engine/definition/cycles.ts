/**
 * Cycle detection over a dependency graph (node → the nodes it reads). Used for calculated
 * fields here and reusable for anything else that must be evaluated in dependency order.
 */

/**
 * Every cycle, one per strongly connected component, each as a closed path `[a, b, a]`
 * starting at the component's first node in the graph's key order. Self-loops are `[a, a]`.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = [...graph.keys()];
  const rank = new Map(order.map((n, i) => [n, i]));
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph)) {
    const nodes = new Set(component);
    const start = component.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0))[0];
    if (start === undefined) continue;
    const selfLoop = (graph.get(start) ?? []).includes(start);
    if (component.length === 1 && !selfLoop) continue;
    cycles.push(selfLoop ? [start, start] : shortestLoop(graph, start, nodes));
  }
  return cycles.sort((a, b) => (rank.get(a[0] ?? '') ?? 0) - (rank.get(b[0] ?? '') ?? 0));
}

/** Tarjan's algorithm, iterative so a long chain of fields cannot overflow the stack. */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (!frame) break;
      const succ = graph.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++] ?? '';
        if (!graph.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(w) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string | undefined;
        do {
          w = stack.pop();
          if (w === undefined) break;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        out.push(component);
      }
    }
  }
  return out;
}

/** Breadth-first search for the shortest path start → … → start inside one component. */
function shortestLoop(
  graph: ReadonlyMap<string, readonly string[]>,
  start: string,
  within: Set<string>,
): string[] {
  const prev = new Map<string, string>();
  const queue: string[] = [start];
  while (queue.length > 0) {
    const n = queue.shift() ?? start;
    for (const w of graph.get(n) ?? []) {
      if (!within.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let c: string | undefined = n; c !== undefined && c !== start; c = prev.get(c)) path.push(c);
        path.push(start);
        // Walked backwards from the end: put it in reading order a → b → a.
        return [start, ...path.slice(1, -1).reverse(), start];
      }
      if (!prev.has(w) && w !== start) {
        prev.set(w, n);
        queue.push(w);
      }
    }
  }
  return [start, start];
}
