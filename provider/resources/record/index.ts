import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isOdooError, OdooError } from "../../client/errors";
import type { OdooClient } from "../../client/odoo-client";
import { clientFor, type ConnectionArgs } from "../../config";
import { checkInputs, isUnknown } from "../../internal/check";
import type { CheckFailure } from "../../internal/failure";
import { deleteOnce, updateOnce } from "../../internal/unknown-outcome";
import { diffInDatabase, same } from "../../internal/diff";
import { compact, GONE, idAsNumber, OdooResource, implementation } from "../../internal/resource";
import { connectionSchema } from "../../internal/connection-schema";
import { lookupXmlId, XMLID_PATTERN } from "../../internal/xmlid";
import { canAskServer, connectionFailure } from "../../internal/server-check";
import { heldByOdoo, readCoalesced, unlinkCoalesced, writeCoalesced } from "../../rows/batch";
import { databaseUuid, findByXmlId, moveXmlId, registerNewXmlId, registerXmlIdOnce } from "../../rows/xml-ids";
import { createRecord } from "../../rows/create";
import { forVersion, rewritten, uiChecks } from "./ui";
import { type FieldInfo, fieldsOf } from "../../client/fields";
import { checkValues, fieldType, fromOdoo, type OdooRef, resolveRefs, storedForm, toOdoo, unknownField } from "../../values";

// Record: any record of any model, with an optional external id (odoo19-facts §1, §2, §4).

export type RecordValue = pulumi.Input<string | number | boolean | null | OdooRef | pulumi.Input<number | OdooRef>[]>;

/** The properties of a Record. Only the fields in `values` are managed. */
export interface RecordArgs {
  /** The model, e.g. "res.partner" or a CustomModel's `model` output. Replaces on change. */
  model: pulumi.Input<string>;
  /** Field values. many2one: an id, odoo.ref("module.name") or another Record's recordId; many2many: the full set of ids. */
  values: pulumi.Input<Record<string, RecordValue>>;
  /** An external id, module.name: makes the record adoptable (an existing one is taken over, not duplicated). */
  xmlId?: pulumi.Input<string>;
  /**
   * A record to take over by its id when `xmlId` does not exist yet, in one database alone (ids mean
   * nothing elsewhere): `database` is that database's uuid (its `database.uuid` system parameter).
   * There, the record is given `xmlId` and brought to the declared values; in any other database, or
   * when the record is gone, a new one is made. What `pulumi-odoo export` writes for a record that
   * had no external id.
   */
  adoptId?: pulumi.Input<{ database: pulumi.Input<string>; id: pulumi.Input<number> }>;
  /**
   * Fields to read back as `derived` after each apply and refresh, without managing them: what Odoo
   * derives, such as a product template's `product_variant_id` (the variant order lines need).
   */
  readBack?: pulumi.Input<pulumi.Input<string>[]>;
  /** What destroy does: "unlink" (default), "archive" (active = false) or "keep" (leave it in Odoo). */
  onDelete?: pulumi.Input<"unlink" | "archive" | "keep">;
  /** The server, database and key for this resource, above the stack's odoo:* configuration (its key stored as a secret: the state and a diff show the server and database). */
  connection?: pulumi.Input<ConnectionArgs>;
}

/** Built once: a program may check thousands of Records, and building it cost more than using it. */
let schema: ReturnType<typeof buildInputsSchema> | undefined;

/** @internal What check accepts (zod: kept out of the published types, see tsconfig.json). */
export function inputsSchema() {
  return (schema ??= buildInputsSchema());
}

function buildInputsSchema() {
  const fieldName = z.string().regex(/^[a-z_][a-z0-9_]*$/, "field names are lowercase letters, digits and underscores");
  return z.strictObject({
    model: z.string().regex(/^[a-z][a-z0-9_.]*$/, "must be a model's technical name such as 'res.partner'"),
    values: z.record(fieldName, z.unknown()),
    xmlId: z.string().regex(XMLID_PATTERN, "must be an external id as module.name, e.g. 'pulumi.acme'").optional(),
    adoptId: z
      .strictObject({
        database: z.string().min(1, "must be the uuid of the database the id is of (its database.uuid parameter)"),
        id: z.number().int().positive("must be a record id"),
      })
      .optional(),
    readBack: z.array(fieldName).optional(),
    onDelete: z.enum(["unlink", "archive", "keep"], { error: "must be one of unlink, archive, keep" }).default("unlink"),
    connection: connectionSchema(),
  });
}

