// CSV answers (RFC 4180) for the exports: a header row, then one line per row; cells a spreadsheet would run
// as a formula are neutralised.
import type { Response } from 'express';
import { streamPieces } from './stream.ts';

export type CsvColumn<T> = [header: string, value: (row: T) => string | number | boolean | null | undefined];

/**
 * Quotes a cell when needed; a text starting with = + - @ (a formula to Excel) gets a leading apostrophe,
 * unless it is a plain number such as -3.94.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine<T>(columns: CsvColumn<T>[], row: T): string {
  return columns.map(([, value]) => csvCell(value(row))).join(',') + '\r\n';
}

const headerLine = <T>(columns: CsvColumn<T>[]) => columns.map(([header]) => csvCell(header)).join(',') + '\r\n';

/** The whole CSV text (the CLI writes it to a file or stdout). */
export function toCsv<T>(columns: CsvColumn<T>[], rows: Iterable<T>): string {
  let out = headerLine(columns);
  for (const row of rows) out += csvLine(columns, row);
  return out;
}

/** The CSV as pieces: the header, then one piece per batch of rows. */
export async function* csvPieces<T>(columns: CsvColumn<T>[], batches: AsyncIterable<T[]>): AsyncGenerator<string> {
  yield headerLine(columns);
  for await (const rows of batches) yield rows.map((row) => csvLine(columns, row)).join('');
}

/** Streams a CSV download named `filename`, batch by batch (http/stream.ts): constant memory, the loop never held. */
export function streamCsv<T>(res: Response, filename: string, columns: CsvColumn<T>[], batches: AsyncIterable<T[]>): Promise<void> {
  return streamPieces(res, () => {
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  }, csvPieces(columns, batches));
}

/** The records of a CSV text (RFC 4180: quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { record.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}
