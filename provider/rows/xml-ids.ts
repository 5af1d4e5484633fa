import { OdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";
import { lookupXmlId, registerXmlId } from "./batch";

// A Record's external id (ir.model.data): found before a create, so that a record is adopted rather
// than made twice, and moved when the program renames it.

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