/** @internal */
export type RecordInputs = z.infer<ReturnType<typeof inputsSchema>>;

/** @internal */
export interface RecordOutputs extends RecordInputs {
  recordId: number;
  /** What Odoo held right after the last apply: tells Odoo's normalisation from drift. Secret. */
  applied: Record<string, unknown>;
  /** The readBack fields as Odoo holds them (many2one: the id; x2many: the ids; empty: false). */
  derived?: Record<string, unknown>;
}

export const replaceOn = ["model"] as const;

async function serverChecks(args: RecordInputs): Promise<CheckFailure[]> {
  // Only when a connection is configured, and only against what exists: a model or field declared
  // in the same program may not be in Odoo yet at preview.
  if (args.adoptId && !args.xmlId) return [{ property: "adoptId", reason: "needs an xmlId: the external id the record taken over is given" }];
  const refused = await connectionFailure(args.connection);
  if (refused) return [refused];
  if (!canAskServer(args.connection) || isUnknown(args.model)) return [];
  const client = clientFor(args.connection);
  // undefined: Odoo has no such model; null: it could not be asked (up will say why).
  const fields = await fieldsOf(client, args.model).catch(() => null);
  if (fields === undefined) {
    // A literal model name that Odoo does not have: fine if this program creates it, else up fails.
    console.warn(
      `warning: model '${args.model}' does not exist in Odoo (yet): the Record can only be created if this program creates the model first (pass a CustomModel's model output to say so)`,
    );
  }
  if (!fields) return [];
  const failures = [...checkValues(args.model, args.values, fields), ...(await uiChecks(client, args.model, args.values))];
  for (const name of (args.readBack ?? []).filter((name) => !isUnknown(name))) {
    const reason = unknownField(args.model, name, fields);
    if (reason) failures.push({ property: "readBack", reason });
  }
  if (args.onDelete === "archive" && !fields.active) {
    failures.push({ property: "onDelete", reason: `'archive' needs an active field, and ${args.model} has none: use unlink or keep` });
  }
  return failures;
}

