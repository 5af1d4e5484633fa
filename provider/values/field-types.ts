import { isUnknown } from "../internal/check";
import { XMLID_PATTERN } from "../internal/xmlid";
import type { FieldInfo } from "../client/fields";
import { isRef } from "./refs";

// What this provider knows of Odoo's field types, in one table: which values each accepts (checked
// at preview), whether Odoo may store a value otherwise than it was written (then it is read back),
// whether a stored value is found again by `=` (to settle a create whose answer was lost), and how
// a value is written.

export interface FieldType {
  /** Why `value` cannot be written to `field` (a sentence after "values.<name>"), or undefined. */
  problem(field: FieldInfo, value: unknown): string | undefined;
  /** Odoo may store a value otherwise than written (html sanitised, floats rounded, binaries re-encoded). */
  normalised: boolean;
  /** A stored value equals the written one, so a search with `=` finds the record by it. */
  searchable: boolean;
  /** Written as a set command ([[6, 0, ids]]): the full set replaces what Odoo holds. */
  setCommand?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const unset = (value: unknown) => value === false || value === null;
const isId = (value: unknown) => (typeof value === "number" && Number.isInteger(value) && value > 0) || isRef(value) || isUnknown(value);

const text = (type: string, normalised: boolean): FieldType => ({
  problem: (_field, value) => (unset(value) || typeof value === "string" ? undefined : `must be a string (a ${type} field), or false to leave it empty`),
  normalised,
  searchable: !normalised,
});

const number = (type: string): FieldType => ({
  problem: (_field, value) => (typeof value === "number" && Number.isFinite(value) ? undefined : `must be a number (a ${type} field)`),
  normalised: true,
  searchable: false,
});

/** Types whose values are not checked (Odoo judges them): stored as written or not, as said. */
const unchecked = (normalised: boolean): FieldType => ({ problem: () => undefined, normalised, searchable: false });

export const FIELD_TYPES: Record<string, FieldType> = {
  char: text("char", false),
  text: text("text", false),
  html: text("html", true),
  integer: {
    problem: (_field, value) => (Number.isInteger(value) ? undefined : "must be a whole number (an integer field)"),
    normalised: false,
    searchable: true,
  },
  float: number("float"),
  monetary: number("monetary"),
  boolean: {
    problem: (_field, value) => (typeof value === "boolean" ? undefined : "must be true or false (a boolean field)"),
    normalised: false,
    searchable: true,
  },
  date: {
    problem: (_field, value) =>
      unset(value) || (typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value)))
        ? undefined
        : "must be a date as YYYY-MM-DD (Odoo's format), e.g. 2026-01-31",
    normalised: false,
    searchable: true,
  },
  datetime: {
    problem: (_field, value) =>
      unset(value) || (typeof value === "string" && DATETIME.test(value) && !Number.isNaN(Date.parse(value.replace(" ", "T") + "Z")))
        ? undefined
        : "must be a UTC date and time as YYYY-MM-DD HH:MM:SS (Odoo's format), e.g. 2026-01-31 12:34:56",
    normalised: false,
    searchable: true,
  },
  selection: {
    problem: (field, value) => {
      const options = (field.selection ?? []).map(([key]) => key);
      return unset(value) || options.includes(value as string) ? undefined : `must be one of ${options.map((o) => `'${o}'`).join(", ")}`;
    },
    normalised: false,
    searchable: true,
  },
  many2one: {
    problem: (field, value) => {
      if (isRef(value) && !XMLID_PATTERN.test(value.__odooRef)) return `'${value.__odooRef}' is not an external id (module.name)`;
      return unset(value) || isId(value) ? undefined : `must be the id of a ${field.relation} record, odoo.ref("module.name"), or false`;
    },
    normalised: false,
    searchable: true,
  },
  many2many: {
    problem: (field, value) =>
      Array.isArray(value) && value.every(isId) ? undefined : `must be a list of ${field.relation} ids (or odoo.ref(...)): the full set`,
    normalised: false,
    searchable: false,
    setCommand: true,
  },
  one2many: {
    problem: (field) => `is a one2many: declare the ${field.relation} records as Records of their own, with their many2one pointing here`,
    normalised: false,
    searchable: false,
  },
  reference: { problem: (field, value) => referenceProblem(field, value), normalised: true, searchable: false },
  binary: unchecked(true),
  json: unchecked(true),
  properties: unchecked(true),
  properties_definition: unchecked(true),
  many2one_reference: unchecked(true),
};

/** A type this table does not know: checked by Odoo alone, and read back. */
const UNKNOWN_TYPE = unchecked(true);

/** The type's knowledge (UNKNOWN_TYPE for one this table does not know). */
export function fieldType(type: string | undefined): FieldType {
  return (type !== undefined && FIELD_TYPES[type]) || UNKNOWN_TYPE;
}

/** A reference field's value: "model,id", where the field accepts that model. */
export function referenceProblem(field: FieldInfo, value: unknown): string | undefined {
  if (unset(value)) return undefined;
  const models = (field.selection ?? []).map(([key]) => key);
  const match = typeof value === "string" ? /^([a-z][a-z0-9_.]*),([1-9]\d*)$/.exec(value) : null;
  if (!match)
    return `must be "model,id", such as "${models[0] ?? "res.partner"},7" (a reference field; pulumi.interpolate builds it from a Record's recordId), or false`;
  if (models.length && !models.includes(match[1]))
    return `'${match[1]}' is not a model this reference accepts: one of ${models.map((m) => `'${m}'`).join(", ")}`;
  return undefined;
}
