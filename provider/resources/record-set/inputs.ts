import { z } from "zod";
import type { FieldInfo } from "../../client/fields";
import { fieldsOf } from "../../client/fields";
import { clientFor } from "../../config";
import { isUnknown, unknownPaths } from "../../internal/check";
import { connectionSchema } from "../../internal/connection-schema";
import type { CheckFailure } from "../../internal/failure";
import { canAskServer, connectionFailure } from "../../internal/server-check";
import { XMLID_PATTERN } from "../../internal/xmlid";
import { checkValues, fieldType, isRef } from "../../values";
import { CSV_SOURCE, type CsvSource } from "../../values/csv";

// A RecordSet's properties: their rules, and what only the server can judge (every row's values
// against fields_get, as Record's; cells of a CSV file turned into numbers and booleans).

/** Failures said one by one before the rest are counted: a wrong column fails every row. */
const FAILURES_SAID = 20;

/** @internal What check accepts (zod: kept out of the published types, see tsconfig.json). */
export function inputsSchema() {
  const fieldName = z.string().regex(/^[a-z_][a-z0-9_]*$/, "field names are lowercase letters, digits and underscores");
  return z.strictObject({
    model: z.string().regex(/^[a-z][a-z0-9_.]*$/, "must be a model's technical name such as 'res.partner.category'"),
    // Keys are judged by the rules (zod says only "Invalid key in record").
    records: z.record(z.string(), z.record(fieldName, z.unknown())),
    onDelete: z.enum(["unlink", "archive", "keep"], { error: "must be one of unlink, archive, keep" }).default("unlink"),
    adoptIds: z
      .strictObject({
        database: z.string().min(1, "must be the uuid of the database the ids are of (its database.uuid parameter)"),
        ids: z.record(z.string(), z.number().int().positive("must be a record id")),
      })
      .optional(),
    connection: connectionSchema(),
  });
}

/** @internal */
export type RecordSetInputs = z.infer<ReturnType<typeof inputsSchema>>;

/** @internal */
export interface RecordSetOutputs extends RecordSetInputs {
  /** Each row's record id, by external id. */
  ids: Record<string, number>;
  /** Per row, the values Odoo stores otherwise than they were written (html, rounded numbers), as read right after the apply. Secret. */
  applied: Record<string, Record<string, unknown>>;
}

export const replaceOn = ["model"] as const;

/** A row's property as check failures name it: records["acme.tag_vip"].name. */
export function rowProperty(xmlId: string, field?: string): string {
  return `records["${xmlId}"]${field ? `.${field}` : ""}`;
}

/** Takes the CSV source out of the records (a RecordSet given odoo.csv(…)), if there is one. */
export function takeSource(news: Record<string, unknown>): CsvSource | undefined {
  const records = news.records as Record<string, unknown> | undefined;
  if (!records || typeof records !== "object" || !(CSV_SOURCE in records)) return undefined;
  const { [CSV_SOURCE]: source, ...rows } = records;
  news.records = rows;
  return source as CsvSource;
}

/** The rules beyond the schema: rows that name each other in a circle, then the server's judgement. */
export function serverRules(source: CsvSource | undefined) {
  return async (args: RecordSetInputs): Promise<CheckFailure[]> => {
    if (source?.error) return [{ property: "records", reason: source.error }];
    const badKeys = Object.keys(args.records).filter((key) => !XMLID_PATTERN.test(key));
    if (badKeys.length)
      return counted(badKeys.map((key) => ({ property: `records.${key}`, reason: "each key must be an external id as module.name, e.g. 'acme.tag_vip'" })));
    const strays = Object.keys(args.adoptIds?.ids ?? {}).filter((key) => !(key in args.records));
    if (strays.length) return counted(strays.map((key) => ({ property: `adoptIds.ids["${key}"]`, reason: "names no row of records" })));
    const circles = circlesIn(args.records);
    if (circles.length) return circles;
    const refused = await connectionFailure(args.connection);
    if (refused) return [refused];
    if (!canAskServer(args.connection) || isUnknown(args.model)) return [];
    const fields = await fieldsOf(clientFor(args.connection), args.model).catch(() => null);
    if (fields === undefined) return [{ property: "model", reason: `'${args.model}' is not a model of this database` }];
    if (!fields) return [];
    const failures: CheckFailure[] = [];
    if (args.onDelete === "archive" && !fields.active) {
      failures.push({ property: "onDelete", reason: `'archive' needs an active field, and ${args.model} has none: use unlink or keep` });
    }
    for (const [xmlId, row] of Object.entries(args.records)) {
      const where = source ? ` (${source.file} line ${source.lines[xmlId]})` : "";
      const refused = source ? coerceCells(row, fields) : [];
      failures.push(...refused.map((f) => ({ property: rowProperty(xmlId, f.property), reason: f.reason + where })));
      const judged = Object.fromEntries(Object.entries(row).filter(([name]) => !refused.some((f) => f.property === name)));
      for (const failure of checkValues(args.model, judged, fields)) {
        failures.push({ property: rowProperty(xmlId, failure.property.slice("values.".length)), reason: failure.reason + where });
      }
    }
    return counted(failures);
  };
}

