import { OdooError } from "../../client/errors";
import type { OdooClient } from "../../client/odoo-client";
import { compact } from "../../internal/resource";
import { fromPythonLiteral, type SelectionOption, toPythonLiteral } from "../../internal/selection";
import { resolveXmlId, xmlIdsOf } from "../../internal/xmlid";
import { combinationRules, currencyFieldRefused, type CustomFieldInputs, type CustomFieldOutputs, hasCurrencyField, NO_CURRENCY_FIELD } from "./inputs";

// A CustomField's way to Odoo and back: its properties as ir.model.fields values, the row read back
// in the properties' shapes, and what Odoo does to other rows that the user is told of.

export async function modelIdOf(client: OdooClient, model: string): Promise<number> {
  const [row] = await client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", model]], fields: ["id"], limit: 1 });
  if (!row)
    throw new OdooError("ODOO_NOT_FOUND", `model '${model}' does not exist in Odoo: check the name, or declare it as a CustomModel and pass its model output`);
  return row.id;
}

/** The ir.model.fields values for the declared properties (only the `changed` ones when given). */
export async function fieldValues(client: OdooClient, f: CustomFieldInputs, changed?: string[]): Promise<Record<string, unknown>> {
  const want = (key: keyof CustomFieldInputs) => (changed ? changed.includes(key) : f[key] !== undefined);
  const vals: Record<string, unknown> = {};
  if (want("name") && changed) vals.name = f.name;
  if (want("label") || !changed) vals.field_description = f.label ?? defaultLabel(f.name);
  for (const [key, odoo] of [
    ["required", "required"],
    ["readonly", "readonly"],
    ["index", "index"],
    ["translate", "translate"],
  ] as const) {
    if (want(key) || !changed) vals[odoo] = f[key];
  }
  const optional: [keyof CustomFieldInputs, string][] = [
    ["copied", "copied"],
    ["help", "help"],
    ["size", "size"],
    ["relation", "relation"],
    ["relationField", "relation_field"],
    ["relationTable", "relation_table"],
    ["column1", "column1"],
    ["column2", "column2"],
    ["onDelete", "on_delete"],
    ["currencyField", "currency_field"],
    ["domain", "domain"],
    ["related", "related"],
    ["compute", "compute"],
    ["depends", "depends"],
    ["store", "store"],
  ];
  if (await currencyFieldRefused(client, f.currencyField)) throw new OdooError("ODOO_VALIDATION", `currencyField ${NO_CURRENCY_FIELD}`);
  const currencyField = await hasCurrencyField(client);
  for (const [key, odoo] of optional) {
    if (!want(key) || (key === "currencyField" && !currencyField)) continue;
    // A property no longer declared goes back to Odoo's default.
    vals[odoo] =
      f[key] ??
      (key === "copied" ? !(f.type === "one2many" || f.related || f.compute) : key === "store" ? !f.related : key === "onDelete" ? "set null" : false);
  }
  if (want("selection") && f.selection) vals.selection = toPythonLiteral(f.selection);
  if (want("groups")) vals.groups = [[6, 0, await Promise.all((f.groups ?? []).map((g) => resolveXmlId(client, g, "res.groups")))]];
  return vals;
}

export async function mustReadOutputs(client: OdooClient, id: number, args: CustomFieldInputs): Promise<CustomFieldOutputs> {
  const outs = await readOutputs(client, id, args);
  if (!outs) throw new OdooError("ODOO_MISSING", `field '${args.model}.${args.name}' (ir.model.fields id ${id}) no longer exists in Odoo: run pulumi refresh`);
  return outs;
}

/** Every property of a field as Odoo holds it, in the inputs' shapes: what export writes, and readOutputs reports of. */
export interface HeldField {
  /** The properties Odoo always has a value for. */
  always: Pick<CustomFieldOutputs, "model" | "name" | "type" | "required" | "readonly" | "index" | "translate" | "fieldId" | "modelId">;
  /** The others, undefined where Odoo holds nothing (currencyField: where Odoo keeps none to read, 16). */
  optional: Partial<CustomFieldInputs>;
}

/** The field as Odoo holds it; undefined when it is gone. */
export async function readField(client: OdooClient, id: number): Promise<HeldField | undefined> {
  const [row] = await client.call<Record<string, any>[]>("ir.model.fields", "read", {
    ids: [id],
    fields: [
      "model",
      "model_id",
      "name",
      "ttype",
      "field_description",
      "required",
      "readonly",
      "index",
      "copied",
      "translate",
      "help",
      "size",
      "selection",
      "relation",
      "relation_field",
      "relation_table",
      "column1",
      "column2",
      "on_delete",
      "domain",
      "groups",
      "related",
      "compute",
      "depends",
      "store",
      ...((await hasCurrencyField(client)) ? ["currency_field"] : []),
    ],
    load: null,
  });
  if (!row) return undefined;
  const text = (value: unknown) => (value === false || value === "" ? undefined : (value as string));
  const groups = row.groups?.length ? [...(await xmlIdsOf(client, "res.groups", row.groups)).values()] : [];
  return {
    always: {
      model: row.model,
      name: row.name,
      type: row.ttype,
      required: row.required,
      readonly: row.readonly,
      index: row.index,
      // translate is a selection in Odoo 19 ("standard", "html_translate"…), a boolean before (facts §5).
      translate: row.translate !== false && row.translate !== undefined,
      fieldId: id,
      modelId: row.model_id,
    },
    optional: {
      label: row.field_description,
      copied: row.copied,
      help: text(row.help),
      size: row.size || undefined,
      selection: selectionOf(row.selection),
      relation: text(row.relation),
      relationField: text(row.relation_field),
      relationTable: text(row.relation_table),
      column1: text(row.column1),
      column2: text(row.column2),
      onDelete: text(row.on_delete) as CustomFieldInputs["onDelete"],
      currencyField: "currency_field" in row ? text(row.currency_field) : undefined,
      domain: text(row.domain),
      groups,
      related: text(row.related),
      compute: text(row.compute),
      depends: text(row.depends),
      store: row.store,
    },
  };
}

