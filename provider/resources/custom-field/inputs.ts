import { z } from "zod";
import type { OdooClient } from "../../client/odoo-client";
import type { CheckFailure } from "../../internal/failure";
import { connectionSchema } from "../../internal/connection-schema";
import { XMLID_PATTERN } from "../../internal/xmlid";
import { FIELD_TYPES, type FieldType } from "./field-types";

export { FIELD_TYPES, type FieldType };

// What a CustomField accepts: its properties' rules, the rules of their combinations, and what the
// server's version allows (checked at preview).

const RELATIONAL = ["many2one", "one2many", "many2many"];

export function inputsSchema() {
  return z.strictObject({
    model: z.string().regex(/^[a-z][a-z0-9_.]*$/, "must be a model's technical name such as 'res.partner' or 'x_library_book'"),
    name: z
      .string()
      .startsWith("x_", "must start with 'x_' (Odoo's rule for custom fields), e.g. 'x_isbn'")
      .regex(/^[a-z0-9_]+$/, "may only hold lowercase letters, digits and underscores (Odoo's rule)")
      .max(63, "may be at most 63 characters long (Odoo's rule)")
      .min(3, "needs a name after 'x_'"),
    type: z.enum(FIELD_TYPES, { error: `must be one of ${FIELD_TYPES.join(", ")}` }),
    label: z.string().trim().min(1, "must not be empty").optional(),
    required: z.boolean().default(false),
    readonly: z.boolean().default(false),
    index: z.boolean().default(false),
    copied: z.boolean().optional(),
    translate: z.boolean().default(false),
    help: z.string().min(1, "must not be empty (leave it out instead)").optional(),
    size: z.number().int("must be a whole number").positive("must be positive").optional(),
    selection: z
      .array(z.strictObject({ value: z.string().min(1, "must not be empty"), label: z.string().min(1, "must not be empty") }))
      .min(1, "needs at least one option")
      .refine((options) => new Set(options.map((o) => o.value)).size === options.length, "has the same value twice")
      .optional(),
    relation: z
      .string()
      .regex(/^[a-z][a-z0-9_.]*$/, "must be a model's technical name such as 'res.partner'")
      .optional(),
    relationField: z.string().min(1).optional(),
    relationTable: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, "must be a table name: lowercase letters, digits and underscores")
      .optional(),
    column1: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, "must be a column name")
      .optional(),
    column2: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, "must be a column name")
      .optional(),
    onDelete: z.enum(["cascade", "set null", "restrict"], { error: "must be one of cascade, set null, restrict" }).optional(),
    currencyField: z.string().min(1).optional(),
    domain: z.string().min(1).optional(),
    groups: z.array(z.string().regex(XMLID_PATTERN, "must be a group's external id such as 'base.group_user'")).optional(),
    related: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$/, "must be a path of field names such as 'x_partner_id.email'")
      .optional(),
    compute: z.string().min(1).optional(),
    depends: z.string().min(1).optional(),
    store: z.boolean().optional(),
    adopt: z.boolean().default(false),
    connection: connectionSchema(),
  });
}

export type CustomFieldInputs = z.infer<ReturnType<typeof inputsSchema>>;

export interface CustomFieldOutputs extends CustomFieldInputs {
  fieldId: number;
  modelId: number;
}

/** Odoo refuses to change a field's model or type, and the many2many table is fixed at creation. */
export const replaceOn = ["model", "type", "relationTable", "column1", "column2"] as const;

/** Declared properties whose removal sends Odoo back to its default. */
export const REMOVABLE = [
  "label",
  "copied",
  "help",
  "size",
  "selection",
  "relation",
  "relationField",
  "onDelete",
  "currencyField",
  "domain",
  "groups",
  "related",
  "compute",
  "depends",
  "store",
] as const;

/** "a char field", "an integer field". */
function aField(type: string): string {
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type} field`;
}

export function combinationRules(f: CustomFieldInputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const only = (property: keyof CustomFieldInputs, types: string[], what: string) => {
    if (f[property] !== undefined && !types.includes(f.type)) failures.push({ property, reason: `only applies to ${what} fields, not to ${aField(f.type)}` });
  };
  if (RELATIONAL.includes(f.type) && !f.relation && !f.related) {
    failures.push({
      property: "relation",
      reason: `is required for ${aField(f.type)}: the comodel, such as 'res.partner' (without it Odoo makes no column at all)`,
    });
  }
  if (f.type === "one2many" && !f.relationField && !f.related) {
    failures.push({ property: "relationField", reason: "is required for a one2many field: the many2one on the comodel that points back here" });
  }
  if (f.type === "properties") {
    // Seen on a real Odoo 19: ir.model.fields cannot hold a properties field's definition_record,
    // and every create on the model then fails with "TypeError: tuple indices must be integers".
    failures.push({
      property: "type",
      reason:
        "'properties' cannot be made as a custom field: Odoo gives it no definition record, and every create on the model then fails; use 'json', or a module",
    });
  }
  if (f.type === "selection" && !f.selection && !f.related) {
    failures.push({ property: "selection", reason: "is required for a selection field: a list of {value, label} options" });
  }
  only("relation", RELATIONAL, "many2one, one2many and many2many");
  only("relationField", ["one2many"], "one2many");
  only("relationTable", ["many2many"], "many2many");
  only("column1", ["many2many"], "many2many");
  only("column2", ["many2many"], "many2many");
  only("onDelete", ["many2one"], "many2one");
  only("selection", ["selection", "reference"], "selection");
  only("size", ["char"], "char");
  only("currencyField", ["monetary"], "monetary");
  only("domain", RELATIONAL, "relational");
  if (f.translate && !["char", "text", "html"].includes(f.type)) {
    failures.push({ property: "translate", reason: `only applies to char, text and html fields, not to ${aField(f.type)}` });
  }
  if ((f.column1 || f.column2) && !f.relationTable) failures.push({ property: "relationTable", reason: "is required when column1 or column2 is given" });
  if (f.compute && !f.depends)
    failures.push({ property: "depends", reason: "is required with compute: the fields it is computed from, e.g. 'x_qty, x_price'" });
  if (f.related && f.compute) failures.push({ property: "compute", reason: "a field is either related or computed, not both" });
  return failures;
}

/**
 * Odoo 16's ir.model.fields has no currency_field: a custom monetary field there takes its model's
 * currency_id, or else its x_currency_id. 17 added the setting. Seen on real 16, 17, 18 and 19 servers.
 */
export async function hasCurrencyField(client: OdooClient): Promise<boolean> {
  return (await client.version()).major >= 17;
}

/** The currency fields Odoo 16 takes by itself: declaring one of them there is what it does anyway. */
const LEGACY_CURRENCY_FIELDS = [undefined, "currency_id", "x_currency_id"];

/** Whether the server cannot hold `currencyField` (Odoo 16, for another than those it takes by itself). */
export async function currencyFieldRefused(client: OdooClient, currencyField: string | undefined): Promise<boolean> {
  return !LEGACY_CURRENCY_FIELDS.includes(currencyField) && !(await hasCurrencyField(client));
}

export const NO_CURRENCY_FIELD =
  "can only be 'currency_id' or 'x_currency_id' on Odoo 16, which has no currency field setting: a monetary field there takes its model's currency_id, or else its x_currency_id; name the currency field so, or use Odoo 17 or newer";
