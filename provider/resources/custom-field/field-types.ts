// The field types a CustomField can have, apart from its schema: the package's public types
// name them, and must not reach zod's (see stripInternal in tsconfig.json).

/** Every type a CustomField can be (Odoo's `ttype`). */
export const FIELD_TYPES = [
  "binary",
  "boolean",
  "char",
  "date",
  "datetime",
  "float",
  "html",
  "integer",
  "json",
  "many2many",
  "many2one",
  "many2one_reference",
  "monetary",
  "one2many",
  "properties",
  "properties_definition",
  "reference",
  "selection",
  "text",
] as const;
/** One of FIELD_TYPES. */
export type FieldType = (typeof FIELD_TYPES)[number];
