import { describe, expect, it } from 'vitest';
import { BUILTIN_REPORTS_DIR, loadReport, loadReportsDir } from '../../../plugins/report/index.ts';

const t = (zh: string) => ({ 'zh-CN': zh, en: zh });
const base = {
  id: 'r',
  title: t('报表'),
  kind: 'aggregate',
  source: { form: 'visit-statistics', rows: 'rows' },
  measures: [{ id: 'visits', label: t('人次'), op: 'sum', field: 'row.visits' }],
};

describe('report definition loader', () => {
  it('loads every shipped report', () => {
    expect(
      loadReportsDir(BUILTIN_REPORTS_DIR)
        .map((r) => r.id)
        .sort(),
    ).toEqual([
      'approved-list',
      'family-notice',
      'household-survey-print',
      'low-income-roster',
      'payment-list',
      'payment-reconciliation',
      'payment-totals',
      'public-notice',
      'recipients-notice',
      'visit-statistics',
      'visit-statistics-status',
    ]);
  });

  it('the payment list is the batch lines; the approvals list is called what it is', () => {
    const byId = new Map(loadReportsDir(BUILTIN_REPORTS_DIR).map((r) => [r.id, r]));
    expect(byId.get('payment-list')?.source).toEqual({ provided: 'payments.batch-lines' });
    expect(byId.get('approved-list')?.source.workflow?.states).toEqual(['approved']);
    for (const r of byId.values()) {
      if (r.id === 'payment-list') continue;
      // No other list calls itself the payment list (发放名单).
      expect(`${r.title['zh-CN']} ${r.title.en}`, r.id).not.toMatch(/发放名单|payment list/i);
    }
  });

  it('accepts a minimal aggregate report', () => {
    expect(loadReport(base).ok).toBe(true);
  });

  it('points at schema problems', () => {
    const r = loadReport({
      ...base,
      measures: [{ id: 'visits', label: t('x'), op: 'median', field: 'row.visits' }],
    });
    expect(r.ok).toBe(false);
    expect(r.problems.some((p) => p.pointer.startsWith('/measures/0/op'))).toBe(true);
  });

  it('reports every meaning problem with its pointer', () => {
    const r = loadReport({
      ...base,
      source: { form: 'visit-statistics' },
      measures: [
        { id: 'visits', label: t('人次'), op: 'sum', field: 'row.visits' },
        { id: 'funds', label: t('资金'), op: 'avg' },
        { id: 'visits', label: t('重复'), op: 'count' },
      ],
      filter: { no_such_op: [1] },
      layout: { order: ['nope'], groups: [{ label: t('组'), columns: ['visits', 'ghost'] }] },
    });
    expect(r.ok).toBe(false);
    const pointers = r.problems.map((p) => p.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/measures/0/field',
        '/measures/1/field',
        '/measures/2/id',
        '/layout/order/0',
        '/layout/groups/0/columns/1',
      ]),
    );
    expect(pointers.some((p) => p.startsWith('/filter'))).toBe(true);
  });

  it('list columns may read only data, decision, org, submission, workflow and seq', () => {
    const r = loadReport({
      id: 'l',
      title: t('名单'),
      kind: 'list',
      source: { form: 'household-survey' },
      columns: [
        { id: 'a', label: t('甲'), value: { var: 'data.headName' } },
        { id: 'b', label: t('乙'), value: { var: 'headName' } },
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.pointer)).toEqual(['/columns/1/value']);
  });
});
