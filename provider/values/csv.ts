import { readFileSync } from "node:fs";
import { XMLID_PATTERN } from "../internal/xmlid";
import { type OdooRef, ref } from "./refs";

// Odoo's CSV data files (a module's data/*.csv, as `load` and module installs read them), as a
// RecordSet's records: an `id` column with each row's external id, one column per field, and
// `field/id` columns naming other records by external id (a many2many: several, comma-separated).
// Cells stay text here: the RecordSet's check turns them into numbers and booleans by the field's
// type, which only the server knows.

/** A CSV cell as RecordSet takes it: text, null for an empty cell, or references from a `/id` column. */
export type CsvValue = string | null | OdooRef | OdooRef[];

/** Where a RecordSet's records came from, kept beside them so that check can name the file and line. */
export interface CsvSource {
  file: string;
  /** Each row's line in the file, by external id. */
  lines: Record<string, number>;
  /** Why the file could not be read, with its line: check refuses the RecordSet with it. */
  error?: string;
}

/** The key of the source in the records object: not an external id, so no row can have it. */
export const CSV_SOURCE = "__csv__";

export interface CsvOptions {
  /** The module of external ids written without one (`tag_vip` → `acme.tag_vip`), as a module's own data files write them. */
  module?: string;
}

/**
 * Reads an Odoo CSV data file as a RecordSet's `records`: `odoo.csv("data/res.partner.category.csv")`.
 * A file that cannot be read or parsed, a row without an id or a duplicate id fails the RecordSet's
 * preview, naming the file and line.
 */
export function csv(file: string, options: CsvOptions = {}): Record<string, Record<string, CsvValue>> {
  const source: CsvSource = { file, lines: {} };
  const records: Record<string, Record<string, CsvValue>> = {};
  const fail = (line: number | undefined, why: string) => {
    source.error = `${file}${line ? ` line ${line}` : ""}: ${why}`;
    return { [CSV_SOURCE]: source as never };
  };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return fail(undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parseCsv(text.replace(/^\uFEFF/, ""));
  if ("error" in parsed) return fail(parsed.line, parsed.error);
  const [first, ...rows] = parsed.rows;
  const header = first?.cells;
  if (!header || !header.includes("id")) return fail(1, "has no 'id' column (each row's external id, as in Odoo's data files)");
  for (const { cells, line } of rows) {
    if (cells.length === 1 && cells[0] === "") continue;
    if (cells.length !== header.length) return fail(line, `has ${cells.length} cells where the header has ${header.length}`);
    const row: Record<string, CsvValue> = {};
    let xmlId = "";
    header.forEach((column, i) => {
      const cell = cells[i];
      if (column === "id") xmlId = cell.includes(".") || !options.module ? cell : `${options.module}.${cell}`;
      else if (column.endsWith("/id")) row[column.slice(0, -3)] = refsOf(cell, options.module);
      else row[column] = cell === "" ? null : cell;
    });
    if (!xmlId) return fail(line, "has no external id in its 'id' column");
    if (!XMLID_PATTERN.test(xmlId)) return fail(line, `'${xmlId}' is not an external id as module.name (give csv() { module } for ids without one)`);
    if (records[xmlId]) return fail(line, `'${xmlId}' is already the id of line ${source.lines[xmlId]}`);
    records[xmlId] = row;
    source.lines[xmlId] = line;
  }
  return { ...records, [CSV_SOURCE]: source as never };
}

/** A `/id` cell: one reference, several (comma-separated: a many2many), or null when empty. */
function refsOf(cell: string, module: string | undefined): CsvValue {
  const ids = cell
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean)
    .map((id) => ref(id.includes(".") || !module ? id : `${module}.${id}`));
  if (!ids.length) return null;
  return ids.length === 1 && !cell.includes(",") ? ids[0] : ids;
}

/** RFC 4180 with Odoo's habits: a comma separator, double quotes, quotes doubled inside, newlines in quotes. */
function parseCsv(text: string): { rows: { cells: string[]; line: number }[] } | { error: string; line: number } {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
    } else if (c === '"') {
      if (cell !== "") return { error: "has a quote inside an unquoted cell", line };
      quoted = true;
    } else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      cells.push(cell);
      rows.push({ cells, line: rowLine });
      cells = [];
      cell = "";
      rowLine = ++line;
    } else cell += c;
  }
  if (quoted) return { error: "has a quote that is never closed", line: rowLine };
  if (cell !== "" || cells.length) {
    cells.push(cell);
    rows.push({ cells, line: rowLine });
  }
  return { rows };
}
