/** Arrow IPC file read/write with atomic replacement and the `bench.*` schema metadata. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Schema, Table, tableFromIPC, tableToIPC, type Vector } from 'apache-arrow';
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

/** Writes `table` as an Arrow IPC file; a temp file is renamed into place so readers never see half a file. */
export async function writeArrowFile(path: string, table: Table): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, tableToIPC(table, 'file'));
  await rename(tmp, path);
}

/** Reads an Arrow IPC file (or stream) into a table. */
export async function readArrowFile(path: string): Promise<Table> {
  return tableFromIPC(await readFile(path));
}
