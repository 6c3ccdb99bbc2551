import { createReadStream } from 'node:fs';

/** One cell as a reader yields it: CSV cells are text, XLSX cells keep their stored type. */
export type Cell = string | number | boolean | null;

const unquote = (text: string, doubled: boolean): string => (doubled ? text.replaceAll('""', '"') : text);

/**
 * An RFC 4180 scanner fed chunk by chunk (quoted fields, doubled quotes, CR LF / LF / CR line
 * ends, line breaks inside quotes, a BOM at the start). The scan over a chunk is a plain method
 * rather than the body of an async generator: V8 optimises a long loop in a plain function
 * while it runs, which it does not do inside a generator (the difference is about tenfold).
 */
export class CsvScanner {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  private afterQuote = false;
  /** The quoted text scanned so far holds a doubled quote. */
  private doubled = false;
  private first = true;
  /** A quote that ends a chunk may be the first half of a doubled quote: decided with the next chunk. */
  private carry = '';

  /** The records completed by this chunk. */
  push(chunk: string): string[][] {
    let s = this.carry + chunk;
    this.carry = '';
    if (s.length === 0) return [];
    if (this.first && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    this.first = false;
    let { row, field, quoted, afterQuote, doubled } = this;
    const out: string[][] = [];
    let start = 0;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (quoted) {
        if (c !== 34) continue;
        if (i === n - 1) {
          // Closing quote or the first of a doubled one: decided with the next chunk.
          field += unquote(s.slice(start, i), doubled);
          doubled = false;
          this.carry = '"';
          start = n;
          break;
        }
        if (s.charCodeAt(i + 1) === 34) {
          // A doubled quote stays in the slice and becomes one quote when the field closes.
          doubled = true;
          i++;
          continue;
        }
        field += unquote(s.slice(start, i), doubled);
        doubled = false;
        quoted = false;
        start = i + 1;
        afterQuote = true;
      } else if (c === 34) {
        quoted = true;
        start = i + 1;
      } else if (c === 44 || c === 10 || c === 13) {
        if (!afterQuote || start < i) field += s.slice(start, i);
        row.push(field);
        field = '';
        afterQuote = false;
        if (c !== 44) {
          if (c === 13 && s.charCodeAt(i + 1) === 10) i++;
          if (!(row.length === 1 && row[0] === '')) out.push(row);
          row = [];
        }
        start = i + 1;
      }
    }
    if (start < n) {
      field += quoted ? unquote(s.slice(start), doubled) : s.slice(start);
      doubled = false;
    }
    this.doubled = doubled;
    this.row = row;
    this.field = field;
    this.quoted = quoted;
    this.afterQuote = afterQuote;
    return out;
  }

  /** The last record when the input does not end with a line break, else null. */
  end(): string[] | null {
    // A closing quote at the very end of the input.
    if (this.carry) this.quoted = false;
    this.carry = '';
    if (this.field === '' && this.row.length === 0) return null;
    this.row.push(this.field);
    const last = this.row;
    this.row = [];
    this.field = '';
    return last;
  }
}

/**
 * Bytes read at a time: small enough that each decoded chunk stays in V8's young generation
 * (a 1 MiB chunk made the collector the main cost of reading), large enough to read fast.
 */
export const CSV_CHUNK_BYTES = 64 * 1024;

/**
 * Streams CSV records so a million-row file never sits in memory; `bytes.read` follows the file
 * for the progress bar. Decoding in the stream keeps a character split between chunks whole.
 */
export async function* csvRecords(
  file: string,
  bytes: { read: number } = { read: 0 },
): AsyncGenerator<Cell[]> {
  const scanner = new CsvScanner();
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: CSV_CHUNK_BYTES });
  for await (const chunk of input) {
    bytes.read = input.bytesRead;
    yield* scanner.push(chunk as string);
  }
  const last = scanner.end();
  if (last) yield last;
}
