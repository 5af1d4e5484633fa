import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isOdooError, OdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";
import { adopting, clientFor, type ConnectionArgs } from "../config";
import { type CheckFailure, checkWith, isUnknown } from "../internal/check";
import { canAskServer, connectionFailure, nameTaken } from "../internal/server-check";
import { createOnce, deleteOnce, finishCreate, updateOnce } from "../internal/unknown-outcome";
import { diffInDatabase, diffInputs } from "../internal/diff";
import { compact, connectionSchema, GONE, idAsNumber, OdooResource, implementation } from "../internal/resource";
import { fromPythonLiteral, type SelectionOption, toPythonLiteral } from "../internal/selection";
import { resolveXmlId, XMLID_PATTERN, xmlIdsOf } from "../internal/xmlid";

// CustomField: a custom field through ir.model.fields (odoo19-facts §5), on a custom model or an
// existing one such as res.partner.

export const FIELD_TYPES = [
  "binary", "boolean", "char", "date", "datetime", "float", "html", "integer", "json", "many2many", "many2one",
  "many2one_reference", "monetary", "one2many", "properties", "properties_definition", "reference", "selection", "text",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** The properties of a CustomField. Only what you declare is managed and compared. */
export interface CustomFieldArgs {
  /** The model it belongs to: a CustomModel's `model` output, or an existing model such as "res.partner". Replaces on change. */
  model: pulumi.Input<string>;
  /** Technical name, x_ followed by lowercase letters, digits and underscores. A rename keeps the data. */
  name: pulumi.Input<string>;
  /** One of Odoo's field types. Replaces on change (Odoo refuses type changes). */
  type: pulumi.Input<FieldType>;
  /** The label users see; default: from the name. */
  label?: pulumi.Input<string>;
  /** A value is required (default false). On a table with rows, Odoo cannot enforce it in the database: a warning says so. */
  required?: pulumi.Input<boolean>;
  /** Read-only in the web client (default false). */
  readonly?: pulumi.Input<boolean>;
  /** A database index on the column (default false). */
  index?: pulumi.Input<boolean>;
  /** Copied when a record is duplicated; Odoo's default is true except for one2many, related and computed fields. */
  copied?: pulumi.Input<boolean>;
  /** Translatable (char, text, html; default false). */
  translate?: pulumi.Input<boolean>;
  /** The tooltip users see on the field. */
  help?: pulumi.Input<string>;
  /** Maximum length of a char field. */
  size?: pulumi.Input<number>;
  /** The options of a selection field, in order. */
  selection?: pulumi.Input<pulumi.Input<SelectionOption>[]>;
  /** The comodel of a many2one, one2many or many2many field. */
  relation?: pulumi.Input<string>;
  /** The many2one on the comodel that a one2many is the inverse of. */
  relationField?: pulumi.Input<string>;
  /** The many2many table; Odoo's default is `x_<model1>_<model2>_rel`. Replaces on change. */
  relationTable?: pulumi.Input<string>;
  /** The many2many table's column pointing at this model. Replaces on change. */
  column1?: pulumi.Input<string>;
  /** The many2many table's column pointing at the comodel. Replaces on change. */
  column2?: pulumi.Input<string>;
  /** What a many2one does when the record it points at is deleted (Odoo's default: "set null"). */
  onDelete?: pulumi.Input<"cascade" | "set null" | "restrict">;
  /** The many2one to res.currency of a monetary field. */
  currencyField?: pulumi.Input<string>;
  /** A relational field's domain, as Odoo writes it: "[('is_company', '=', True)]". */
  domain?: pulumi.Input<string>;
  /** Groups (external ids) that may see the field. */
  groups?: pulumi.Input<pulumi.Input<string>[]>;
  /** A related field: "x_partner_id.email". */
  related?: pulumi.Input<string>;
  /** A computed field's Python code, e.g. "for r in self: r['x_total'] = r.x_qty * r.x_price". */
  compute?: pulumi.Input<string>;
  /** The fields a computed field depends on, e.g. "x_qty, x_price" (required with compute). */
  depends?: pulumi.Input<string>;
  /** Whether a related or computed field's value is stored in the database. */
  store?: pulumi.Input<boolean>;
  /** Take over a field of that name that already exists instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** The server, database and key for this resource, above the stack's odoo:* configuration (stored as a secret). */
  connection?: pulumi.Input<ConnectionArgs>;
}

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
    relation: z.string().regex(/^[a-z][a-z0-9_.]*$/, "must be a model's technical name such as 'res.partner'").optional(),
    relationField: z.string().min(1).optional(),
    relationTable: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a table name: lowercase letters, digits and underscores").optional(),
    column1: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a column name").optional(),
    column2: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a column name").optional(),
    onDelete: z.enum(["cascade", "set null", "restrict"], { error: "must be one of cascade, set null, restrict" }).optional(),
    currencyField: z.string().min(1).optional(),
    domain: z.string().min(1).optional(),
    groups: z.array(z.string().regex(XMLID_PATTERN, "must be a group's external id such as 'base.group_user'")).optional(),
    related: z.string().regex(/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$/, "must be a path of field names such as 'x_partner_id.email'").optional(),
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
const REMOVABLE = ["label", "copied", "help", "size", "selection", "relation", "relationField", "onDelete", "currencyField", "domain", "groups", "related", "compute", "depends", "store"] as const;

/** "a char field", "an integer field". */
function aField(type: string): string {
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type} field`;
}

function combinationRules(f: CustomFieldInputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const only = (property: keyof CustomFieldInputs, types: string[], what: string) => {
    if (f[property] !== undefined && !types.includes(f.type)) failures.push({ property, reason: `only applies to ${what} fields, not to ${aField(f.type)}` });
  };
  if (RELATIONAL.includes(f.type) && !f.relation && !f.related) {
    failures.push({ property: "relation", reason: `is required for ${aField(f.type)}: the comodel, such as 'res.partner' (without it Odoo makes no column at all)` });
  }
  if (f.type === "one2many" && !f.relationField && !f.related) {
    failures.push({ property: "relationField", reason: "is required for a one2many field: the many2one on the comodel that points back here" });
  }
  if (f.type === "properties") {
    // Seen on a real Odoo 19: ir.model.fields cannot hold a properties field's definition_record,
    // and every create on the model then fails with "TypeError: tuple indices must be integers".
    failures.push({ property: "type", reason: "'properties' cannot be made as a custom field: Odoo gives it no definition record, and every create on the model then fails; use 'json', or a module" });
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
  if (f.compute && !f.depends) failures.push({ property: "depends", reason: "is required with compute: the fields it is computed from, e.g. 'x_qty, x_price'" });
  if (f.related && f.compute) failures.push({ property: "compute", reason: "a field is either related or computed, not both" });
  return failures;
}

export const customFieldProvider = implementation<CustomFieldInputs, CustomFieldOutputs>({
  async check(olds, news) {
    const result = checkWith(inputsSchema(), news, combinationRules);
    if (result.failures.length) return result;
    const args = result.inputs as CustomFieldInputs;
    const failure = await connectionFailure(args.connection);
    if (failure) return { ...result, failures: [failure] };
    if (!isUnknown(args.currencyField) && canAskServer(args.connection) && (await currencyFieldRefused(clientFor(args.connection), args.currencyField))) {
      return { ...result, failures: [{ property: "currencyField", reason: NO_CURRENCY_FIELD }] };
    }
    // A create or rename onto a name taken on that model fails here, not at up. A model made by the
    // same program is not in Odoo yet: nothing to look at.
    if (!isUnknown(args.model) && !isUnknown(args.name)) {
      const isNew = olds.model !== args.model || olds.name !== args.name;
      const name = { property: "name", what: `field '${args.model}.${args.name}'`, table: "ir.model.fields", isNew, adopt: adopting(args.adopt) };
      const taken = await nameTaken(args.connection, name, async (client) => {
        const [row] = await client.call<{ id: number }[]>("ir.model.fields", "search_read", { domain: [["model", "=", args.model], ["name", "=", args.name]], fields: ["id"] });
        return row?.id;
      });
      if (taken) return { ...result, failures: [taken] };
    }
    return result;
  },

  async diff(_id, olds, news) {
    // Odoo cannot hold two fields of one name on a model: a replacement that keeps the name must
    // delete the old field first.
    const sameName = olds.model === news.model && olds.name === news.name;
    return diffInDatabase(olds, news, replaceOn, { removable: REMOVABLE, deleteBeforeReplace: sameName });
  },

  async create(args) {
    const client = clientFor(args.connection);
    const modelId = await modelIdOf(client, args.model);
    const find = async () =>
      (await client.call<{ id: number }[]>("ir.model.fields", "search_read", { domain: [["model_id", "=", modelId], ["name", "=", args.name]], fields: ["id"] }))[0];
    const existing = await find();
    if (existing) {
      if (!adopting(args.adopt)) {
        throw new OdooError("ODOO_VALIDATION", `field '${args.model}.${args.name}' already exists in Odoo (ir.model.fields id ${existing.id}): set adopt: true to take it over, or choose another name`);
      }
      await client.call("ir.model.fields", "write", { ids: [existing.id], vals: await fieldValues(client, args) });
      return { id: String(existing.id), outs: await mustReadField(client, existing.id, args) };
    }
    const values = { model_id: modelId, name: args.name, ttype: args.type, state: "manual", ...(await fieldValues(client, args)) };
    const id = await createOnce(
      `field '${args.model}.${args.name}'`,
      async () => (await client.call<number[]>("ir.model.fields", "create", { vals_list: [values] }))[0],
      async () => (await find())?.id,
    );
    return finishCreate(
      `field '${args.model}.${args.name}'`,
      async () => {
        await warnIfRequiredNotEnforced(client, args);
        return { id: String(id), outs: await mustReadField(client, id, args) };
      },
      () => client.call("ir.model.fields", "unlink", { ids: [id] }),
    );
  },

  async read(id, args) {
    const outs = await readField(clientFor(args.connection), Number(id), args);
    return outs ? { id, props: outs } : GONE;
  },

  async update(id, olds, args) {
    const client = clientFor(args.connection);
    const { changed } = diffInputs(olds, args, replaceOn, { removable: REMOVABLE });
    const vals = await fieldValues(client, args, changed);
    const write = async () => {
      if (!Object.keys(vals).length) return;
      if (vals.name && olds.index) {
        // Odoo (17 and 19, seen on real servers) cannot rename an indexed field: it looks for the
        // index under a name it never gave it (UndefinedTable, odoo17-facts §5). Unindexed, the
        // rename works; then the new name is indexed again.
        await client.call("ir.model.fields", "write", { ids: [Number(id)], vals: { index: false } });
        vals.index = args.index;
      }
      await client.call("ir.model.fields", "write", { ids: [Number(id)], vals });
    };
    const outs = await updateOnce(
      `field '${args.model}.${args.name}'`,
      async () => {
        await write();
        return mustReadField(client, Number(id), args);
      },
      async () => {
        const current = await readField(client, Number(id), args);
        return current && !diffInputs({ ...current }, args, replaceOn, { removable: REMOVABLE }).changes ? current : undefined;
      },
    );
    if (changed.includes("required")) await warnIfRequiredNotEnforced(client, args);
    if (changed.includes("name")) await warnOfStaleCopies(client, olds.name, args);
    return { outs };
  },

  async delete(id, args) {
    const client = clientFor(args.connection);
    try {
      await deleteOnce(
        `field '${args.model}.${args.name}'`,
        () => client.call("ir.model.fields", "unlink", { ids: [Number(id)] }),
        async () => (await client.call<unknown[]>("ir.model.fields", "read", { ids: [Number(id)], fields: ["id"] })).length > 0,
      );
    } catch (error) {
      if (isOdooError(error, "ODOO_MISSING")) return;
      if (isOdooError(error, "ODOO_USER_ERROR") && /depends on it/.test(error.message)) {
        throw new OdooError(error.code, `${error.message} Declare that field as a CustomField too (it is then deleted first), or delete it in Odoo.`);
      }
      throw error;
    }
  },
});

/**
 * Odoo 16's ir.model.fields has no currency_field: a custom monetary field there takes its model's
 * currency_id, or else its x_currency_id. 17 added the setting. Seen on real 16, 17, 18 and 19 servers.
 */
async function hasCurrencyField(client: OdooClient): Promise<boolean> {
  return (await client.version()).major >= 17;
}

/** The currency fields Odoo 16 takes by itself: declaring one of them there is what it does anyway. */
const LEGACY_CURRENCY_FIELDS = [undefined, "currency_id", "x_currency_id"];

/** Whether the server cannot hold `currencyField` (Odoo 16, for another than those it takes by itself). */
async function currencyFieldRefused(client: OdooClient, currencyField: string | undefined): Promise<boolean> {
  return !LEGACY_CURRENCY_FIELDS.includes(currencyField) && !(await hasCurrencyField(client));
}

const NO_CURRENCY_FIELD =
  "can only be 'currency_id' or 'x_currency_id' on Odoo 16, which has no currency field setting: a monetary field there takes its model's currency_id, or else its x_currency_id; name the currency field so, or use Odoo 17 or newer";

async function modelIdOf(client: OdooClient, model: string): Promise<number> {
  const [row] = await client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", model]], fields: ["id"], limit: 1 });
  if (!row) throw new OdooError("ODOO_NOT_FOUND", `model '${model}' does not exist in Odoo: check the name, or declare it as a CustomModel and pass its model output`);
  return row.id;
}

/** The ir.model.fields values for the declared properties (only the `changed` ones when given). */
async function fieldValues(client: OdooClient, f: CustomFieldInputs, changed?: string[]): Promise<Record<string, unknown>> {
  const want = (key: keyof CustomFieldInputs) => (changed ? changed.includes(key) : f[key] !== undefined);
  const vals: Record<string, unknown> = {};
  if (want("name") && changed) vals.name = f.name;
  if (want("label") || !changed) vals.field_description = f.label ?? defaultLabel(f.name);
  for (const [key, odoo] of [["required", "required"], ["readonly", "readonly"], ["index", "index"], ["translate", "translate"]] as const) {
    if (want(key) || !changed) vals[odoo] = f[key];
  }
  const optional: [keyof CustomFieldInputs, string][] = [
    ["copied", "copied"], ["help", "help"], ["size", "size"], ["relation", "relation"], ["relationField", "relation_field"],
    ["relationTable", "relation_table"], ["column1", "column1"], ["column2", "column2"], ["onDelete", "on_delete"],
    ["currencyField", "currency_field"], ["domain", "domain"], ["related", "related"], ["compute", "compute"],
    ["depends", "depends"], ["store", "store"],
  ];
  if (await currencyFieldRefused(client, f.currencyField)) throw new OdooError("ODOO_VALIDATION", `currencyField ${NO_CURRENCY_FIELD}`);
  const currencyField = await hasCurrencyField(client);
  for (const [key, odoo] of optional) {
    if (!want(key) || (key === "currencyField" && !currencyField)) continue;
    // A property no longer declared goes back to Odoo's default.
    vals[odoo] = f[key] ?? (key === "copied" ? !(f.type === "one2many" || f.related || f.compute) : key === "store" ? !f.related : key === "onDelete" ? "set null" : false);
  }
  if (want("selection") && f.selection) vals.selection = toPythonLiteral(f.selection);
  if (want("groups")) vals.groups = [[6, 0, await Promise.all((f.groups ?? []).map((g) => resolveXmlId(client, g, "res.groups")))]];
  return vals;
}

async function mustReadField(client: OdooClient, id: number, args: CustomFieldInputs): Promise<CustomFieldOutputs> {
  const outs = await readField(client, id, args);
  if (!outs) throw new OdooError("ODOO_MISSING", `field '${args.model}.${args.name}' (ir.model.fields id ${id}) no longer exists in Odoo: run pulumi refresh`);
  return outs;
}

/** The field as Odoo holds it, for the declared properties, in the inputs' shapes. */
async function readField(client: OdooClient, id: number, args: CustomFieldInputs): Promise<CustomFieldOutputs | undefined> {
  const [row] = await client.call<Record<string, any>[]>("ir.model.fields", "read", {
    ids: [id],
    fields: [
      "model", "model_id", "name", "ttype", "field_description", "required", "readonly", "index", "copied", "translate", "help", "size",
      "selection", "relation", "relation_field", "relation_table", "column1", "column2", "on_delete", "domain",
      "groups", "related", "compute", "depends", "store", ...((await hasCurrencyField(client)) ? ["currency_field"] : []),
    ],
    load: null,
  });
  if (!row) return undefined;
  const text = (value: unknown) => (value === false || value === "" ? undefined : (value as string));
  // Odoo 16 keeps no currency_field to read: the declared one (checked to be what 16 takes) stands.
  const currencyField = "currency_field" in row ? text(row.currency_field) : args.currencyField;
  const groups = row.groups?.length ? [...(await xmlIdsOf(client, "res.groups", row.groups)).values()] : [];
  const odoo: Partial<CustomFieldInputs> = {
    label: row.field_description,
    copied: row.copied,
    // translate is a selection in Odoo 19 ("standard", "html_translate"…), a boolean before (facts §5).
    help: text(row.help),
    size: row.size || undefined,
    selection: selectionOf(row.selection),
    relation: text(row.relation),
    relationField: text(row.relation_field),
    relationTable: text(row.relation_table),
    column1: text(row.column1),
    column2: text(row.column2),
    onDelete: text(row.on_delete) as CustomFieldInputs["onDelete"],
    currencyField,
    domain: text(row.domain),
    groups,
    related: text(row.related),
    compute: text(row.compute),
    depends: text(row.depends),
    store: row.store,
  };
  // Only what the program declares is reported: Odoo's defaults for the rest are not drift.
  const declared = Object.fromEntries(Object.entries(odoo).filter(([key]) => args[key as keyof CustomFieldInputs] !== undefined));
  return compact({
    ...args,
    ...declared,
    model: row.model,
    name: row.name,
    type: row.ttype,
    required: row.required,
    readonly: row.readonly,
    index: row.index,
    translate: row.translate !== false && row.translate !== undefined,
    fieldId: id,
    modelId: row.model_id,
  }) as CustomFieldOutputs;
}

function selectionOf(value: string | false): SelectionOption[] | undefined {
  const options = fromPythonLiteral(value);
  return options.length ? options : undefined;
}

function defaultLabel(name: string): string {
  return name.replace(/^x_/, "").replace(/_/g, " ").replace(/\b\w/g, (c) => c.toUpperCase()).trim();
}

/** Odoo accepts `required` on a table with rows but cannot add NOT NULL there (facts §5): say so. */
async function warnIfRequiredNotEnforced(client: OdooClient, f: CustomFieldInputs): Promise<void> {
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
async function warnOfStaleCopies(client: OdooClient, oldName: string, f: CustomFieldInputs): Promise<void> {
  const { major, version } = await client.version();
  if (major >= 19) return;
  const stale = await client.call<{ model: string }[]>("ir.model.fields", "search_read", {
    domain: [["name", "=", oldName], ["state", "=", "base"], ["model", "!=", f.model]],
    fields: ["model"],
  });
  for (const { model } of stale) {
    console.warn(`warning: Odoo ${version} did not rename the copy of ${f.model}.${oldName} on ${model}: '${model}.${oldName}' stays in ir.model.fields, and Odoo refuses to change or delete it through the API`);
  }
}

/**
 * A custom field (`ir.model.fields`, name `x_…`) on a custom model or on one of Odoo's own models
 * such as `res.partner`. A change of type or model replaces it (its data is lost, as Odoo requires);
 * a rename keeps the data. Checked at preview: the name rules, what each type needs, and whether the
 * name is already taken.
 */
export class CustomField extends OdooResource {
  /** The model the field belongs to. */
  declare readonly model: pulumi.Output<string>;
  /** The field's technical name (`x_…`). */
  declare readonly name: pulumi.Output<string>;
  /** The field's type. */
  declare readonly type: pulumi.Output<FieldType>;
  /** The label users see, as Odoo holds it. */
  declare readonly label: pulumi.Output<string | undefined>;
  /** Whether a value is required. */
  declare readonly required: pulumi.Output<boolean>;
  /** Whether the field is read-only in the web client. */
  declare readonly readonly: pulumi.Output<boolean>;
  /** Whether the column has a database index. */
  declare readonly index: pulumi.Output<boolean>;
  /** Whether the value is copied when a record is duplicated. */
  declare readonly copied: pulumi.Output<boolean | undefined>;
  /** Whether the value is translatable (char, text, html). */
  declare readonly translate: pulumi.Output<boolean>;
  /** The tooltip. */
  declare readonly help: pulumi.Output<string | undefined>;
  /** A char field's maximum length. */
  declare readonly size: pulumi.Output<number | undefined>;
  /** A selection field's options, in order. */
  declare readonly selection: pulumi.Output<Required<SelectionOption>[] | undefined>;
  /** The comodel of a relational field. */
  declare readonly relation: pulumi.Output<string | undefined>;
  /** The many2one on the comodel that a one2many is the inverse of. */
  declare readonly relationField: pulumi.Output<string | undefined>;
  /** A many2many field's table. */
  declare readonly relationTable: pulumi.Output<string | undefined>;
  /** A many2many table's column pointing at this model. */
  declare readonly column1: pulumi.Output<string | undefined>;
  /** A many2many table's column pointing at the comodel. */
  declare readonly column2: pulumi.Output<string | undefined>;
  /** What a many2one does when the record it points at is deleted. */
  declare readonly onDelete: pulumi.Output<"cascade" | "set null" | "restrict" | undefined>;
  /** A monetary field's many2one to res.currency. */
  declare readonly currencyField: pulumi.Output<string | undefined>;
  /** A relational field's domain. */
  declare readonly domain: pulumi.Output<string | undefined>;
  /** The groups (external ids) that may see the field. */
  declare readonly groups: pulumi.Output<string[] | undefined>;
  /** A related field's path. */
  declare readonly related: pulumi.Output<string | undefined>;
  /** A computed field's code. */
  declare readonly compute: pulumi.Output<string | undefined>;
  /** The fields a computed field depends on. */
  declare readonly depends: pulumi.Output<string | undefined>;
  /** Whether a related or computed field's value is stored. */
  declare readonly store: pulumi.Output<boolean | undefined>;
  /** The field's `ir.model.fields` id. */
  declare readonly fieldId: pulumi.Output<number>;
  /** The `ir.model` id of its model. */
  declare readonly modelId: pulumi.Output<number>;

  /**
   * @param name The Pulumi name of the resource (not the field's name in Odoo: that is `args.name`).
   * @param args The field's properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: CustomFieldArgs, opts?: pulumi.CustomResourceOptions) {
    super("customField", name, args, opts, { outputs: ["fieldId", "modelId"] });
    (this as { fieldId: pulumi.Output<number> }).fieldId = idAsNumber(this);
  }
}
