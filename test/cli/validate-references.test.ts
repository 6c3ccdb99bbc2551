import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Definition, shipped, writeDefinition } from '../factories/definitions.ts';
import { runMain } from './run-main.ts';

interface Report {
  ok: boolean;
  files: { file: string; problems: { code: string; pointer: string; message: { en: string } }[] }[];
}

/** Runs `nuanxin validate --json` on the files (from the repository, with its config) and returns its problems. */
async function validate(...files: string[]) {
  const r = await runMain(['validate', '--json', ...files]);
  const out = JSON.parse(r.stdout) as Report;
  return { code: r.code, problems: out.files.flatMap((f) => f.problems) };
}

const one = async (folder: string, def: Definition, name = String(def.id ?? 'x')) =>
  validate(writeDefinition(folder, name, def));

const codeAt = (problems: { code: string; pointer: string }[]) => problems.map((p) => [p.code, p.pointer]);

describe('nuanxin validate: references between definitions', () => {
  it('the shipped definitions refer to each other correctly', async () => {
    const r = await runMain(['validate']);
    expect(r.stdout).toMatch(/✓ \d+ 个定义文件均无问题/);
    expect(r.code).toBe(0);
  });

  it('a report filtering on a workflow state the workflow lacks (the approved list on `disbursed`)', async () => {
    const report = shipped('approved-list');
    report.source.workflow.states = ['disbursed'];
    const r = await one('reports', report);
    expect(r.code).toBe(1);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_NAME', '/source/workflow/states/0']]);
    expect(r.problems[0]?.message.en).toBe(
      'workflow "assistance-application" has no "disbursed" among its states',
    );
  });

  it('a report on a form that does not exist', async () => {
    const report = shipped('low-income-roster');
    report.source.form = 'household-servey';
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toContainEqual(['NX_ERR_DEF_UNKNOWN_REFERENCE', '/source/form']);
  });

  it('a report joining the decisions of a ruleset that does not exist', async () => {
    const report = shipped('low-income-roster');
    report.source.decisions.ruleset = 'household-eligibilty';
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_REFERENCE', '/source/decisions/ruleset']]);
  });

  it('a report filtering on a workflow that does not exist', async () => {
    const report = shipped('approved-list');
    report.source.workflow.id = 'assistance';
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_REFERENCE', '/source/workflow/id']]);
  });

  it('a list column reading a field its form lacks', async () => {
    const report = shipped('low-income-roster');
    const i = report.columns.findIndex((c: Definition) => c.value?.var === 'data.headName');
    report.columns[i].value = { var: 'data.headNmae' };
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_NAME', `/columns/${i}/value`]]);
  });

  it('a list column reading a decision output the ruleset lacks', async () => {
    const report = shipped('approved-list');
    const i = report.columns.findIndex((c: Definition) => c.id === 'monthlyAmount');
    report.columns[i].value = { var: 'decision.monthlyAmount' };
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_NAME', `/columns/${i}/value`]]);
  });

  it('an output of a further ruleset (alsoRulesets) is known; without that ruleset it is not', async () => {
    const report = shipped('approved-list');
    const i = report.columns.findIndex((c: Definition) => c.id === 'monthlyAmount');
    report.columns[i].value = { var: 'decision.supportAmount' };
    expect((await one('reports', report)).problems).toEqual([]);
    report.source.decisions.alsoRulesets = undefined;
    expect(codeAt((await one('reports', report)).problems)).toEqual([
      ['NX_ERR_DEF_UNKNOWN_NAME', `/columns/${i}/value`],
    ]);
  });

  it('a column showing the option labels of a field its form lacks', async () => {
    const report = shipped('low-income-roster');
    const i = report.columns.findIndex((c: Definition) => c.options === 'headSex');
    report.columns[i].options = 'sex';
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_NAME', `/columns/${i}/options`]]);
  });

  it('an aggregate report over a table field its form lacks', async () => {
    const report = shipped('visit-statistics-report');
    report.source.rows = 'lines';
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_NAME', '/source/rows']]);
  });

  it('a measure summing a table column the table lacks', async () => {
    const report = shipped('visit-statistics-report');
    report.measures[1].field = 'row.visitz';
    const r = await one('reports', report);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_NAME', '/measures/1/field']]);
  });

  it('a workflow on a form that does not exist', async () => {
    const wf = shipped('assistance-application');
    wf.form = 'household';
    const r = await one('workflows', wf);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_REFERENCE', '/form']]);
  });

  it('a workflow guard reading a field its form lacks', async () => {
    const wf = shipped('assistance-application');
    const i = wf.transitions.findIndex((t: Definition) => t.guard);
    wf.transitions[i].guard = { '!!': [{ var: 'surveyor' }] };
    const r = await one('workflows', wf);
    expect(r.code).toBe(1);
    expect(r.problems.map((p) => p.pointer)).toEqual([`/transitions/${i}/guard/!!/0/var`]);
  });

  it('a workflow effect naming a ruleset that does not exist', async () => {
    const wf = shipped('survey-approval-fixture');
    const i = wf.transitions.findIndex((t: Definition) => t.effects);
    wf.transitions[i].effects[0].with.ruleset = 'eligibility';
    const r = await one('workflows', wf);
    expect(codeAt(r.problems)).toEqual([
      ['NX_ERR_DEF_UNKNOWN_REFERENCE', `/transitions/${i}/effects/0/with/ruleset`],
    ]);
  });

  it('a workflow evaluating a ruleset on a form without the fields the ruleset reads', async () => {
    const wf = shipped('survey-approval-fixture');
    wf.id = 'statistics-eligibility';
    wf.form = 'visit-statistics';
    for (const t of wf.transitions) delete t.guard;
    const i = wf.transitions.findIndex((t: Definition) => t.effects);
    const r = await one('workflows', wf);
    const pointer = `/transitions/${i}/effects/0/with/ruleset`;
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.code === 'NX_ERR_DEF_UNKNOWN_NAME' && p.pointer === pointer)).toBe(true);
    expect(r.problems.map((p) => p.message.en)).toContain(
      'form "visit-statistics" has no "householdSize" among its fields',
    );
  });

  it('a workflow naming an effect no configured plugin provides', async () => {
    const wf = shipped('assistance-application');
    const i = wf.transitions.findIndex((t: Definition) => t.effects);
    wf.transitions[i].effects[0].name = 'rules.evalute';
    const r = await one('workflows', wf);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_WF_UNKNOWN_EFFECT', `/transitions/${i}/effects/0/name`]]);
  });

  it('ruleset cases expecting an output the ruleset lacks', async () => {
    const cases = shipped('household-eligibility.cases');
    cases.cases[0].expect.monthlyAmount = 0;
    const r = await one('rulesets', cases, 'x.cases');
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_NAME', '/cases/0/expect/monthlyAmount']]);
  });

  it('ruleset cases naming a ruleset that does not exist', async () => {
    const cases = shipped('household-eligibility.cases');
    cases.ruleset = 'eligibility';
    const r = await one('rulesets', cases, 'x.cases');
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_REFERENCE', '/ruleset']]);
  });

  it('an overlay adapting a form that does not exist, or hiding a field its form lacks', async () => {
    const overlay = (form: string, field: string) => ({
      form,
      operations: [{ op: 'hideField', field }],
    });
    const missingForm = await one('overlays', overlay('household', 'phone'), 'a');
    expect(codeAt(missingForm.problems)).toEqual([['NX_ERR_DEF_UNKNOWN_REFERENCE', '/form']]);
    const missingField = await one('overlays', overlay('household-survey', 'mobile'), 'b');
    expect(missingField.problems.map((p) => [p.code, p.pointer.startsWith('/operations/0')])).toEqual([
      ['NX_ERR_OVERLAY_FIELD_UNKNOWN', true],
    ]);
  });

  it('two reports with one id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-def-'));
    const a = writeDefinition('reports', 'a', shipped('approved-list'), dir);
    const b = writeDefinition('reports', 'b', shipped('approved-list'), dir);
    const r = await validate(a, b);
    expect(codeAt(r.problems)).toEqual([['NX_ERR_DEF_DUPLICATE_ID', '/id']]);
  });
});