/** The field as Odoo holds it, for the declared properties, in the inputs' shapes. */
export async function readOutputs(client: OdooClient, id: number, args: CustomFieldInputs): Promise<CustomFieldOutputs | undefined> {
  const held = await readField(client, id);
  if (!held) return undefined;
  // Odoo 16 keeps no currency_field to read: the declared one (checked to be what 16 takes) stands.
  if (!(await hasCurrencyField(client))) held.optional.currencyField = args.currencyField;
  // Only what the program declares is reported: Odoo's defaults for the rest are not drift.
  const declared = Object.fromEntries(Object.entries(held.optional).filter(([key]) => args[key as keyof CustomFieldInputs] !== undefined));
  return compact({ ...args, ...declared, ...held.always }) as CustomFieldOutputs;
}

function selectionOf(value: string | false): SelectionOption[] | undefined {
  const options = fromPythonLiteral(value);
  return options.length ? options : undefined;
}

function defaultLabel(name: string): string {
  return name
    .replace(/^x_/, "")
    .replace(/_/g, " ")
    .replace(/\b\w/g, (c) => c.toUpperCase())
    .trim();
}

/** Odoo accepts `required` on a table with rows but cannot add NOT NULL there (facts §5): say so. */
export async function warnIfRequiredNotEnforced(client: OdooClient, f: CustomFieldInputs): Promise<void> {
  if (!f.required || f.type === "boolean") return;
  const count = await client.call<number>(f.model, "search_count", { domain: [[f.name, "=", false]] }).catch(() => 0);
  if (count > 0) {
    console.warn(
      `warning: ${f.model}.${f.name} is required, but ${count} existing record${count === 1 ? " has" : "s have"} no value: Odoo could not add the NOT NULL constraint, so it is not enforced in the database until they are filled`,
    );
  }
}

/**
 * Odoo 17 copies a res.partner field onto res.users (and other models that inherit it), but does
 * not rename the copy when the field is renamed: the old name stays on res.users, and Odoo refuses
 * to change or delete it through the API ("This column contains module data"). Seen on real 17 and
 * 18 (18 deletes the copy when the field is deleted); 19 renames the copy. The user is told, since
 * only Odoo itself can clear it.
 */
export async function warnOfStaleCopies(client: OdooClient, oldName: string, f: CustomFieldInputs): Promise<void> {
  const { major, version } = await client.version();
  if (major >= 19) return;
  const stale = await client.call<{ model: string }[]>("ir.model.fields", "search_read", {
    domain: [
      ["name", "=", oldName],
      ["state", "=", "base"],
      ["model", "!=", f.model],
    ],
    fields: ["model"],
  });
  for (const { model } of stale) {
    console.warn(
      `warning: Odoo ${version} did not rename the copy of ${f.model}.${oldName} on ${model}: '${model}.${oldName}' stays in ir.model.fields, and Odoo refuses to change or delete it through the API`,
    );
  }
}

/**
 * A field's properties as a person declares them: those Odoo holds otherwise than it would by
 * default, in the order a person writes them (what `pulumi-odoo export` and `pulumi import` write).
 */
export function fieldInputs(field: HeldField): Partial<CustomFieldInputs> {
  const { always, optional: o } = field;
  const args: Record<string, unknown> = { model: always.model, name: always.name, type: always.type, label: o.label };
  for (const flag of ["required", "readonly", "index", "translate"] as const) if (always[flag]) args[flag] = true;
  const copiedByDefault = !(always.type === "one2many" || o.related || o.compute);
  if (o.copied !== undefined && o.copied !== copiedByDefault) args.copied = o.copied;
  for (const name of [
    "help",
    "size",
    "selection",
    "relationField",
    "relationTable",
    "column1",
    "column2",
    "currencyField",
    "domain",
    "related",
    "compute",
    "depends",
  ] as const) {
    if (o[name] !== undefined) args[name] = o[name];
  }
  if (o.relation !== undefined) args.relation = o.relation;
  if (o.onDelete && o.onDelete !== "set null" && always.type === "many2one") args.onDelete = o.onDelete;
  if (o.groups?.length) args.groups = o.groups;
  if (o.store !== undefined && o.store !== !o.related) args.store = o.store;
  if (args.domain === "[]") delete args.domain;
  // What Odoo keeps for a property that does not apply to the type (a domain on an integer) is left
  // out, by the same rules check applies.
  for (const failure of combinationRules(args as CustomFieldInputs)) {
    if (failure.reason.startsWith("only applies")) delete args[failure.property];
  }
  const order = ["model", "name", "type", "label"];
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.fromEntries(Object.entries(args).sort(([a], [b]) => rank(a) - rank(b))) as Partial<CustomFieldInputs>;
}
