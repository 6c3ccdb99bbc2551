import { ApiError, api, session } from '../api.ts';
import { append, fill, h, scrollBox } from '../dom.ts';
import { t, tr } from '../i18n.ts';
import { status } from '../status.ts';

interface StoredParameter {
  id: string;
  name: string;
  orgCode: string;
  area: 'urban' | 'rural' | null;
  validFrom: string;
  value: number;
}

interface OrgUnit {
  code: string;
  name: string;
}

/** Names the administrators know by their Chinese title; any other name is shown as it is stored. */
const NAMES: Record<string, { label: [string, string]; unit?: [string, string] }> = {
  dibao_standard: { label: ['低保标准', 'Dibao standard'], unit: ['元/人/月', 'yuan per person per month'] },
  marginal_factor: { label: ['低保边缘倍数', 'Marginal household factor'] },
  expense_income_ceiling_factor: { label: ['支出型困难收入倍数', 'Expense-hardship income factor'] },
  expense_income_ratio: { label: ['刚性支出收入比', 'Essential expense to income ratio'] },
};

/** What the rulesets declare (`GET /api/parameters/declared`): the words shown for a stored name. */
interface Declared {
  name: string;
  label: { 'zh-CN': string; en: string };
  unit?: string;
  minimum?: number;
  maximum?: number;
}
const declared = new Map<string, Declared>();

const nameLabel = (name: string): string => {
  const d = declared.get(name);
  if (d) return t(d.label);
  const n = NAMES[name];
  return n ? tr(...n.label) : name;
};

const unitLabel = (name: string): string => {
  const u = NAMES[name]?.unit;
  if (u) return tr(...u);
  return declared.get(name)?.unit ?? '';
};

/** Plain words for a refusal of the request's shape, per field: never the schema's pattern. */
const SHAPE: Record<string, [string, string]> = {
  name: ['请选择一项参数', 'Choose a standard'],
  orgCode: ['单位代码应为 6、9 或 12 位数字，例如 511923', 'A unit code has 6, 9 or 12 digits, e.g. 511923'],
  area: ['请选择城市、农村或全部', 'Choose urban, rural or both'],
  validFrom: ['日期请写成 年-月-日，例如 2022-01-01', 'Write the date as year-month-day, e.g. 2022-01-01'],
  value: ['取值应为数字，例如 520', 'The value is a number, e.g. 520'],
};

/** Every problem of the form as typed, found before anything is sent. */
export function formProblems(v: {
  name: string;
  orgCode: string;
  validFrom: string;
  value: string;
}): [string, string][] {
  const out: [string, string][] = [];
  const say = (k: string) => {
    const m = SHAPE[k];
    if (m) out.push([k, tr(...m)]);
  };
  if (!v.name) say('name');
  if (!/^\d{6}(\d{3}){0,2}$/.test(v.orgCode)) say('orgCode');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.validFrom)) say('validFrom');
  if (v.value === '' || !Number.isFinite(Number(v.value))) say('value');
  return out;
}

const areaLabel = (a: StoredParameter['area']): string =>
  a === 'urban' ? tr('城市', 'Urban') : a === 'rural' ? tr('农村', 'Rural') : tr('全部', 'Both');

/** Which form input an error pointer of the PUT belongs to (`/body/orgCode`, `/params/name`). */
const FIELD_OF: Record<string, string> = {
  '/params/name': 'name',
  '/body/orgCode': 'orgCode',
  '/body/area': 'area',
  '/body/validFrom': 'validFrom',
  '/body/value': 'value',
};