export const recordProvider = implementation<RecordInputs, RecordOutputs>({
  async check(_olds, news) {
    const result = await checkInputs(inputsSchema(), news, serverChecks);
    const args = result.inputs as RecordInputs;
    // odoo.ref("base.be") is kept as what it names, so the state and the outputs show the id.
    if (!result.failures.length && canAskServer(args.connection)) {
      args.values = await resolveRefs(clientFor(args.connection), args.values);
    }
    return result;
  },

  async diff(_id, olds, news) {
    // `values` compares as declared: read turned Odoo's answers back into the declared shapes.
    return diffInDatabase(olds, news, replaceOn);
  },

  async create(args) {
    const client = clientFor(args.connection);
    const fields = await fieldsOf(client, args.model);
    const values = await toOdooFor(client, args.model, args.values, fields);
    const existing = args.xmlId ? await findByXmlId(client, args.xmlId, args.model) : undefined;
    if (existing !== undefined) {
      // The external id exists: adopt that record, brought to the declared values. One whose
      // record is gone (a registration that landed after its record was removed) is dropped.
      const adopted = await takeOver(client, args, existing.resId, fields).then(
        () => true,
        async (error) => {
          if (!isOdooError(error, "ODOO_MISSING")) throw error;
          await client.call("ir.model.data", "unlink", { ids: [existing.id] });
          return false;
        },
      );
      if (adopted) return { id: String(existing.resId), outs: await mustReadOutputs(client, existing.resId, args, values) };
    }
    if (existing === undefined && args.adoptId && (await adoptById(client, args, args.adoptId, fields))) {
      return { id: String(args.adoptId.id), outs: await mustReadOutputs(client, args.adoptId.id, args, values) };
    }
    const id = await createRecord(client, args.model, values, fields ?? {});
    if (args.xmlId) await registerNewXmlId(client, args.xmlId, args.model, id);
    return { id: String(id), outs: await mustReadOutputs(client, id, args, values) };
  },

  async read(id, args) {
    const client = clientFor(args.connection);
    // Archived in Odoo (by a person, or by another save such as the Settings form's) is not "as
    // declared" even when `active` is not declared: it is read too, and reported as drift.
    const watchActive = !("active" in args.values) && !!(await fieldsOf(client, args.model).catch(() => undefined))?.active;
    const fields = [...Object.keys(args.values), ...(watchActive ? ["active"] : []), ...(args.readBack ?? [])];
    const row = await readCoalesced(client, args.model, Number(id), fields, true).catch((error) => {
      // The model itself is gone (a CustomModel deleted outside Pulumi): so is the record.
      if (isOdooError(error, "ODOO_NOT_FOUND")) return undefined;
      throw error;
    });
    if (!row) return GONE;
    const values = fromOdoo(args.values, row, args.applied ?? {});
    if (watchActive && row.active === false) values.active = false;
    return { id, props: { ...args, values, ...derivedOf(args, row) } };
  },

  async update(id, previous, args) {
    const client = clientFor(args.connection);
    const changed = Object.fromEntries(Object.entries(args.values).filter(([key, value]) => !same(previous.values?.[key], value)));
    // Found archived by refresh, and not declared: as declared means active again.
    if (previous.values?.active === false && !("active" in args.values)) changed.active = true;
    const written = await toOdooFor(client, args.model, changed, await fieldsOf(client, args.model));
    const ids = [Number(id)];
    const outs = await updateOnce(
      `${args.model} record ${id}`,
      async () => {
        if (Object.keys(written).length) await writeCoalesced(client, args.model, Number(id), written);
        if (args.xmlId && args.xmlId !== previous.xmlId) await moveXmlId(client, previous.xmlId, args.xmlId, args.model, Number(id));
        return mustReadOutputs(client, Number(id), args, written, previous.applied);
      },
      async () => {
        // What was written, as Odoo would store it (a field it normalises never matches: written again).
        const [row] = await client.call<Record<string, unknown>[]>(args.model, "read", { ids, fields: Object.keys(written), load: null });
        if (!row || !Object.entries(written).every(([key, value]) => same(row[key], storedForm(value)))) return undefined;
        if (args.xmlId && (await lookupXmlId(client, args.xmlId))?.res_id !== Number(id)) return undefined;
        return mustReadOutputs(client, Number(id), args, written, previous.applied);
      },
    );
    return { outs };
  },

  async delete(id, args) {
    if (args.onDelete === "keep") return;
    const client = clientFor(args.connection);
    try {
      const ids = [Number(id)];
      const archive = args.onDelete === "archive";
      await deleteOnce(
        `${args.model} record ${id}`,
        () => (archive ? writeCoalesced(client, args.model, Number(id), { active: false }) : unlinkCoalesced(client, args.model, Number(id))),
        async () => {
          const rows = await client.call<{ active?: boolean }[]>(args.model, "read", { ids, fields: archive ? ["active"] : ["id"] });
          return rows.length > 0 && (!archive || rows[0].active !== false);
        },
      );
    } catch (error) {
      if (isOdooError(error, "ODOO_MISSING", "ODOO_NOT_FOUND")) return;
      if (isOdooError(error, "ODOO_USER_ERROR", "ODOO_VALIDATION") && args.onDelete === "unlink") {
        throw new OdooError(error.code, `${error.message} To retire it without deleting, set onDelete: "archive" (or "keep") and apply it first.`);
      }
      throw error;
    }
  },
});

/**
 * Brings a record taken over by its external id to the declared values, writing only the fields
 * that differ: a write changes write_date (and may run Odoo's onchange-like overrides), and a
 * database brought under Pulumi as it is should stay untouched. ODOO_MISSING when it is gone.
 */
async function takeOver(client: OdooClient, args: RecordInputs, id: number, fields: Record<string, FieldInfo> | undefined): Promise<void> {
  const found = await heldFor(client, args, id);
  if (!found) throw new OdooError("ODOO_MISSING", `${args.model} record ${id} no longer exists`);
  await writeDiffering(client, args, id, found, fields);
}

/**
 * Takes record `id` over when this is the database it is of and the record still exists: gives it
 * the external id first (so that a failure after is resumed by it), then the declared values.
 */
async function adoptById(
  client: OdooClient,
  args: RecordInputs,
  { database, id }: { database: string; id: number },
  fields: Record<string, FieldInfo> | undefined,
): Promise<boolean> {
  if ((await databaseUuid(client)) !== database) return false;
  const found = await heldFor(client, args, id);
  if (!found) return false;
  await registerXmlIdOnce(client, args.xmlId!, args.model, id);
  await writeDiffering(client, args, id, found, fields);
  return true;
}

/** The declared values in this server's names, and what record `id` holds of them; undefined when it is gone. */
async function heldFor(
  client: OdooClient,
  args: RecordInputs,
  id: number,
): Promise<{ declared: Record<string, unknown>; held: Record<string, unknown> } | undefined> {
  const declared = forVersion((await client.version()).major, args.model, args.values);
  const held = await heldByOdoo(client, args.model, id, declared);
  return held && { declared, held };
}

