// Self time per function of a V8 .cpuprofile (from `node --cpu-prof`): `node bench/profile-top.mjs FILE [N]`.
import { readFileSync } from 'node:fs';

const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const self = new Map();
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = p.timeDeltas;
const samples = p.samples;
for (let i = 0; i < samples.length; i++) {
  const n = byId.get(samples[i]);
  const f = n.callFrame;
  const k = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 15)))
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%`, k);
// Then the same self time grouped per source file: which module a path spends its time in.
const byFile = new Map();
for (let i = 0; i < samples.length; i++) {
  const f = byId.get(samples[i]).callFrame;
  const k = f.url ? f.url.split('/').slice(-3).join('/') : `(${f.functionName || 'vm'})`;
  byFile.set(k, (byFile.get(k) ?? 0) + (dt[i] ?? 0));
}
console.log('-- per file');
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 15)))
  console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%`, k);
