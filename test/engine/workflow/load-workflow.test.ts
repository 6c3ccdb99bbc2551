import { describe, expect, it } from 'vitest';
import { codes } from '../../../engine/errors/codes.ts';
import { createOperationRegistry } from '../../../engine/logic/registry.ts';
import { createEffectRegistry } from '../../../engine/workflow/effects.ts';
import { type LoadWorkflowOptions, loadWorkflow } from '../../../engine/workflow/load-workflow.ts';
import type { WorkflowDefinition } from '../../../engine/workflow/workflow-schema.ts';
import { fakeRulesEffect, minimalWorkflow, readJson, shippedForms } from './fixtures.ts';

/** Loads a changed copy of the minimal workflow and returns `code pointer` lines of its problems. */
function problemsOf(change: (wf: WorkflowDefinition) => void, opts: LoadWorkflowOptions = {}): string[] {
  const wf = structuredClone(minimalWorkflow());
  change(wf);
  const r = loadWorkflow(JSON.parse(JSON.stringify(wf)), { file: 'mini.json', ...opts });
  for (const p of r.problems) {
    expect(p.file).toBe('mini.json');
    expect(p.hint.en.length).toBeGreaterThan(0);
    expect(p.message['zh-CN'].length).toBeGreaterThan(0);
  }
  return r.problems.map((p) => `${p.code} ${p.pointer}`);
}

