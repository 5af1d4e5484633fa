import type { FieldInfo } from "../client/fields";
import type { OdooClient } from "../client/odoo-client";
import { closest, unknownPaths } from "../internal/check";
import type { CheckFailure } from "../internal/failure";
import { same } from "../internal/diff";
import { resolveXmlId } from "../internal/xmlid";
import { fieldType } from "./field-types";
import { isRef } from "./refs";

// The value layer: field values as programs write them (Record's values, Settings' values), checked
// against fields_get at preview, translated to what Odoo's write takes, and Odoo's answers turned
// back into the shapes the program wrote. What each field type accepts is field-types.ts's table.

export { fieldType, FIELD_TYPES, referenceProblem } from "./field-types";
export { isRef, type OdooRef, ref } from "./refs";

/**
 * Why `name` cannot be a field of `model` (with the closest name), or undefined when it is one, or
 * may become one: a custom field (x_…) of this program may not exist in Odoo yet at preview.
 */
export function unknownField(model: string, name: string, fields: Record<string, FieldInfo>): string | undefined {
  if (fields[name] || name.startsWith("x_")) return undefined;
  const suggestion = closest(name, Object.keys(fields));
  return `'${name}' is not a field of ${model}${suggestion ? `: did you mean '${suggestion}'?` : ""}`;
}

/** Preview-time checks of each declared value against the field it targets. */
export function checkValues(model: string, values: Record<string, unknown>, fields: Record<string, FieldInfo>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [name, value] of Object.entries(values)) {
    const property = `values.${name}`;
    const field = fields[name];
    if (!field) {
      const reason = unknownField(model, name, fields);
      if (reason) failures.push({ property, reason });
      continue;
    }
    if (unknownPaths(value).length) continue;
    const problem = fieldType(field.type).problem(field, value);
    if (problem) failures.push({ property, reason: problem });
  }
  return failures;
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

/** The values as Odoo's write takes them: references resolved, a list (many2many) as a set command. */
export async function toOdoo(
  client: OdooClient,
  values: Record<string, unknown>,
  fields: Record<string, FieldInfo> | undefined,
): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const resolve = (v: unknown) => (isRef(v) ? resolveXmlId(client, v.__odooRef) : v);
  for (const [name, value] of Object.entries(values)) {
    const type = fields?.[name]?.type;
    // A field fields_get does not know yet (made by this program) is taken for a many2many when given a list.
    if (Array.isArray(value) && (type === undefined || fieldType(type).setCommand)) {
      result[name] = [[6, 0, await Promise.all(value.map(resolve))]];
    } else {
      result[name] = value === null ? false : await resolve(value);
    }
  }
  return result;
}

/** A written value as `read` (with load: null) answers it: a set command becomes its ids. */
export function storedForm(value: unknown): unknown {
  if (Array.isArray(value) && Array.isArray(value[0]) && value[0][0] === 6) return value[0][2];
  return value;
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
