const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A horizontal bar chart as SVG, one bar per label; built with DOM calls (no markup strings) and
 * styled by attributes, so the page's CSP needs nothing extra.
 */
export function barChart(bars: readonly { label: string; value: number }[], title: string): SVGSVGElement {
  const rowH = 28;
  const labelW = 150;
  const width = 640;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${Math.max(1, bars.length) * rowH + 10}`,
    role: 'img',
    'aria-label': title,
    class: 'chart',
  });
  root.append(svg('title', {}, title));
  bars.forEach((b, i) => {
    const y = i * rowH + 5;
    const w = Math.max(0, ((width - labelW - 70) * b.value) / max);
    root.append(
      svg(
        'text',
        { x: labelW - 6, y: y + 17, 'text-anchor': 'end', 'font-size': 13, fill: '#1f2328' },
        b.label,
      ),
      svg('rect', { x: labelW, y: y + 4, width: w, height: rowH - 10, fill: '#c2410c', rx: 3 }),
      svg('text', { x: labelW + w + 6, y: y + 17, 'font-size': 13, fill: '#57606a' }, String(b.value)),
    );
  });
  return root;
}
