import * as pulumi from "@pulumi/pulumi";
import { isOdooError, OdooError } from "../../client/errors";
import { adopting, clientFor, type ConnectionArgs } from "../../config";
import { checkWith, isUnknown } from "../../internal/check";
import { canAskServer, connectionFailure, nameTaken } from "../../internal/server-check";
import { createOnce, deleteOnce, finishCreate, updateOnce } from "../../internal/unknown-outcome";
import { diffInDatabase, diffInputs } from "../../internal/diff";
import { GONE, idAsNumber, OdooResource, implementation } from "../../internal/resource";
import type { SelectionOption } from "../../internal/selection";
import {
  combinationRules,
  currencyFieldRefused,
  type CustomFieldInputs,
  type CustomFieldOutputs,
  inputsSchema,
  NO_CURRENCY_FIELD,
  REMOVABLE,
  replaceOn,
} from "./inputs";
import { type FieldType } from "./field-types";
import { fieldValues, modelIdOf, mustReadOutputs, readOutputs, warnIfRequiredNotEnforced, warnOfStaleCopies } from "./ir-model-fields";

// CustomField: a custom field through ir.model.fields (odoo19-facts §5), on a custom model or an
// existing one such as res.partner.

export { FIELD_TYPES, type FieldType } from "./field-types";

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
  /** The server, database and key for this resource, above the stack's odoo:* configuration (its key stored as a secret: the state and a diff show the server and database). */
  connection?: pulumi.Input<ConnectionArgs>;
}

export const customFieldProvider = implementation<CustomFieldInputs, CustomFieldOutputs>({
  async check(olds, news) {
    const { parsed, ...result } = checkWith(inputsSchema(), news, combinationRules);
    if (result.failures.length) return result;
    // Parsed (defaults filled in) even while some values are unknown; the engine gets result.inputs.
    const args = (parsed ?? result.inputs) as CustomFieldInputs;
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
        const [row] = await client.call<{ id: number }[]>("ir.model.fields", "search_read", {
          domain: [
            ["model", "=", args.model],
            ["name", "=", args.name],
          ],
          fields: ["id"],
        });
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
      (
        await client.call<{ id: number }[]>("ir.model.fields", "search_read", {
          domain: [
            ["model_id", "=", modelId],
            ["name", "=", args.name],
          ],
          fields: ["id"],
        })
      )[0];
    const existing = await find();
    if (existing) {
      if (!adopting(args.adopt)) {
        throw new OdooError(
          "ODOO_VALIDATION",
          `field '${args.model}.${args.name}' already exists in Odoo (ir.model.fields id ${existing.id}): set adopt: true to take it over, or choose another name`,
        );
      }
      // Only what differs is written: a field taken over as it is stays untouched (its write_date too).
      const current = await mustReadOutputs(client, existing.id, args);
      const { changed } = diffInputs(current, args, replaceOn, { removable: REMOVABLE });
      const vals = await fieldValues(client, args, changed);
      if (!Object.keys(vals).length) return { id: String(existing.id), outs: current };
      await client.call("ir.model.fields", "write", { ids: [existing.id], vals });
      return { id: String(existing.id), outs: await mustReadOutputs(client, existing.id, args) };
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
        return { id: String(id), outs: await mustReadOutputs(client, id, args) };
      },
      () => client.call("ir.model.fields", "unlink", { ids: [id] }),
    );
  },

  async read(id, args) {
    const outs = await readOutputs(clientFor(args.connection), Number(id), args);
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
        return mustReadOutputs(client, Number(id), args);
      },
      async () => {
        const current = await readOutputs(client, Number(id), args);
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
