import { isOdooError } from "../../client/errors";
import type { OdooClient } from "../../client/odoo-client";
import { type CheckFailure, closest, isUnknown, unknownPaths } from "../../internal/check";
import { same } from "../../internal/diff";
import { resolveXmlId, XMLID_PATTERN } from "../../internal/xmlid";

// A Record's `values`: checked against the model's fields_get at preview, references resolved at
// apply time, and Odoo's answers turned back into the shapes the program wrote.

/** A many2one (or many2many item) given by external id, resolved when the resource is applied. */
export interface OdooRef {
  __odooRef: string;
}

export function ref(xmlId: string): OdooRef {
  return { __odooRef: xmlId };
}

export function isRef(value: unknown): value is OdooRef {
  return !!value && typeof value === "object" && typeof (value as OdooRef).__odooRef === "string";
}

export interface FieldInfo {
  type: string;
  string?: string;
  readonly?: boolean;
  relation?: string;
  selection?: [string, string][];
}

const fieldsCache = new Map<string, Promise<Record<string, FieldInfo> | undefined>>();

/** The model's fields, or undefined when the model does not exist (yet). Cached for the process. */
export function fieldsOf(client: OdooClient, model: string): Promise<Record<string, FieldInfo> | undefined> {
  const key = `${client.connection.url}\u0000${client.connection.database}\u0000${model}`;
  let fields = fieldsCache.get(key);
  if (!fields) {
    fields = client
      .call<Record<string, FieldInfo>>(model, "fields_get", { attributes: ["type", "string", "readonly", "relation", "selection"] })
      .catch((error) => {
        fieldsCache.delete(key);
        if (isOdooError(error, "ODOO_NOT_FOUND", "ODOO_USER_ERROR")) return undefined;
        throw error;
      });
    fieldsCache.set(key, fields);
  }
  return fields;
}

/** Forgets the fields of every model of this server and database: a module operation changes them. */
export function forgetFields(client: OdooClient): void {
  const prefix = `${client.connection.url}\u0000${client.connection.database}\u0000`;
  for (const key of [...fieldsCache.keys()]) if (key.startsWith(prefix)) fieldsCache.delete(key);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Preview-time checks of each declared value against the field it targets. */
export function checkValues(model: string, values: Record<string, unknown>, fields: Record<string, FieldInfo>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [name, value] of Object.entries(values)) {
    const property = `values.${name}`;
    const field = fields[name];
    if (!field) {
      // A custom field of this program may not exist in Odoo yet at preview.
      if (name.startsWith("x_")) continue;
      const suggestion = closest(name, Object.keys(fields));
      failures.push({ property, reason: `'${name}' is not a field of ${model}${suggestion ? `: did you mean '${suggestion}'?` : ""}` });
      continue;
    }
    if (unknownPaths(value).length) continue;
    const problem = valueProblem(field, value);
    if (problem) failures.push({ property, reason: problem });
  }
  return failures;
}

function valueProblem(field: FieldInfo, value: unknown): string | undefined {
  const unset = value === false || value === null;
  const id = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v > 0) || isRef(v) || isUnknown(v);
  switch (field.type) {
    case "char":
    case "text":
    case "html":
      return unset || typeof value === "string" ? undefined : `must be a string (a ${field.type} field), or false to leave it empty`;
    case "integer":
      return Number.isInteger(value) ? undefined : "must be a whole number (an integer field)";
    case "float":
    case "monetary":
      return typeof value === "number" && Number.isFinite(value) ? undefined : `must be a number (a ${field.type} field)`;
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be true or false (a boolean field)";
    case "date":
      return unset || (typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value))) ? undefined : "must be a date as YYYY-MM-DD (Odoo's format), e.g. 2026-01-31";
    case "datetime":
      return unset || (typeof value === "string" && DATETIME.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T") + "Z")))
        ? undefined
        : "must be a UTC date and time as YYYY-MM-DD HH:MM:SS (Odoo's format), e.g. 2026-01-31 12:34:56";
    case "selection": {
      const options = (field.selection ?? []).map(([key]) => key);
      return unset || options.includes(value as string) ? undefined : `must be one of ${options.map((o) => `'${o}'`).join(", ")}`;
    }
    case "many2one":
      if (isRef(value) && !XMLID_PATTERN.test(value.__odooRef)) return `'${value.__odooRef}' is not an external id (module.name)`;
      return unset || id(value) ? undefined : `must be the id of a ${field.relation} record, odoo.ref("module.name"), or false`;
    case "many2many":
      return Array.isArray(value) && value.every(id) ? undefined : `must be a list of ${field.relation} ids (or odoo.ref(...)): the full set`;
    case "reference":
      return referenceProblem(field, value);
    case "one2many":
      return `is a one2many: declare the ${field.relation} records as Records of their own, with their many2one pointing here`;
  }
  return undefined;
}

/**
 * The values with every odoo.ref that resolves now replaced by its record's id: what the state
 * holds and the `values` output shows. A ref that does not resolve yet (its record is made by the
 * same program) stays a ref until it is applied.
 */
export async function resolveRefs(client: OdooClient, values: Record<string, unknown>): Promise<Record<string, unknown>> {
  const resolve = (v: unknown) => (isRef(v) ? resolveXmlId(client, v.__odooRef).catch(() => v) : v);
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) result[name] = Array.isArray(value) ? await Promise.all(value.map(resolve)) : await resolve(value);
  return result;
}

/** The values as Odoo's write takes them: references resolved, many2many as a set command. */
export async function toOdoo(client: OdooClient, values: Record<string, unknown>, fields: Record<string, FieldInfo> | undefined): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const resolve = (v: unknown) => (isRef(v) ? resolveXmlId(client, v.__odooRef) : v);
  for (const [name, value] of Object.entries(values)) {
    const type = fields?.[name]?.type;
    if (Array.isArray(value) && (type === "many2many" || type === undefined)) {
      result[name] = [[6, 0, await Promise.all(value.map(resolve))]];
    } else {
      result[name] = value === null ? false : await resolve(value);
    }
  }
  return result;
}

/**
 * What Odoo holds, in the program's shapes. `applied` is what Odoo held right after our last write:
 * a value still equal to it is reported as declared (Odoo's own normalisation, such as html
 * sanitising or monetary rounding, is not drift); anything else is reported as it is now.
 */
export function fromOdoo(declared: Record<string, unknown>, row: Record<string, unknown>, applied: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(declared)) {
    const now = row[name];
    const unchanged = name in applied && (same(applied[name], now) || sameSet(applied[name], now));
    result[name] = unchanged ? value : now === undefined ? null : now;
  }
  return result;
}

/** many2many ids come back in Odoo's order: compare them as sets. */
function sameSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  const byNumber = (x: unknown, y: unknown) => Number(x) - Number(y);
  return same([...a].sort(byNumber), [...b].sort(byNumber));
}

/** A reference field's value: "model,id", where the field accepts that model. */
export function referenceProblem(field: FieldInfo, value: unknown): string | undefined {
  if (value === false || value === null) return undefined;
  const models = (field.selection ?? []).map(([key]) => key);
  const match = typeof value === "string" ? /^([a-z][a-z0-9_.]*),([1-9]\d*)$/.exec(value) : null;
  if (!match) return `must be "model,id", such as "${models[0] ?? "res.partner"},7" (a reference field; pulumi.interpolate builds it from a Record's recordId), or false`;
  if (models.length && !models.includes(match[1])) return `'${match[1]}' is not a model this reference accepts: one of ${models.map((m) => `'${m}'`).join(", ")}`;
  return undefined;
}
