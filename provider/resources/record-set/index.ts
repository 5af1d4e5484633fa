import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { OdooError } from "../../client/errors";
import type { OdooClient } from "../../client/odoo-client";
import { clientFor, type ConnectionArgs } from "../../config";
import { checkInputs } from "../../internal/check";
import { diffInDatabase, same } from "../../internal/diff";
import { canAskServer } from "../../internal/server-check";
import { compact, type Implementation, implementation, OdooResource, progress, type Serialized } from "../../internal/resource";
import { lookupXmlId } from "../../internal/xmlid";
import { isRef } from "../../values";
import type { RecordValue } from "../record";
import { type Applied, applyRows, readRows, removeRows } from "./rows";
import { inputsSchema, type RecordSetInputs, type RecordSetOutputs, replaceOn, serverRules, takeSource } from "./inputs";
import { decoded, decodedProps, encodedProps, encodeRows } from "./wire";

// RecordSet: many rows of one model in one resource, keyed by external id, as Odoo's data files are.

/** The properties of a RecordSet. */
export interface RecordSetArgs {
  /** The model of every row, e.g. "res.partner.category". Replaces on change. */
  model: pulumi.Input<string>;
  /**
   * The rows, by external id (module.name): each a row's field values, taken as Record's `values`
   * take them (ids, odoo.ref, other resources' outputs, many2many lists), or odoo.csv("data/x.csv").
   * A row removed from here is deleted (or archived or kept, per onDelete); a row whose external id
   * already exists in Odoo is taken over.
   */
  records: pulumi.Input<{ [xmlId: string]: pulumi.Input<{ [field: string]: RecordValue }> }>;
  /** What becomes of a row removed from `records`, and of every row at destroy: "unlink" (default), "archive" (active = false) or "keep". */
  onDelete?: pulumi.Input<"unlink" | "archive" | "keep">;
  /**
   * Rows to take over by record id where their external id does not exist yet, in the database whose
   * uuid (its database.uuid parameter) is `database` alone: that record is given the row's external
   * id instead of a new one being made. Ids mean nothing in another database, where the rows are
   * made. `pulumi-odoo export` writes it for records that had no external id.
   */
  adoptIds?: pulumi.Input<{ database: pulumi.Input<string>; ids: pulumi.Input<{ [xmlId: string]: pulumi.Input<number> }> }>;
  /** The server, database and key for this resource, above the stack's odoo:* configuration (its key stored as a secret). */
  connection?: pulumi.Input<ConnectionArgs>;
}

/** How many keys of each kind a preview's summary names. */
const KEYS_SHOWN = 3;

/** What a RecordSet does, on its rows as objects (the wire holds them as JSON text: wire.ts). */
const rowsProvider: Implementation<RecordSetInputs, RecordSetOutputs> = {
  async check(_olds, news) {
    const given = { ...news };
    const source = takeSource(given);
    const result = await checkInputs(inputsSchema(), given, serverRules(source));
    const args = result.inputs as RecordSetInputs;
    // odoo.ref to records that exist is kept as the id it names, so the state shows ids, as Record's.
    if (!result.failures.length && args.records && canAskServer(args.connection)) {
      args.records = await refsResolved(clientFor(args.connection), args.records);
    }
    return result;
  },

  async diff(_id, olds, news) {
    const result = diffInDatabase(olds, news, replaceOn, { ignore: ["ids", "applied"] });
    if (result.changes && !result.replaces.length) progress(summary(news.model, olds.records ?? {}, news.records ?? {}));
    return result;
  },

  async create(args) {
    const client = clientFor(args.connection);
    const id = `${args.model}:${randomUUID()}`;
    const applied = await applyRows(client, args, {}, Object.keys(args.records));
    return { id, outs: outputs(args, applied, id) };
  },

  async read(id, props) {
    const rows = await readRows(clientFor(props.connection), props);
    return { id, props: { ...props, ...rows } };
  },

  async update(id, previous, args) {
    const client = clientFor(args.connection);
    const removed = Object.fromEntries(Object.entries(previous.ids ?? {}).filter(([xmlId]) => !(xmlId in args.records)));
    const toApply = Object.keys(args.records).filter((xmlId) => previous.ids?.[xmlId] === undefined || !same(previous.records?.[xmlId], args.records[xmlId]));
    const applied = await applyRows(client, args, previous, toApply);
    const notRemoved = await removeRows(client, args.model, removed, args.onDelete);
    for (const { xmlId } of notRemoved) {
      applied.ids[xmlId] = removed[xmlId];
      applied.records[xmlId] = previous.records?.[xmlId] ?? {};
    }
    applied.failed.push(...notRemoved);
    return { outs: outputs(args, applied, id) };
  },

  async delete(_id, props) {
    const failed = await removeRows(clientFor(props.connection), props.model, props.ids ?? {}, props.onDelete);
    if (failed.length)
      throw new OdooError(
        "ODOO_VALIDATION",
        `${failed.length} of ${Object.keys(props.ids ?? {}).length} rows of ${props.model} were not deleted: ${said(failed)}`,
      );
  },
};

type Wire = Record<string, unknown>;