/** Administrators: the stored standards per name, org unit and area, and a form to add a dated value. */
export async function parametersPage(app: HTMLElement): Promise<void> {
  // Names of the units in the caller's subtree; ancestors' values are shown by code alone.
  const orgNames = new Map<string, string>();
  try {
    for (const d of (await api<{ items: Declared[] }>('GET', '/api/parameters/declared')).items)
      declared.set(d.name, d);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
  try {
    const units = await api<{ items: OrgUnit[] }>('GET', '/api/org-units');
    for (const u of units.items) orgNames.set(u.code, u.name);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }

  const nameFilter = h('select', { id: 'filter-name' }, h('option', { value: '' }, tr('全部', 'All')));
  const orgFilter = h('input', {
    id: 'filter-org',
    inputmode: 'numeric',
    type: 'search',
    placeholder: '511923',
  });
  const apply = h('button', { type: 'button', id: 'filter-apply' }, tr('筛选', 'Filter'));
  const out = h('div', { id: 'parameters' });

  const load = async (): Promise<void> => {
    const q = new URLSearchParams();
    if (nameFilter.value) q.set('name', nameFilter.value);
    const org = orgFilter.value.trim();
    if (org) q.set('orgCode', org);
    let items: StoredParameter[];
    try {
      items = (await api<{ items: StoredParameter[] }>('GET', `/api/parameters?${q}`)).items;
    } catch (e) {
      if (e instanceof ApiError) {
        fill(out);
        status(t(e.body.message ?? e.code), 'error');
        return;
      }
      throw e;
    }
    // The name choices grow with what is stored; the current choice is kept.
    const known = new Set(Array.from(nameFilter.options, (o) => o.value));
    for (const n of new Set([...declared.keys(), ...Object.keys(NAMES), ...items.map((i) => i.name)])) {
      if (!known.has(n)) nameFilter.append(h('option', { value: n, title: n }, nameLabel(n)));
    }
    const groups = new Map<string, StoredParameter[]>();
    for (const p of items) groups.set(p.name, [...(groups.get(p.name) ?? []), p]);
    fill(
      out,
      items.length === 0
        ? h('p', { id: 'parameters-empty' }, tr('没有符合条件的参数', 'No matching standards'))
        : null,
      ...[...groups].map(([name, rows]) =>
        h(
          'section',
          { class: 'param-group', 'data-name': name },
          h('h2', { title: name }, nameLabel(name)),
          scrollBox(
            h(
              'table',
              { class: 'list', 'aria-label': nameLabel(name) },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ...[
                    tr('单位', 'Unit'),
                    tr('城乡', 'Area'),
                    tr('起始日期', 'Valid from'),
                    tr('取值', 'Value'),
                    tr('计量单位', 'Measure'),
                  ].map((x) => h('th', { scope: 'col' }, x)),
                ),
              ),
              h(
                'tbody',
                {},
                ...rows.map((p) =>
                  h(
                    'tr',
                    {
                      'data-org': p.orgCode,
                      'data-area': p.area ?? 'both',
                      'data-valid-from': p.validFrom,
                    },
                    h('td', {}, p.orgCode, orgNames.has(p.orgCode) ? ` ${orgNames.get(p.orgCode)}` : ''),
                    h('td', {}, areaLabel(p.area)),
                    h('td', {}, p.validFrom),
                    h('td', { class: 'value' }, String(p.value)),
                    h('td', {}, unitLabel(name)),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };
  apply.addEventListener('click', () => void load());

  app.append(
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'filter-name' }, tr('参数', 'Standard'), ' ', nameFilter),
      h('label', { for: 'filter-org' }, tr('单位代码', 'Unit code'), ' ', orgFilter),
      apply,
    ),
    out,
    addForm(load),
  );
  await load();
}

/** The form that adds (or replaces) the value of a series from a date. */
function addForm(reload: () => Promise<void>): HTMLFormElement {
  const inputs = {
    name: h(
      'select',
      { id: 'p-name', name: 'name' },
      ...[...new Set([...declared.keys(), ...Object.keys(NAMES)])].map((n) =>
        h('option', { value: n, title: n, selected: n === 'dibao_standard' }, nameLabel(n)),
      ),
    ),
    orgCode: h('input', {
      id: 'p-orgCode',
      name: 'orgCode',
      inputmode: 'numeric',
      value: session()?.user.orgUnit ?? '',
    }),
    area: h(
      'select',
      { id: 'p-area', name: 'area' },
      h('option', { value: 'urban' }, areaLabel('urban')),
      h('option', { value: 'rural' }, areaLabel('rural')),
      h('option', { value: '' }, areaLabel(null)),
    ),
    validFrom: h('input', {
      id: 'p-validFrom',
      name: 'validFrom',
      placeholder: 'YYYY-MM-DD',
      inputmode: 'numeric',
    }),
    value: h('input', { id: 'p-value', name: 'value', inputmode: 'decimal' }),
  };
  type Key = keyof typeof inputs;
  const labels: Record<Key, string> = {
    name: tr('参数', 'Standard'),
    orgCode: tr('单位代码', 'Unit code'),
    area: tr('城乡', 'Area'),
    validFrom: tr('起始日期', 'Valid from'),
    value: tr('取值', 'Value'),
  };
  const errors = {} as Record<Key, HTMLParagraphElement>;
  const fields = (Object.keys(inputs) as Key[]).map((k) => {
    errors[k] = h('p', { class: 'error', id: `p-${k}-err`, 'aria-live': 'polite' });
    inputs[k].setAttribute('aria-describedby', `p-${k}-err`);
    return h(
      'div',
      { class: 'field', 'data-field': k },
      h('label', { class: 'label', for: `p-${k}` }, labels[k]),
      inputs[k],
      errors[k],
    );
  });
  const whole = h('p', { class: 'error', id: 'p-error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'p-save' }, tr('保存', 'Save'));
  const form = h(
    'form',
    { id: 'parameter-form', novalidate: true },
    h('h2', {}, tr('新增取值', 'Add a dated value')),
    ...fields,
    whole,
    h('div', { class: 'actions' }, save),
  );

  const clear = () => {
    for (const k of Object.keys(inputs) as Key[]) {
      fill(errors[k]);
      inputs[k].removeAttribute('aria-invalid');
      errors[k].parentElement?.classList.remove('invalid');
    }
    fill(whole);
  };
  const show = (k: Key | null, text: string, code = '') => {
    const line = h('span', { class: 'problem', 'data-code': code || null }, text);
    if (!k) {
      append(whole, whole.firstChild ? ' · ' : '', line);
      return;
    }
    append(errors[k], errors[k].firstChild ? ' · ' : '', line);
    inputs[k].setAttribute('aria-invalid', 'true');
    errors[k].parentElement?.classList.add('invalid');
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void (async () => {
      clear();
      const raw = inputs.value.value.trim();
      const typed = formProblems({
        name: inputs.name.value,
        orgCode: inputs.orgCode.value.trim(),
        validFrom: inputs.validFrom.value.trim(),
        value: raw,
      });
      for (const [k, msg] of typed) show(k as Key, msg);
      if (typed.length) {
        show(
          null,
          tr(
            `有 ${typed.length} 处需要修改，见各栏下方`,
            `${typed.length} fields need changing; see below each`,
          ),
        );
        status(tr('未保存：请按提示修改', 'Not saved: see the fields marked'), 'error');
        (inputs[typed[0]?.[0] as Key] as HTMLElement | undefined)?.focus();
        return;
      }
      // The server checks every field; a value that is not a number goes as typed so its answer names it.
      const value = raw === '' ? undefined : Number.isFinite(Number(raw)) ? Number(raw) : raw;
      const body = {
        orgCode: inputs.orgCode.value.trim(),
        area: inputs.area.value === '' ? null : inputs.area.value,
        validFrom: inputs.validFrom.value.trim(),
        value,
      };
      const name = inputs.name.value.trim();
      save.disabled = true;
      try {
        await api('PUT', `/api/parameters/${encodeURIComponent(name || '_')}`, body);
        status(tr(`已保存 ${name}`, `Saved ${name}`), 'ok');
        inputs.value.value = '';
        await reload();
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        const details = e.body.errors ?? [];
        for (const d of details) {
          const k = (FIELD_OF[d.path] ?? FIELD_OF[d.path.split('/').slice(0, 3).join('/')]) as
            | Key
            | undefined;
          // A refusal of the request's shape speaks of patterns; the field's own words say it plainly.
          const plain =
            d.code === 'NX_ERR_HTTP_BAD_REQUEST' && k && SHAPE[k]
              ? tr(...(SHAPE[k] as [string, string]))
              : `${t(d.message)}${d.hint ? `（${t(d.hint)}）` : ''}`;
          show(k ?? null, plain, d.code);
        }
        // A unit outside the caller's subtree is the same 404 as one that does not exist.
        const onOrg = e.status === 404 && e.code === 'NX_ERR_HTTP_NOT_FOUND';
        const summary = onOrg
          ? tr('找不到该单位，或它不在您的辖区内', 'No such unit in your area')
          : details.length
            ? tr(
                `未保存：${details.length} 处问题，见各栏下方`,
                `Not saved: ${details.length} problems, see the fields`,
              )
            : t(e.body.message ?? e.code);
        show(onOrg ? 'orgCode' : null, summary, e.code);
        status(summary, 'error');
      } finally {
        save.disabled = false;
      }
    })().catch((e) => status(String(e), 'error'));
  });
  return form;
}
