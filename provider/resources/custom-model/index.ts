import * as pulumi from "@pulumi/pulumi";
import { isOdooError, OdooError } from "../../client/errors";
import { adopting, clientFor, type ConnectionArgs } from "../../config";
import { checkInputs, isUnknown } from "../../internal/check";
import type { CheckFailure } from "../../internal/failure";
import { canAskServer, connectionFailure, nameTaken } from "../../internal/server-check";
import { fieldsOf } from "../../client/fields";
import { createOnce, deleteOnce, finishCreate, updateOnce } from "../../internal/unknown-outcome";
import { diffInDatabase, diffInputs } from "../../internal/diff";
import { GONE, idAsNumber, OdooResource, implementation } from "../../internal/resource";
import { accessCommands, findModel, mustReadOutputs, readOutputs, updateModel } from "./ir-model";
import { type CustomModelInputs, type CustomModelOutputs, inputsSchema, replaceOn } from "./inputs";

// CustomModel: a custom model through ir.model (odoo19-facts §3), with its access rules.

/** An access rule (`ir.model.access`): what one group may do with the model's records. */
export interface AccessRule {
  /** External id of a res.groups record, e.g. "base.group_user". */
  group: string;
  /** May read records (default true). */
  read?: boolean;
  /** May change records (default false). */
  write?: boolean;
  /** May create records (default false). */
  create?: boolean;
  /** May delete records (default false). */
  unlink?: boolean;
}

/** The properties of a CustomModel. */
export interface CustomModelArgs {
  /** Technical name: x_ followed by lowercase letters, digits, underscores and dots. Replaces on change. */
  model: pulumi.Input<string>;
  /** The label users see. */
  name: pulumi.Input<string>;
  /** What the model is for (ir.model's info). */
  description?: pulumi.Input<string>;
  /** Default sort order, e.g. "x_name asc"; Odoo's default is "id". */
  order?: pulumi.Input<string>;
  /** A wizard-style model whose records are cleaned up by Odoo. Replaces on change. */
  transient?: pulumi.Input<boolean>;
  /** Who may do what. Default: full rights for base.group_user. */
  access?: pulumi.Input<pulumi.Input<AccessRule>[]>;
  /** Delete the model even if it still holds records (they are deleted with it). */
  forceDestroy?: pulumi.Input<boolean>;
  /** Take over a model of that name that already exists instead of failing. */
  adopt?: pulumi.Input<boolean>;
  /** The server, database and key for this resource, above the stack's odoo:* configuration (its key stored as a secret: the state and a diff show the server and database). */
  connection?: pulumi.Input<ConnectionArgs>;
}

/** The fields a new custom model has before any CustomField: Odoo's magic fields and its x_name. */
const NEW_MODEL_FIELDS = new Set(["id", "x_name", "display_name", "create_date", "create_uid", "write_date", "write_uid"]);

/**
 * Odoo refuses an order on a field the model lacks ("fields used for ordering must be present on
 * the model"), and a model is made (or written) before the CustomFields that depend on it: an order
 * naming a field the model does not have yet would fail in the middle of `up`, so it fails here.
 */
async function orderFailure(olds: Partial<CustomModelOutputs>, args: CustomModelInputs): Promise<CheckFailure | undefined> {
  if (isUnknown(args.order) || isUnknown(args.model)) return undefined;
  const named = args.order.split(",").map((part) => part.trim().split(/\s+/)[0]);
  let has = (field: string) => NEW_MODEL_FIELDS.has(field);
  if (olds.model === args.model) {
    if (olds.order === args.order || !canAskServer(args.connection)) return undefined;
    const fields = await fieldsOf(clientFor(args.connection), args.model).catch(() => undefined);
    if (!fields) return undefined;
    has = (field) => field in fields;
  }
  const missing = named.filter((field) => !has(field));
  if (!missing.length) return undefined;
  const which = missing.map((field) => `'${field}'`).join(", ");
  return {
    property: "order",
    reason: `names ${which}, which ${args.model} does not have yet: Odoo orders only by fields the model has, and the model is written before its CustomFields are made; apply the fields first (order by 'id' or 'x_name' meanwhile), then set the order`,
  };
}

