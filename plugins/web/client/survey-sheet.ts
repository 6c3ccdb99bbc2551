import { h } from './dom.ts';
import { t, tr } from './i18n.ts';
import { grid, type Sheet, type SheetField, td, th } from './sheet.ts';

/** Blank rows of a blank form, as on paper: five family members, two houses and vehicles. */
const BLANK_MEMBERS = 5;
const BLANK_ASSETS = 2;
/** The grid of 附件2: twelve equal columns; a label takes one, a value one to eleven. */
const COLS = 12;

/**
 * 附件2 农村低收入群众入户调查表 on the seed's grid: the head of household in four rows of
 * label/value pairs, poverty causes, assistance and person categories as tick boxes, the assets
 * block (cash, houses beside vehicles, other assets), the family members, the requests and the
 * two signature boxes (the surveyor's; the family's with its 指模 box) once at the end. Fields
 * the seed has no place for (supplementary facts, the income worked out) follow the requests as
 * label/value pairs. Three tables stacked as one grid: the members' header repeats on a next page,
 * no row is cut, and the signatures stay together.
 */
export function surveySheet(s: Sheet): HTMLElement[] {
  const row = (...cells: HTMLTableCellElement[]) => h('tr', {}, ...cells);
  const head = h(
    'tbody',
    {},
    row(
      ...s.pair('headName', 1, 2),
      ...s.pair('headSex', 1, 2),
      ...s.pair('headAge', 1, 2),
      ...s.pair('householdSize', 1, 2),
    ),
    row(
      ...s.pair('phone', 1, 2),
      ...s.pair('headIdNumber', 1, 2),
      ...s.pair('headHealth', 1, 2),
      ...s.pair('disabilityGrade', 1, 2),
    ),
    row(...s.pair('registeredAddress', 1, 5), ...s.pair('residenceAddress', 1, 5)),
    row(
      ...s.pair('employer', 1, 3),
      ...s.pair('headAnnualIncome', 1, 1),
      ...s.pair('pension', 1, 1),
      ...s.pair('pensionInsurance', 1, 1),
      ...s.pair('medicalInsurance', 1, 1),
    ),
    row(
      s.label('povertyCauses'),
      causes(s),
      ...s.pair('assistanceReceived', 1, 4),
      ...s.pair('assistanceAmountYearly', 1, 1),
    ),
    row(...s.pair('personCategories', 1, 11)),
  );
  const assets = assetRows(s);
  const first = grid(COLS, 'survey', head, h('tbody', { class: 'block' }, ...assets));

  const members = s.tableRows('members', { idNumber: 2, employerOrSchool: 2 }, BLANK_MEMBERS);
  const membersField = s.field('members');
  const width = 1 + members.width;
  const memberTable = grid(
    width,
    'survey members',
    h('thead', {}, h('tr', {}, th(membersField ? t(membersField.label) : '', 1, 1, 'side'), ...members.head)),
    h('tbody', {}, ...members.rows.map((cells) => h('tr', {}, td([], 1, 1, 'side-cont'), ...cells))),
  );

  s.placed.add('requests');
  const signed = signatureRow(s);
  const rest = s.rest();
  const last = grid(
    COLS,
    'survey',
    h(
      'tbody',
      {},
      h('tr', { class: 'tall' }, s.label('requests'), s.value('requests', 11)),
      ...s.looseRows(rest),
    ),
    h('tbody', { class: 'block signatures' }, signed),
  );
  // On a blank form the options of the members' choice columns, to write in (relation, health).
  const legend = s.blank && members.legend ? h('p', { class: 'legend' }, members.legend) : null;
  return [first, memberTable, ...(legend ? [legend] : []), last];
}

/** 家庭贫困原因 with its 其他 written beside the boxes. */
function causes(s: Sheet): HTMLTableCellElement {
  const cell = s.value('povertyCauses', 4);
  if (s.field('povertyCauseOther')) {
    s.placed.add('povertyCauseOther');
    const other = s.data?.povertyCauseOther;
    cell.append(
      ' ',
      h('span', { class: 'write-in' }, `${tr('其他：', 'Other: ')}${typeof other === 'string' ? other : ''}`),
    );
  }
  return cell;
}

/** 家庭财产情况: cash, the houses beside the vehicles (one line each), other assets. */
function assetRows(s: Sheet): HTMLTableRowElement[] {
  const housing = s.tableRows('housing', { nature: 2, address: 3 }, BLANK_ASSETS);
  const vehicles = s.tableRows('vehicles', { model: 2 }, BLANK_ASSETS);
  const lines = Math.max(housing.rows.length, vehicles.rows.length);
  const pad = (rows: HTMLTableCellElement[][], width: number) =>
    Array.from({ length: lines }, (_, i) => rows[i] ?? [td([], width)]);
  const hRows = pad(housing.rows, housing.width);
  const vRows = pad(vehicles.rows, vehicles.width);
  const housingLabel = s.field('housing');
  const vehicleLabel = s.field('vehicles');
  const side = th(tr('家庭财产情况', 'Household assets'), 1, 3 + lines, 'side');
  const rows: HTMLTableRowElement[] = [
    h('tr', {}, side, s.label('cashDeposits', 2), s.value('cashDeposits', 9)),
    h(
      'tr',
      {},
      th(housingLabel ? t(housingLabel.label) : '', 1, 1 + lines),
      ...housing.head,
      th(vehicleLabel ? t(vehicleLabel.label) : '', 1, 1 + lines),
      ...vehicles.head,
    ),
    ...hRows.map((cells, i) => h('tr', {}, ...cells, ...(vRows[i] ?? []))),
    h('tr', {}, s.label('otherAssets', 2), s.value('otherAssets', 9)),
  ];
  // On a blank form the options of the houses' choice columns (房屋性质), to write in.
  const legend = [housing.legend, vehicles.legend].filter(Boolean).join(tr('；', '; '));
  if (legend && s.blank) {
    rows.push(h('tr', {}, td([h('span', { class: 'legend' }, legend)], 11)));
    side.rowSpan = 4 + lines;
  }
  return rows;
}

/** The two boxes signed once at the end: the surveyor's (name, signature, date) and the family's (signature or 指模). */
function signatureRow(s: Sheet): HTMLTableRowElement {
  const pick = (id: string) => {
    const f = s.field(id);
    if (!f) return null;
    s.placed.add(id);
    return f;
  };
  const part = (f: SheetField | null, cls: string) =>
    f ? h('div', { class: cls }, ...s.show(f, s.data?.[f.id])) : null;
  const surveyor = pick('surveyorName');
  const date = pick('surveyDate');
  const surveyorBox = td(
    [
      part(surveyor, 'signed-name'),
      part(pick('surveyorSignatureImage'), 'signature'),
      date
        ? h('div', { class: 'signed-date' }, tr('日期：', 'Date: '), ...s.show(date, s.data?.[date.id]))
        : null,
    ],
    5,
    1,
    'sign-box',
  );
  const how = pick('householdSignature');
  const familyBox = td(
    [
      h('div', { class: 'finger' }, tr('指模', 'Fingerprint')),
      part(how, 'signed-how'),
      part(pick('householdSignatureImage'), 'signature'),
    ],
    5,
    1,
    'sign-box',
  );
  return h(
    'tr',
    {},
    th(surveyor ? t(surveyor.label) : tr('入户调查人员签字', 'Surveyor')),
    surveyorBox,
    th(how ? t(how.label) : tr('困难户签字（指模）', 'Household')),
    familyBox,
  );
}
