/** Arrow IPC file read/write with atomic replacement and the `bench.*` schema metadata. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataType, Dictionary, Field, Schema, Table, tableFromIPC, tableToIPC, Vector } from 'apache-arrow';
import type { ColumnRole } from './schemas.js';

/** Builds a table from named columns and tags it with its name and column roles. */
export function makeTaggedTable(
  name: string,
  columns: Record<string, Vector>,
  roles: Record<string, ColumnRole>,
): Table {
  const plain = new Table(columns);
  const meta = new Map([
    ['bench.table', name],
    ['bench.roles', JSON.stringify(roles)],
  ]);
  return new Table(new Schema(plain.schema.fields, meta), plain.batches);
}

/** Column roles recorded by {@link makeTaggedTable}; empty when the file has none. */
export function columnRoles(table: Table): Record<string, ColumnRole> {
  const raw = table.schema.metadata.get('bench.roles');
  return raw ? (JSON.parse(raw) as Record<string, ColumnRole>) : {};
}

/**
 * The same table with its dictionaries numbered 0, 1, ... in column order. apache-arrow takes
 * dictionary ids from a process-wide counter, so the same rows written alone or after 80 other
 * tables would differ byte-wise, and a byte-identical rerun could not cut off its dependents.
 */
export function withStableDictionaries(table: Table): Table {
  if (!table.schema.fields.some((f) => DataType.isDictionary(f.type))) return table;
  let next = 0;
  const columns: Record<string, Vector> = {};
  const fields: Field[] = [];
  for (const [i, f] of table.schema.fields.entries()) {
    const column = table.getChildAt(i) as Vector;
    if (DataType.isDictionary(f.type)) {
      const type = new Dictionary(f.type.dictionary, f.type.indices, next++, f.type.isOrdered);
      columns[f.name] = new Vector(column.data.map((d) => d.clone(type)));
      fields.push(new Field(f.name, type, f.nullable, f.metadata));
    } else {
      columns[f.name] = column;
      fields.push(f);
    }
  }
  return new Table(new Schema(fields, table.schema.metadata), new Table(columns).batches);
}

/**
 * Writes `table` as an Arrow IPC file; a temp file is renamed into place so readers never see half
 * a file. Equal tables give equal bytes, whatever else the process wrote before.
 */
export async function writeArrowFile(path: string, table: Table): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, tableToIPC(withStableDictionaries(table), 'file'));
  await rename(tmp, path);
}

/** Reads an Arrow IPC file (or stream) into a table. */
export async function readArrowFile(path: string): Promise<Table> {
  return tableFromIPC(await readFile(path));
}
