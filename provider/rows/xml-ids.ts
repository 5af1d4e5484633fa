import { OdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";
import { createOnce } from "../internal/unknown-outcome";
import { lookupXmlId } from "../internal/xmlid";
import { registerXmlId } from "./batch";

// A record's external id (ir.model.data): found before a create, so that a record is adopted rather
// than made twice, registered once it is made, and moved when the program renames it.

/** The record an external id names, when it names one of this model (another model's is refused). */
export async function findByXmlId(client: OdooClient, xmlId: string, model: string): Promise<{ id: number; resId: number } | undefined> {
  const row = await lookupXmlId(client, xmlId);
  if (!row) return undefined;
  if (row.model !== model) {
    throw new OdooError("ODOO_VALIDATION", `external id '${xmlId}' already names a ${row.model} record, not a ${model} one: choose another xmlId`);
  }
  return { id: row.id, resId: row.res_id };
}

/** Gives record `id` the external id `to`: renames its old one `from`, or registers a new one. */
export async function moveXmlId(client: OdooClient, from: string | undefined, to: string, model: string, id: number): Promise<void> {
  const taken = await lookupXmlId(client, to);
  if (taken && !(taken.model === model && taken.res_id === id)) {
    throw new OdooError("ODOO_VALIDATION", `external id '${to}' already names ${taken.model} record ${taken.res_id}: choose another xmlId`);
  }
  if (taken) return;
  const current = from ? await lookupXmlId(client, from) : undefined;
  const [module, ...rest] = to.split(".");
  if (current) await client.call("ir.model.data", "write", { ids: [current.id], vals: { module, name: rest.join(".") } });
  else await registerXmlId(client, to, model, id);
}

/**
 * Registers the external id of record `id`, just made (with the other registrations of the moment):
 * a lost answer is settled by looking the id up. When it cannot be registered, the record goes too,
 * so that no record is left that its external id would not find again.
 */
export async function registerNewXmlId(client: OdooClient, xmlId: string, model: string, id: number): Promise<void> {
  try {
    await registerXmlIdOnce(client, xmlId, model, id);
  } catch (error) {
    await client.call(model, "unlink", { ids: [id] }).catch(() => undefined);
    throw error;
  }
}

/** Registers the external id of record `id` (with the others of the moment); a lost answer is settled by looking the id up. */
export async function registerXmlIdOnce(client: OdooClient, xmlId: string, model: string, id: number): Promise<void> {
  await createOnce(
    `external id '${xmlId}'`,
    () => registerXmlId(client, xmlId, model, id).then(() => true),
    async () => ((await lookupXmlId(client, xmlId))?.res_id === id ? true : undefined),
    "run pulumi up again later",
  );
}

/** The database's uuid (ir.config_parameter database.uuid): record ids mean something in that database alone. */
export async function databaseUuid(client: OdooClient): Promise<string | undefined> {
  const [row] = await client.call<{ value: string }[]>("ir.config_parameter", "search_read", { domain: [["key", "=", "database.uuid"]], fields: ["value"] });
  return row?.value;
}