/** The rows provider between JSON text on the wire. */
export const recordSetProvider = implementation<Wire, Wire>({
  async check(olds, news) {
    const result = await rowsProvider.check(decodedProps(olds), decodedProps(news));
    return { ...result, inputs: encodedProps(result.inputs) };
  },
  diff: (id, olds, news) => rowsProvider.diff(id, decodedProps(olds), decodedProps(news)),
  async create(args) {
    const { id, outs } = await textOnFailure(rowsProvider.create(decodedProps(args)));
    return { id, outs: encodedProps(outs) };
  },
  async read(id, props) {
    const found = await rowsProvider.read(id, decodedProps(props));
    return { id: found.id, props: encodedProps(found.props) };
  },
  async update(id, olds, news) {
    const { outs } = await textOnFailure(rowsProvider.update(id, decodedProps(olds), decodedProps(news)));
    return { outs: encodedProps(outs) };
  },
  delete: (id, props) => rowsProvider.delete(id, decodedProps(props)),
});

/** A failure that keeps the resource in the state hands the engine its properties: as text too. */
async function textOnFailure<R>(result: Promise<R>): Promise<R> {
  try {
    return await result;
  } catch (error) {
    const failed = error as { properties?: object };
    if (failed.properties) failed.properties = encodedProps(failed.properties);
    throw error;
  }
}

/** The outputs; with rows that failed, an error that keeps what was applied in the state (the next up carries on). */
function outputs(args: RecordSetInputs & Serialized, applied: Applied, id: string): RecordSetOutputs {
  const { __provider, ...inputs } = args;
  const outs = compact({ ...inputs, records: applied.records, ids: applied.ids, applied: applied.applied });
  if (!applied.failed.length) return outs;
  const message = `${applied.failed.length} of ${Object.keys(args.records).length} rows of ${args.model} could not be applied: ${said(applied.failed)}; the others are applied, and the next pulumi up carries on`;
  throw Object.assign(new OdooError("ODOO_VALIDATION", message), { id, properties: { ...outs, __provider }, reasons: [message] });
}

/** The first failures, by external id. */
function said(failed: { xmlId: string; reason: string }[]): string {
  const first = failed.slice(0, KEYS_SHOWN).map((f) => `'${f.xmlId}': ${f.reason}`);
  return first.join("; ") + (failed.length > KEYS_SHOWN ? `; and ${failed.length - KEYS_SHOWN} more` : "");
}

/** What an update will do, in one line: rows added, changed and removed, with their first keys. */
export function summary(model: string, olds: Record<string, unknown>, news: Record<string, unknown>): string {
  const added = Object.keys(news).filter((key) => !(key in olds));
  const changed = Object.keys(news).filter((key) => key in olds && !same(olds[key], news[key]));
  const removed = Object.keys(olds).filter((key) => !(key in news));
  const part = (keys: string[], what: string) =>
    `${keys.length} ${what}${keys.length ? ` (${keys.slice(0, KEYS_SHOWN).join(", ")}${keys.length > KEYS_SHOWN ? ", …" : ""})` : ""}`;
  return `RecordSet of ${model}: ${part(added, "to add")}, ${part(changed, "to change")}, ${part(removed, "to remove")}`;
}

/** Every odoo.ref that names an existing record replaced by its id (looked up together). */
async function refsResolved(client: OdooClient, records: Record<string, Record<string, unknown>>): Promise<Record<string, Record<string, unknown>>> {
  const one = async (value: unknown) => (isRef(value) ? ((await lookupXmlId(client, value.__odooRef))?.res_id ?? value) : value);
  const entries = await Promise.all(
    Object.entries(records).map(async ([xmlId, row]) => {
      const values = await Promise.all(Object.entries(row).map(async ([name, v]) => [name, Array.isArray(v) ? await Promise.all(v.map(one)) : await one(v)]));
      return [xmlId, Object.fromEntries(values)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Many rows of one model in one resource, keyed by external id, as Odoo's own data files are:
 * partner tags, product catalogues, price list items, thousands of rows in a few calls. Rows whose
 * external id exists are taken over; rows removed from `records` are deleted (per onDelete).
 */
export class RecordSet extends OdooResource {
  /** The rows' model. */
  declare readonly model: pulumi.Output<string>;
  /** The rows as Odoo holds them, in the shapes you wrote; an odoo.ref shows the id it names. */
  declare readonly records: pulumi.Output<{ [xmlId: string]: { [field: string]: unknown } }>;
  /** Each row's record id, by external id: `tags.ids.apply((ids) => ids["acme.tag_vip"])`. */
  declare readonly ids: pulumi.Output<{ [xmlId: string]: number }>;

  /**
   * @param name The Pulumi name of the resource.
   * @param args Its properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: RecordSetArgs, opts?: pulumi.CustomResourceOptions) {
    const adoptIds = args.adoptIds === undefined ? undefined : encodeRows(args.adoptIds);
    super("recordSet", name, { ...args, records: encodeRows(args.records), adoptIds }, opts, { outputs: ["ids", "applied"] });
    // The state holds them as JSON text (wire.ts): the program reads them as objects.
    this.records = (this.records as pulumi.Output<unknown>).apply((text) => decoded(text));
    this.ids = (this.ids as pulumi.Output<unknown>).apply((text) => decoded(text));
  }
}