/** Writes the declared fields whose value differs from what the record holds (nothing when none does). */
async function writeDiffering(
  client: OdooClient,
  args: RecordInputs,
  id: number,
  { declared, held }: { declared: Record<string, unknown>; held: Record<string, unknown> },
  fields: Record<string, FieldInfo> | undefined,
): Promise<void> {
  const differing = Object.fromEntries(Object.entries(args.values).filter(([name]) => !same(held[name], declared[name])));
  if (Object.keys(differing).length) await writeCoalesced(client, args.model, id, await toOdooFor(client, args.model, differing, fields));
}

/** Values as this server takes them: references resolved (toOdoo), names of its version (forVersion). */
async function toOdooFor(
  client: OdooClient,
  model: string,
  values: Record<string, unknown>,
  fields: Record<string, FieldInfo> | undefined,
): Promise<Record<string, unknown>> {
  return forVersion((await client.version()).major, model, await toOdoo(client, values, fields));
}

/**
 * What Odoo holds after an apply becomes `applied`. Odoo changes what it stores only for some field
 * types (html is sanitised, monetary and float values rounded, binaries re-encoded): when the written
 * fields include one of those, or a field fields_get does not know yet, the record is read back;
 * otherwise what was written is what Odoo holds, and no read is needed.
 */
async function mustReadOutputs(
  client: OdooClient,
  id: number,
  args: RecordInputs,
  written: Record<string, unknown>,
  previous: Record<string, unknown> = {},
): Promise<RecordOutputs> {
  const applied: Record<string, unknown> = { ...previous };
  const fields = await fieldsOf(client, args.model);
  const needsRead = Object.keys(written).some((key) => !fields?.[key] || fieldType(fields[key].type).normalised || rewritten(args.model, key));
  // The fields read back as `derived` come in the same read.
  const toRead = [...(needsRead ? Object.keys(written) : []), ...(args.readBack ?? [])];
  const row = toRead.length ? await readCoalesced(client, args.model, id, toRead) : {};
  if (!row) throw new OdooError("ODOO_MISSING", `${args.model} record ${id} no longer exists in Odoo: run pulumi refresh`);
  for (const [key, value] of Object.entries(written)) applied[key] = needsRead ? row[key] : storedForm(value);
  return compact({ ...args, values: await resolveRefs(client, args.values), recordId: id, applied, ...derivedOf(args, row) });
}

/** The readBack fields of `row`, as the `derived` output (absent when none are asked). */
function derivedOf(args: RecordInputs, row: Record<string, unknown>): Pick<RecordOutputs, "derived"> {
  if (!args.readBack?.length) return {};
  return { derived: Object.fromEntries(args.readBack.map((name) => [name, row[name] ?? false])) };
}

// Exported as `Record`; named otherwise here so that TypeScript's own Record type stays usable.
/**
 * Any record of any model (partner tags, countries' states, a company, a custom model's rows), with
 * an optional external id that makes it adoptable. Only the declared fields are managed.
 */
export class OdooRecord extends OdooResource {
  /** The record's model. */
  declare readonly model: pulumi.Output<string>;
  /** The declared fields as Odoo holds them, in the shapes you wrote; an odoo.ref shows the id it names. */
  declare readonly values: pulumi.Output<{ [field: string]: unknown }>;
  /** The record's external id, when declared. */
  declare readonly xmlId: pulumi.Output<string | undefined>;
  /** The record's id: pass it to another Record's many2one or many2many. */
  declare readonly recordId: pulumi.Output<number>;
  /**
   * The `readBack` fields as Odoo holds them, read after each apply and refresh (many2one: the id;
   * x2many: the ids; empty: false), e.g. `template.derived.apply((d) => d.product_variant_id as number)`.
   * Only on a Record given `readBack`.
   */
  declare readonly derived: pulumi.Output<{ [field: string]: unknown }>;

  /**
   * @param name The Pulumi name of the resource.
   * @param args Its properties.
   * @param opts Pulumi's resource options.
   */
  constructor(name: string, args: RecordArgs, opts?: pulumi.CustomResourceOptions) {
    // `derived` only where asked: each property of each resource costs @pulumi/pulumi four stack traces.
    const outputs = args.readBack === undefined ? ["recordId", "applied"] : ["recordId", "applied", "derived"];
    super("record", name, args, opts, { outputs });
    (this as { recordId: pulumi.Output<number> }).recordId = idAsNumber(this);
  }
}
