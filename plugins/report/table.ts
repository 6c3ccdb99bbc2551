import type { Locale, Text } from '../../engine/entry/plugin.ts';
import type { HeaderGroup, ReportDefinition } from './report-schema.ts';

/**
 * What every report builds and every writer (JSON, CSV, XLSX, HTML) reads: ordered columns, an
 * optional second header level, and rows that arrive as a stream so that a roster of a million
 * families never sits in memory.
 */
export type CellFormat = 'text' | 'integer' | 'number' | 'money' | 'date';
export type Cell = string | number | null;

export interface ReportColumn {
  readonly id: string;
  readonly label: Text;
  readonly unit?: string | undefined;
  readonly format: CellFormat;
  /** Summed in subtotal and total rows. */
  readonly total: boolean;
}

/** A header group spanning `span` columns from index `start`. */
export interface ColumnGroup {
  readonly label: Text;
  readonly start: number;
  readonly span: number;
  /** A title over sub-titled columns (three header rows when printed). */
  readonly top?: boolean;
}

export interface ReportRow {
  readonly kind: 'data' | 'subtotal' | 'total';
  readonly cells: Readonly<Record<string, Cell>>;
}

export interface ReportTable {
  readonly id: string;
  readonly title: Text;
  /** Lines under the title: unit, period, cumulative range. */
  readonly notes: readonly Text[];
  readonly columns: readonly ReportColumn[];
  readonly groups: readonly ColumnGroup[];
  /** Lines under the table (注明 / 说明). */
  readonly footnotes?: readonly Text[];
  readonly rows: AsyncIterable<ReportRow>;
  /** Rows expected when known in advance (progress bars). */
  readonly expectedRows?: number;
}

/** Resolves the layout's groups against the ordered columns. */
export function columnGroups(
  columns: readonly ReportColumn[],
  groups: readonly HeaderGroup[] = [],
): ColumnGroup[] {
  return groups
    .map((g) => {
      const at = g.columns.map((id) => columns.findIndex((c) => c.id === id)).filter((i) => i >= 0);
      return { label: g.label, start: Math.min(...at), span: at.length, ...(g.top ? { top: true } : {}) };
    })
    .filter((g) => g.span > 0)
    .sort((a, b) => a.start - b.start);
}

/** The header text of a column in one language: label, then the unit in brackets. */
export function headerText(c: ReportColumn, locale: Locale): string {
  return c.unit ? `${c.label[locale]}（${c.unit}）` : c.label[locale];
}

/** Sums the `total` columns of rows into one row (for subtotals and the grand total). */
export class Totals {
  private readonly sums = new Map<string, number>();
  constructor(private readonly columns: readonly ReportColumn[]) {}
  add(cells: Readonly<Record<string, Cell>>): void {
    for (const c of this.columns) {
      const v = cells[c.id];
      if (c.total && typeof v === 'number') this.sums.set(c.id, (this.sums.get(c.id) ?? 0) + v);
    }
  }
  row(kind: 'subtotal' | 'total', labelColumn: string, label: string): ReportRow {
    const cells: Record<string, Cell> = {};
    for (const c of this.columns) {
      if (c.total)
        cells[c.id] =
          c.format === 'money'
            ? Math.round((this.sums.get(c.id) ?? 0) * 100) / 100
            : (this.sums.get(c.id) ?? 0);
      else cells[c.id] = null;
    }
    cells[labelColumn] = label;
    return { kind, cells };
  }
  reset(): void {
    this.sums.clear();
  }
}

/** A stream from an array (small reports built in memory). */
export async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/** Drains a table's rows into an array (JSON answers, tests). */
export async function collectRows(table: ReportTable): Promise<ReportRow[]> {
  const out: ReportRow[] = [];
  for await (const r of table.rows) out.push(r);
  return out;
}

export type { ReportDefinition };
