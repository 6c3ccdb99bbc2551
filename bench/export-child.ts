/**
 * One export run in its own process, so its peak RSS is its own: `node --import tsx
 * bench/export-child.ts <csv|xlsx|baseline> <rows> <file>`. Prints `{ rows, ms, peakRss }` as JSON.
 * Rows are generated as they are written (a stand-in for the keyset-paged database read).
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { text } from '../engine/index.ts';
import {
  type ReportColumn,
  type ReportRow,
  type ReportTable,
  writeChunk,
  writeCsv,
  writeXlsx,
} from '../plugins/report/index.ts';

const [mode = 'csv', rowsArg = '1000000', file = '/dev/null'] = process.argv.slice(2);
const N = Number(rowsArg);

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀英', '桂英', '建国', '志强', '丽', '军', '芳', '明', '华', '平'];
const CAUSES = ['疾病', '残疾', '缺乏劳动力', '灾害', '失业'];
const TYPES = ['低保边缘户', '易致贫返贫户', '支出型困难户'];

/** The seed's 11 roster columns. */
const columns: ReportColumn[] = [
  ['seq', '序号', 'integer'],
  ['name', '姓名', 'text'],
  ['sex', '性别', 'text'],
  ['idNumber', '身份证号码', 'text'],
  ['householdSize', '家庭人口', 'integer'],
  ['registeredResidence', '户籍所在地', 'text'],
  ['perCapitaIncome', '家庭人均收入', 'money'],
  ['povertyCause', '致贫原因', 'text'],
  ['areaType', '城市/农村', 'text'],
  ['contact', '联系方式', 'text'],
  ['hardshipType', '困难类型', 'text'],
].map(([id, zh, format]) => ({
  id: id as string,
  label: text(zh as string, id as string),
  format: format as ReportColumn['format'],
  total: id === 'householdSize',
}));

function row(i: number): Record<string, string | number> {
  const h = (i * 2654435761) >>> 0;
  return {
    seq: i + 1,
    name: `${SURNAMES[h % 10]}${GIVEN[(h >>> 4) % 10]}`,
    sex: h & 1 ? '男' : '女',
    idNumber:
      `5119231${String(1950 + (h % 60)).padStart(4, '0')}0${(h % 9) + 1}1${String(h % 10000).padStart(4, '0')}`.slice(
        0,
        18,
      ),
    householdSize: (h % 6) + 1,
    registeredResidence: `四川省巴中市平昌县白衣镇第${(h % 12) + 1}村`,
    perCapitaIncome: Math.round(45000 + (h % 30000)) / 100,
    povertyCause: CAUSES[h % 5] as string,
    areaType: '农村',
    contact: `138${String(h % 100000000).padStart(8, '0')}`,
    hardshipType: TYPES[h % 3] as string,
  };
}

async function* rows(): AsyncGenerator<ReportRow> {
  for (let i = 0; i < N; i++) yield { kind: 'data', cells: row(i) };
}

const table: ReportTable = {
  id: 'low-income-roster',
  title: text('农村低收入群众信息汇总统计表', 'Roster'),
  notes: [],
  columns,
  groups: [],
  rows: rows(),
};

/** The same rows as plain comma-joined lines to a write stream: the floor any exporter stands on. */
async function baseline(out: Writable): Promise<void> {
  let buf = `${columns.map((c) => c.label['zh-CN']).join(',')}\n`;
  for (let i = 0; i < N; i++) {
    const r = row(i);
    buf += `${columns.map((c) => r[c.id]).join(',')}\n`;
    if (buf.length > 64 * 1024) {
      await writeChunk(out, buf);
      buf = '';
    }
  }
  out.end(buf);
}

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const out = createWriteStream(file);
const done = new Promise<void>((resolve) => out.on('finish', () => resolve()));
const t0 = performance.now();
if (mode === 'csv') {
  await writeCsv(table, out);
  out.end();
} else if (mode === 'xlsx') await writeXlsx(table, out);
else await baseline(out);
await done;
const ms = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(`${JSON.stringify({ rows: N, ms, peakRss: peak })}\n`);