export const customModelProvider = implementation<CustomModelInputs, CustomModelOutputs>({
  async check(olds, news) {
    return checkInputs(inputsSchema(), news, async (args) => {
      const failures = [await connectionFailure(args.connection)];
      // A create (a model name new to this resource) whose name is taken fails here, not at up.
      if (failures[0] === undefined && !isUnknown(args.model)) {
        const name = { property: "model", what: `model '${args.model}'`, table: "ir.model", isNew: olds.model !== args.model, adopt: adopting(args.adopt) };
        failures.push(await nameTaken(args.connection, name, async (client) => (await findModel(client, args.model))?.id));
      }
      if (failures[0] === undefined) failures.push(await orderFailure(olds, args));
      return failures.filter((f): f is CheckFailure => f !== undefined);
    });
  },

  async diff(_id, olds, news) {
    // forceDestroy and adopt change nothing in Odoo, but they must reach the state: delete reads it.
    // A replacement that keeps the model name must delete the old model first (names are unique).
    return diffInDatabase(olds, news, replaceOn, { deleteBeforeReplace: olds.model === news.model });
  },

  async create(args) {
    const client = clientFor(args.connection);
    const existing = await findModel(client, args.model);
    if (existing) {
      if (!adopting(args.adopt)) {
        throw new OdooError(
          "ODOO_VALIDATION",
          `model '${args.model}' already exists in Odoo (ir.model id ${existing.id}): set adopt: true to take it over, or choose another name`,
        );
      }
      // Only a model that differs is written: one taken over as it is stays untouched (its write_date too).
      const current = await mustReadOutputs(client, existing.id, args);
      if (!diffInputs(current, args, replaceOn).changes) return { id: String(existing.id), outs: current };
      await updateModel(client, existing.id, args);
      return { id: String(existing.id), outs: await mustReadOutputs(client, existing.id, args) };
    }
    // Access rules go in the same create: rules added afterwards leave the creating user unable
    // to create records until a rule is written again (odoo19-facts §3, stale access cache).
    const values = {
      name: args.name,
      model: args.model,
      state: "manual",
      info: args.description ?? false,
      order: args.order,
      transient: args.transient,
      access_ids: await accessCommands(client, args),
    };
    const id = await createOnce(
      `model '${args.model}'`,
      async () => (await client.call<number[]>("ir.model", "create", { vals_list: [values] }))[0],
      async () => (await findModel(client, args.model))?.id,
    );
    return finishCreate(
      `model '${args.model}'`,
      async () => ({ id: String(id), outs: await mustReadOutputs(client, id, args) }),
      () => client.call("ir.model", "unlink", { ids: [id] }),
    );
  },

  async read(id, args) {
    const outs = await readOutputs(clientFor(args.connection), Number(id), args);
    return outs ? { id, props: outs } : GONE;
  },

  async update(id, olds, args) {
    const client = clientFor(args.connection);
    const { changed } = diffInputs(olds, args, replaceOn);
    const outs = await updateOnce(
      `model '${args.model}'`,
      async () => {
        if (changed.some((key) => ["name", "description", "order", "access"].includes(key))) await updateModel(client, Number(id), args);
        return mustReadOutputs(client, Number(id), args);
      },
      async () => {
        const current = await readOutputs(client, Number(id), args);
        return current && !diffInputs({ ...current }, args, replaceOn).changes ? current : undefined;
      },
    );
    return { outs };
  },

  async delete(id, args) {
    const client = clientFor(args.connection);
    if (!args.forceDestroy) {
      const count = await client.call<number>(args.model, "search_count", { domain: [["id", "!=", 0]] }).catch((error) => {
        if (isOdooError(error, "ODOO_NOT_FOUND")) return 0;
        throw error;
      });
      if (count > 0) {
        throw new OdooError(
          "ODOO_USER_ERROR",
          `model '${args.model}' still holds ${count} record${count === 1 ? "" : "s"}, which deleting it would destroy: set forceDestroy: true and apply it first if that is what you want`,
        );
      }
    }
    try {
      await deleteOnce(
        `model '${args.model}'`,
        () => client.call("ir.model", "unlink", { ids: [Number(id)] }),
        async () => (await findModel(client, args.model)) !== undefined,
      );
    } catch (error) {
      if (isOdooError(error, "ODOO_MISSING")) return;
      if (isOdooError(error, "ODOO_USER_ERROR") && /depends on it|module data/.test(error.message)) {
        throw new OdooError(
          error.code,
          `${error.message} Declare the fields that depend on this model (related or computed fields, many2one fields on other models such as res.partner) as CustomField resources so that Pulumi deletes them first, or delete them in Odoo.`,
        );
      }
      throw error;
    }
  },
});

/**
 * A custom model (`ir.model`, name `x_…`) with its access rules, made in one call so that records
 * can be created at once. Deleting a model that still holds records is refused unless
 * `forceDestroy` was applied first.
 */
export class CustomModel extends OdooResource {
  /** The technical name, e.g. x_library_book: pass it to CustomField and Record to order them after the model. */
  declare readonly model: pulumi.Output<string>;
  /** The label users see. */
  declare readonly name: pulumi.Output<string>;
  /** What the model is for, as Odoo holds it. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** The default sort order. */
  declare readonly order: pulumi.Output<string>;
  /** Whether it is a transient (wizard) model. */
  declare readonly transient: pulumi.Output<boolean>;
  /** The access rules as Odoo holds them, in the declared order. */
  declare readonly access: pulumi.Output<Required<AccessRule>[]>;
  /** The model's `ir.model` id. */
  declare readonly modelId: pulumi.Output<number>;
  /** "manual" for a custom model. */
  declare readonly state: pulumi.Output<string>;

  /**
   * @param name The Pulumi name of the resource.
   * @param args Its properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: CustomModelArgs, opts?: pulumi.CustomResourceOptions) {
    super("customModel", name, args, opts, { outputs: ["modelId", "state"] });
    (this as { modelId: pulumi.Output<number> }).modelId = idAsNumber(this);
  }
}
