/** Exports a results table as CSV, JSON (array of row objects) or Parquet, for pandas and spreadsheets. */
import { tableToIPC, type Table } from 'apache-arrow';

/** Formats `bench results` can write. */
export type ExportFormat = 'csv' | 'json' | 'parquet';

/** Every supported format, for argument checking. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'parquet'];

/** Plain JS values of one cell: nulls and non-finite numbers become null, since JSON and CSV cannot carry NaN. */
function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

function rowsOf(table: Table): Record<string, ReturnType<typeof cell>>[] {
  const names = table.schema.fields.map((f) => f.name);
  const out: Record<string, ReturnType<typeof cell>>[] = [];
  for (const row of table) {
    const r = row.toJSON() as Record<string, unknown>;
    out.push(Object.fromEntries(names.map((n) => [n, cell(r[n])])));
  }
  return out;
}

/** RFC 4180 quoting: only when the field needs it. */
function csvField(v: ReturnType<typeof cell>): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Serialises `table` in `format`. */
export async function exportTable(table: Table, format: ExportFormat): Promise<Uint8Array> {
  switch (format) {
    case 'csv': {
      const names = table.schema.fields.map((f) => f.name);
      const lines = [names.map(csvField).join(',')];
      for (const r of rowsOf(table)) lines.push(names.map((n) => csvField(r[n] ?? null)).join(','));
      return new TextEncoder().encode(`${lines.join('\n')}\n`);
    }
    case 'json':
      return new TextEncoder().encode(`${JSON.stringify(rowsOf(table), null, 1)}\n`);
    case 'parquet': {
      // Loaded lazily: the WebAssembly module is only needed for this format.
      const pq = await import('parquet-wasm/node');
      const wasmTable = pq.Table.fromIPCStream(tableToIPC(table, 'stream'));
      return pq.writeParquet(wasmTable);
    }
    default:
      return unreachable(format);
  }
}

function unreachable(x: never): never {
  throw new Error(`unhandled export format ${String(x)}`);
}