describe('loadWorkflow', () => {
  it('accepts the minimal workflow as it is', () => {
    expect(problemsOf(() => {})).toEqual([]);
  });

  it('accepts both shipped workflows against the shipped forms when the benefits effects are registered', () => {
    const fake = (name: string) => ({ name, run: async () => ({}) });
    for (const name of ['assistance-application', 'statistics-report']) {
      const r = loadWorkflow(readJson(`workflows/${name}.json`), {
        effects: createEffectRegistry([fakeRulesEffect(), fake('benefits.assess'), fake('benefits.create')]),
        forms: shippedForms(),
      });
      expect(r.problems, name).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });

  it('refuses the assistance workflow at load when the benefits plugin has not registered its effects', () => {
    const r = loadWorkflow(readJson('workflows/assistance-application.json'), {
      file: 'workflows/assistance-application.json',
      effects: createEffectRegistry(),
    });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['NX_ERR_WF_UNKNOWN_EFFECT', 'NX_ERR_WF_UNKNOWN_EFFECT']);
    const [p, q] = r.problems;
    expect(p?.pointer).toMatch(/^\/transitions\/\d+\/effects\/0\/name$/);
    expect(p?.message.en).toContain('benefits.assess');
    expect(q?.message.en).toContain('benefits.create');
    expect(p?.hint.en).toContain('"benefits" plugin');
  });

  it('suggests the registered effect closest to a misspelt one', () => {
    const lines = problemsOf(
      (wf) => {
        wf.transitions[0]!.effects = [{ name: 'rules.evalute' }];
      },
      { effects: ['rules.evaluate'] },
    );
    expect(lines).toEqual(['NX_ERR_WF_UNKNOWN_EFFECT /transitions/0/effects/0/name']);
  });

  it('points at unknown states in initial, from (string and list), to', () => {
    expect(
      problemsOf((wf) => {
        wf.initial = 'start';
        wf.transitions[0]!.from = 'nowhere';
        wf.transitions[1]!.from = ['b', 'bb'];
        wf.transitions[2]!.to = 'aa';
      }),
    ).toEqual(
      expect.arrayContaining([
        'NX_ERR_WF_UNKNOWN_STATE /initial',
        'NX_ERR_WF_UNKNOWN_STATE /transitions/0/from',
        'NX_ERR_WF_UNKNOWN_STATE /transitions/1/from/1',
        'NX_ERR_WF_UNKNOWN_STATE /transitions/2/to',
      ]),
    );
  });

  it('points at a timer whose action does not leave its state, and at its bad duration', () => {
    expect(
      problemsOf((wf) => {
        wf.states.b!.timer = { after: 'P7X', action: 'go' };
      }),
    ).toEqual([
      'NX_ERR_WF_TIMER_ACTION /states/b/timer/action',
      'NX_ERR_WF_BAD_DURATION /states/b/timer/after',
      // `finish` is timer-only, and no timer fires it any more.
      'NX_ERR_WF_NO_ACTOR /transitions/1/by',
    ]);
  });

  it.each(['P', 'PT', 'P1DT', '7D', 'P1.5D', 'p7d', 'P-1D'])('rejects the duration %s', (bad) => {
    expect(
      problemsOf((wf) => {
        wf.states.b!.deadline = { after: bad };
      }),
    ).toEqual(['NX_ERR_WF_BAD_DURATION /states/b/deadline/after']);
  });

  it('finds an unreachable state and a non-final state with no way out', () => {
    expect(
      problemsOf((wf) => {
        wf.states.island = { label: { 'zh-CN': '孤岛', en: 'Island' } };
      }),
    ).toEqual(['NX_ERR_WF_DEAD_END /states/island', 'NX_ERR_WF_UNREACHABLE_STATE /states/island']);
  });

  it('finds the same action twice from one state, and a final state that is left', () => {
    expect(
      problemsOf((wf) => {
        wf.transitions.push({ ...wf.transitions[0]!, to: 'done' });
        wf.transitions.push({
          ...wf.transitions[1]!,
          action: 'reopen',
          from: 'done',
          to: 'a',
          by: wf.transitions[0]!.by,
        });
      }),
    ).toEqual([
      'NX_ERR_WF_DUPLICATE_ACTION /transitions/3/action',
      'NX_ERR_WF_FINAL_HAS_EXIT /transitions/4/from',
    ]);
  });

  it('names unknown roles (with the known list) and unknown levels (with a suggestion)', () => {
    const wf = structuredClone(minimalWorkflow());
    wf.transitions[0]!.by = [{ role: 'reviewr', level: 'township' }];
    const raw = JSON.parse(JSON.stringify(wf));
    raw.transitions[2].by[0].level = 'townshp';
    const r = loadWorkflow(raw);
    expect(r.problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'NX_ERR_WF_UNKNOWN_LEVEL /transitions/2/by/0/level',
    ]);
    expect(r.problems[0]?.hint.en).toContain('"township"');
    // Levels are part of the shape; once they are right, roles are checked.
    raw.transitions[2].by[0].level = 'township';
    const r2 = loadWorkflow(raw);
    expect(r2.problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'NX_ERR_WF_UNKNOWN_ROLE /transitions/0/by/0/role',
    ]);
    expect(r2.problems[0]?.hint.en).toContain('"reviewer"');
    expect(loadWorkflow(raw, { roles: ['reviewr', 'reviewer'] }).ok).toBe(true);
  });

  it('checks a guard against the form: unknown fields by name, unknown operations', () => {
    const lines = problemsOf(
      (wf) => {
        wf.transitions[0]!.guard = {
          and: [{ '==': [{ var: 'householdSignatur' }, 'signed'] }, { '>': [{ var: 'ctx.today' }, '2021'] }],
        };
        wf.transitions[2]!.guard = { frobnicate: [1] };
      },
      { forms: shippedForms() },
    );
    expect(lines).toEqual([
      'NX_ERR_WF_UNKNOWN_FIELD /transitions/0/guard/and/0/==/0/var',
      'NX_ERR_DEF_UNKNOWN_OP /transitions/2/guard/frobnicate',
    ]);
  });

  it('reads guards with the operations it is given (a plugin operation is known once registered)', () => {
    const ops = createOperationRegistry();
    ops.register({ name: 'always', compile: () => () => true });
    const change = (wf: WorkflowDefinition) => {
      wf.transitions[0]!.guard = { always: [] };
    };
    expect(problemsOf(change)).toEqual(['NX_ERR_DEF_UNKNOWN_OP /transitions/0/guard/always']);
    expect(problemsOf(change, { operations: ops })).toEqual([]);
  });

  it('checks the form exists when the forms are known', () => {
    expect(
      problemsOf(
        (wf) => {
          wf.form = 'household-servey';
        },
        { forms: shippedForms() },
      ),
    ).toEqual(['NX_ERR_WF_UNKNOWN_FORM /form']);
  });

  it('finds countersign roles no one in "by" holds, and "by" roles outside the countersign', () => {
    expect(
      problemsOf((wf) => {
        wf.transitions[2]!.countersign = { roles: ['reviewer', 'admin'] };
        wf.transitions[2]!.by.push({ role: 'finance', level: 'county' });
      }),
    ).toEqual([
      'NX_ERR_WF_COUNTERSIGN_ROLE /transitions/2/by/1/role',
      'NX_ERR_WF_COUNTERSIGN_ROLE /transitions/2/countersign/roles/1',
    ]);
  });

  it('finds duplicate inputs, impossible due dates, duplicate periods and a two-headed deadline', () => {
    expect(
      problemsOf((wf) => {
        const label = { 'zh-CN': '金额', en: 'Amount' };
        wf.transitions[0]!.input = [
          { id: 'amount', type: 'money', label },
          { id: 'amount', type: 'money', label },
        ];
        wf.states.a!.deadline = {
          periods: [
            { id: 'q1', due: '2021-02-30' },
            { id: 'q1', due: '2021-06-03' },
          ],
        };
        wf.states.b!.deadline = { after: 'P3D', periods: [{ id: 'x', due: '2021-06-03' }] };
      }),
    ).toEqual([
      'NX_ERR_WF_BAD_DATE /states/a/deadline/periods/0/due',
      'NX_ERR_WF_DUPLICATE_PERIOD /states/a/deadline/periods/1/id',
      'NX_ERR_WF_BAD_DEADLINE /states/b/deadline',
      'NX_ERR_WF_DUPLICATE_INPUT /transitions/0/input/1/id',
    ]);
  });

  it('reports shape errors at their pointer, inside states too, before checking meaning', () => {
    const raw = JSON.parse(JSON.stringify(minimalWorkflow()));
    raw.states.b.timer.afterr = 'P1D';
    raw.states['bad id'] = { label: { 'zh-CN': '坏', en: 'Bad' } };
    raw.transitions[0].kind = 'approve';
    raw.transitions[1].input = [{ id: 'x', type: 'float', label: { 'zh-CN': '数', en: 'N' } }];
    delete raw.version;
    const r = loadWorkflow(raw);
    expect(r.problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'NX_ERR_DEF_MISSING_PROPERTY ',
      'NX_ERR_DEF_UNKNOWN_PROPERTY /states/b/timer/afterr',
      'NX_ERR_DEF_PATTERN /states/bad id',
      'NX_ERR_DEF_NOT_ALLOWED /transitions/0/kind',
      'NX_ERR_DEF_NOT_ALLOWED /transitions/1/input/0/type',
    ]);
  });

  it('uses registered codes only', () => {
    const lines = [
      ...problemsOf((wf) => {
        wf.initial = 'zz';
        wf.transitions[0]!.effects = [{ name: 'x.y' }];
        wf.states.b!.timer = { after: 'P', action: 'nope' };
      }),
    ];
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(codes).toHaveProperty(line.split(' ')[0]!);
  });
});
