import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../engine/definition/form-schema.ts';
import { compileForm } from '../../../engine/runtime/compile-form.ts';
import { browserEngine } from '../../../plugins/web/server/bundle.ts';
import { makeIdcard, withWrongCheck } from '../logic/idcard-factory.ts';
import { allTypesForm, field, form as testForm } from '../runtime/form-factory.ts';

/**
 * The runtime bundled for a browser must decide exactly as it does in Node. The bundle is built
 * in memory, served with a strict CSP (`script-src 'self'`: eval and new Function are blocked)
 * and run in headless Chromium over every seed form and every fixture submission.
 */

const ROOT = join(import.meta.dirname, '../../..');
const CHROMIUM = '/usr/bin/chromium';
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'";

interface Case {
  form: number;
  name: string;
  data: unknown;
  context?: Record<string, unknown>;
}

/** Every form in forms/ with its fixtures, plus an inline form with every field type. */
function loadCases(): { forms: FormDefinition[]; cases: Case[] } {
  const forms: FormDefinition[] = [];
  const cases: Case[] = [];
  const formsDir = join(ROOT, 'forms');
  const files = existsSync(formsDir)
    ? readdirSync(formsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  for (const file of files) {
    const def = JSON.parse(readFileSync(join(formsDir, file), 'utf8')) as FormDefinition;
    const form = forms.push(def) - 1;
    const dir = join(ROOT, 'test/fixtures/submissions', def.id);
    if (!existsSync(dir)) continue;
    for (const s of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const sub = JSON.parse(readFileSync(join(dir, s), 'utf8')) as {
        data: unknown;
        context?: Record<string, unknown>;
      };
      cases.push({ form, name: `${def.id}/${s}`, data: sub.data, context: sub.context });
    }
  }
  const inline = forms.push(allTypesForm()) - 1;
  const head = makeIdcard('510104', '19700315', '011');
  const good = {
    headName: '王建国',
    headIdNumber: head,
    phone: '028-86612345',
    householdSize: 3,
    orgUnit: '510104',
    causes: ['illness', 'other'],
    causeOther: '子女上学',
    headIncome: '1,000.005',
    healthScore: '88.25',
    inLowIncomeRegistry: true,
    registryNumber: 'JD-2021-001',
    members: [
      {
        name: '李秀英',
        relation: 'spouse',
        idNumber: makeIdcard('510104', '19720808', '022'),
        annualIncome: 0.1,
      },
      { name: '王小明', relation: 'child', ageGiven: '9', school: '锦江小学', annualIncome: 0.2 },
    ],
  };
  const ctx = { today: '2026-06-01' };
  cases.push({ form: inline, name: 'inline/valid', data: good, context: ctx });
  cases.push({
    form: inline,
    name: 'inline/draft',
    data: { headName: '王' },
    context: { ...ctx, mode: 'draft' },
  });
  cases.push({
    form: inline,
    name: 'inline/invalid',
    data: {
      ...good,
      headIdNumber: withWrongCheck(head),
      phone: '12345',
      visitDate: '2021-02-30',
      causes: ['illness', 'illness'],
      householdSize: 'x',
      orgUnit: '510000',
      members: [{ name: '', relation: 'cousin', idNumber: '123' }, 7],
    },
    context: ctx,
  });
  cases.push({ form: inline, name: 'inline/not-object', data: [1, 2], context: ctx });
  // A backtracking engine would stall the page for years on these values (the wait below gives 20 s).
  const hostile = forms.push(testForm([field('name', 'text', { pattern: '^(a+)+$' })])) - 1;
  cases.push({
    form: hostile,
    name: 'hostile-pattern/no-match',
    data: { name: `${'a'.repeat(48)}b` },
    context: ctx,
  });
  cases.push({ form: hostile, name: 'hostile-pattern/match', data: { name: 'a'.repeat(49) }, context: ctx });
  cases.push({ form: hostile, name: 'hostile-pattern/script', data: { name: '张三' }, context: ctx });
  return { forms, cases };
}

/** The page's own script (external, as the CSP demands): validates every case and reports. */
const APP = `
(async () => {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
  let evalBlocked = false;
  try { (0, eval)('1'); } catch (e) { evalBlocked = true; }
  try {
    const { forms, cases } = await (await fetch('/cases.json')).json();
    // The page's pattern engine comes in its own chunk; a form with patterns waits for it.
    let patternsRefused = false;
    try { Nuanxin.compileForm(forms.find((f) => Nuanxin.hasFieldPatterns(f))); } catch (e) { patternsRefused = e.code === 'NX_ERR_RUNTIME_PATTERN_ENGINE'; }
    await Nuanxin.loadPatternEngine();
    const compiled = forms.map((f) => Nuanxin.compileForm(f));
    const results = cases.map((c) => compiled[c.form].validate(c.data, c.context));
    const ops = Nuanxin.createOperationRegistry().names().length;
    const types = Nuanxin.createFieldTypeRegistry().names().length;
    const id = Nuanxin.parseIdcard('11010519491231002X', '2026-01-01');
    const logic = Nuanxin.compileLogic({ sum: [{ var: 'm' }, 'x'] })({ data: { m: [{ x: 0.1 }, { x: 0.2 }] } });
    window.__report = JSON.stringify({ results, ops, types, id, logic, evalBlocked, violations, patternsRefused });
  } catch (e) {
    window.__report = JSON.stringify({ error: String(e && e.stack || e), evalBlocked, violations });
  }
})();
`;

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>Nuanxin bundle</title><script src="/bundle.js"></script><script src="/app.js"></script>';

const haveChromium = existsSync(CHROMIUM);

describe('browser bundle of the runtime', () => {
  let bundle = '';
  let inputs: Record<string, { imports: { path: string; external?: boolean }[] }> = {};
  let server: Server | undefined;
  let browser: Browser | undefined;
  const { forms, cases } = loadCases();

  beforeAll(async () => {
    const out = await build({
      entryPoints: [join(ROOT, 'engine/runtime/browser.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'Nuanxin',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
      // As the web bundle builds it: the pattern engine is the page's, loaded on demand.
      plugins: [browserEngine],
    });
    bundle = out.outputFiles[0]?.text ?? '';
    inputs = out.metafile.inputs;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('bundles without any Node built-in', () => {
    expect(bundle.length).toBeGreaterThan(1000);
    const builtins = new Set(builtinModules);
    const paths = Object.keys(inputs);
    expect(paths.some((p) => p.includes('engine/runtime/compile-form.ts'))).toBe(true);
    for (const [file, info] of Object.entries(inputs)) {
      expect(file.startsWith('node:'), file).toBe(false);
      for (const imp of info.imports) {
        expect(imp.path.startsWith('node:') || builtins.has(imp.path), `${file} imports ${imp.path}`).toBe(
          false,
        );
        expect(imp.external ?? false, `${file} imports ${imp.path} as external`).toBe(false);
      }
    }
    const packages = new Set(
      paths.filter((p) => p.includes('node_modules/')).map((p) => p.split('node_modules/')[1]?.split('/')[0]),
    );
    expect([...packages].sort()).toEqual(['@sinclair', 're2js']);
  });

  it.skipIf(!haveChromium && !process.env.CI)(
    'decides every fixture exactly as Node does, under a strict CSP',
    async () => {
      expect(existsSync(CHROMIUM), `Chromium is required at ${CHROMIUM}`).toBe(true);
      expect(cases.length).toBeGreaterThan(3);
      const body = JSON.stringify({ forms, cases });
      server = createServer((req, res) => {
        const send = (type: string, text: string) => {
          res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': CSP });
          res.end(text);
        };
        if (req.url === '/') send('text/html', PAGE);
        else if (req.url === '/bundle.js') send('text/javascript', bundle);
        else if (req.url === '/app.js') send('text/javascript', APP);
        else if (req.url === '/cases.json') send('application/json', body);
        else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;

      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(
        () => typeof (window as unknown as { __report?: string }).__report === 'string',
        undefined,
        {
          timeout: 20_000,
        },
      );
      const report = JSON.parse(
        await page.evaluate(() => (window as unknown as { __report: string }).__report),
      ) as {
        error?: string;
        results: unknown[];
        ops: number;
        types: number;
        id: unknown;
        logic: unknown;
        evalBlocked: boolean;
        violations: string[];
        patternsRefused: boolean;
      };
      expect(pageErrors).toEqual([]);
      expect(report.error).toBeUndefined();
      // The CSP is really in force (eval is refused), and nothing in the bundle tripped it.
      expect(report.evalBlocked).toBe(true);
      // Before the pattern engine is loaded a form with patterns is refused, not checked without them.
      expect(report.patternsRefused).toBe(true);
      // The only violation allowed is the probe's own eval above.
      expect(report.violations.length, report.violations.join(', ')).toBeLessThanOrEqual(1);

      const compiled = forms.map((f) => compileForm(f));
      const inNode = cases.map((c) => compiled[c.form]?.validate(c.data, c.context as never));
      expect(report.results).toHaveLength(cases.length);
      cases.forEach((c, i) => {
        expect(report.results[i], c.name).toEqual(JSON.parse(JSON.stringify(inNode[i])));
      });
      // Both valid and invalid submissions were compared, not just one kind.
      const oks = report.results.map((r) => (r as { ok: boolean }).ok);
      expect(oks).toContain(true);
      expect(oks).toContain(false);
      expect(report.ops).toBeGreaterThan(40);
      expect(report.types).toBe(16);
      expect(report.id).toMatchObject({ ok: true, birthDate: '1949-12-31', sex: 'female' });
      expect(report.logic).toBe(0.3);
    },
  );
});