/** The first failures, and how many more there are. */
function counted(failures: CheckFailure[]): CheckFailure[] {
  if (failures.length <= FAILURES_SAID) return failures;
  const rest = failures.length - FAILURES_SAID;
  return [...failures.slice(0, FAILURES_SAID), { property: "records", reason: `${rest} more value${rest > 1 ? "s" : ""} refused as above` }];
}

/**
 * Cells of a CSV file are text: turned, in place, into what the field takes (numbers, booleans; a
 * single reference in a many2many column into a list). What cannot be turned is refused.
 */
function coerceCells(row: Record<string, unknown>, fields: Record<string, FieldInfo>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [name, cell] of Object.entries(row)) {
    const field = fields[name];
    if (!field || cell === null || unknownPaths(cell).length) continue;
    if (isRef(cell) && fieldType(field.type).setCommand) row[name] = [cell];
    if (typeof cell !== "string") continue;
    const number = Number(cell);
    switch (field.type) {
      case "integer":
      case "float":
      case "monetary":
        if (cell.trim() === "" || !Number.isFinite(number) || (field.type === "integer" && !Number.isInteger(number))) {
          failures.push({ property: name, reason: `'${cell}' is not ${field.type === "integer" ? "a whole number" : "a number"}` });
        } else row[name] = number;
        break;
      case "boolean":
        if (/^(1|true|yes)$/i.test(cell)) row[name] = true;
        else if (/^(0|false|no)$/i.test(cell)) row[name] = false;
        else failures.push({ property: name, reason: `'${cell}' is not a boolean (true, false, 1 or 0)` });
        break;
      case "many2one":
      case "many2many":
      case "one2many":
        if (field.type === "many2one" && /^\d+$/.test(cell)) row[name] = number;
        else failures.push({ property: name, reason: `a ${field.type} is named by external id in CSV: a column '${name}/id'` });
        break;
    }
  }
  return failures;
}

/** Rows whose references to each other run in a circle: Odoo cannot make them in one go. */
function circlesIn(records: Record<string, Record<string, unknown>>): CheckFailure[] {
  const state = new Map<string, "visiting" | "done">();
  const failures: CheckFailure[] = [];
  const visit = (xmlId: string, path: string[]): void => {
    if (state.get(xmlId) === "done") return;
    if (state.get(xmlId) === "visiting") {
      const circle = [...path.slice(path.indexOf(xmlId)), xmlId];
      failures.push({
        property: rowProperty(circle[0]),
        reason: `its rows name each other in a circle (${circle.join(" → ")}): Odoo cannot make them in one go`,
      });
      return;
    }
    state.set(xmlId, "visiting");
    for (const target of inSetRefs(records, xmlId)) visit(target, [...path, xmlId]);
    state.set(xmlId, "done");
  };
  for (const xmlId of Object.keys(records)) visit(xmlId, []);
  return failures.slice(0, 1);
}

/** The rows of the set that row `xmlId` names with odoo.ref. */
export function inSetRefs(records: Record<string, Record<string, unknown>>, xmlId: string): string[] {
  const named = Object.values(records[xmlId] ?? {}).flatMap((value) => (Array.isArray(value) ? value : [value]));
  return named
    .filter(isRef)
    .map((r) => r.__odooRef)
    .filter((target) => target in records);
}
