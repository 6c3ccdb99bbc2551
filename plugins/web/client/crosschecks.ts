import type { Text } from '../../../engine/entry/plugin.ts';
import type { FindingView } from '../../crosschecks/views.ts';
import { api } from './api.ts';
import { t, tr } from './i18n.ts';
import { maskedId, yesNo } from './work-words.ts';

/**
 * What the cross-check pages share: the lists with their columns and comparisons
 * (`GET /api/crosschecks/lists`), the registers' properties (`GET /api/registers`), and a
 * finding's compared values said in words.
 */

export interface ListColumn {
  id: string;
  type: string;
  label: Text;
  required: boolean;
  options?: { value: string; label: Text }[];
}

export interface ListInfo {
  id: string;
  version: number;
  title: Text;
  department: { id: string; name: Text };
  idColumn: string;
  validDays: number;
  columns: ListColumn[];
  comparisons: {
    id: string;
    title: Text;
    rules: { id: string; title: Text; type: string; severity: string }[];
  }[];
}

/** A finding as the API answers it. */
export type Finding = FindingView;

interface RegisterProperty {
  id: string;
  type: string;
  label?: Text;
}

export interface Catalog {
  lists: ListInfo[];
  list(id: string): ListInfo | undefined;
  ruleTitle(f: Pick<Finding, 'comparison' | 'rule'>): string;
  /** `名单·建档立卡：是` for each compared value. */
  explain(f: Finding): string[];
}

const ID = /^\d{17}[\dX]$/;

export async function loadCatalog(): Promise<Catalog> {
  const [lists, regs] = await Promise.all([
    api<{ items: ListInfo[] }>('GET', '/api/crosschecks/lists'),
    api<{ items: { id: string; properties: RegisterProperty[] }[] }>('GET', '/api/registers').catch(() => ({
      items: [],
    })),
  ]);
  const props = new Map<string, RegisterProperty>();
  for (const r of regs.items) for (const p of r.properties) props.set(p.id, p);
  const byId = new Map(lists.items.map((l) => [l.id, l]));
  const REGISTER_WORDS: Record<string, [string, string]> = {
    status: ['登记状态', 'Record status'],
    statusReason: ['注销原因', 'Reason closed'],
    key: ['户主身份证号', "Head's ID number"],
    ownerOrgCode: ['所属单位', 'Unit'],
  };
  const valueText = (v: unknown, col?: ListColumn): string => {
    if (v === null || v === undefined || v === '') return tr('（空）', '(empty)');
    if (typeof v === 'boolean') return yesNo(v);
    if (typeof v === 'string' && ID.test(v)) return maskedId(v);
    if (col?.options) {
      const o = col.options.find((x) => x.value === v);
      if (o) return t(o.label);
    }
    if (Array.isArray(v)) return v.map((x) => valueText(x)).join('、');
    return String(v);
  };
  return {
    lists: lists.items,
    list: (id) => byId.get(id),
    ruleTitle(f) {
      for (const l of lists.items)
        for (const c of l.comparisons)
          if (c.id === f.comparison) {
            const r = c.rules.find((x) => x.id === f.rule);
            if (r) return t(r.title);
          }
      return f.rule;
    },
    explain(f) {
      const list = byId.get(f.list);
      return Object.entries(f.compared).map(([path, v]) => {
        const [side, name = ''] = path.split(/\.(.*)/s);
        if (side === 'list') {
          const col = list?.columns.find((c) => c.id === name);
          return `${tr('名单', 'List')} · ${col ? t(col.label) : name}：${valueText(v, col)}`;
        }
        if (side === 'register') {
          const p = props.get(name);
          const w = REGISTER_WORDS[name];
          const label = p?.label ? t(p.label) : w ? tr(w[0], w[1]) : name;
          return `${tr('登记簿', 'Register')} · ${label}：${valueText(v)}`;
        }
        if (path === 'benefits.active') return `${tr('在享待遇项数', 'Active benefits')}：${valueText(v)}`;
        return `${path}：${valueText(v)}`;
      });
    },
  };
}
