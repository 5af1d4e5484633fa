import { Batcher, keyOf, LOOKUP_WINDOW } from "../client/batcher";
import { OdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";

// External ids ("base.group_user") ↔ database ids, through ir.model.data (odoo19-facts §4).

export const XMLID_PATTERN = /^[A-Za-z0-9_]+\.[A-Za-z0-9_.-]+$/;

/**
 * The record an external id names. Read from ir.model.data itself, with the other lookups asked at
 * the same time: check_object_reference answers false for a record the user may not see (an
 * archived one; before 19, a menu of a group the user is not in, such as base.menu_custom).
 */
export async function resolveXmlId(client: OdooClient, xmlId: string, expectedModel?: string): Promise<number> {
  const found = await lookupXmlId(client, xmlId);
  if (!found) throw new OdooError("ODOO_MISSING", `external id '${xmlId}' does not exist in this database`);
  if (expectedModel && found.model !== expectedModel) {
    throw new OdooError("ODOO_CONFIG", `external id '${xmlId}' points at a ${found.model} record, not a ${expectedModel}`);
  }
  return found.res_id;
}

export async function xmlIdsOf(client: OdooClient, model: string, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const found = await client.call<Record<string, string>>(model, "get_external_id", { ids });
  return new Map(Object.entries(found).map(([id, xmlId]) => [Number(id), xmlId]));
}

export interface XmlIdRow {
  id: number;
  model: string;
  res_id: number;
}

const xmlIdLookups = new Batcher(async (_key: string, items: { client: OdooClient; module: string; name: string }[]) => {
  const rows = await items[0].client.call<(XmlIdRow & { module: string; name: string })[]>("ir.model.data", "search_read", {
    domain: [
      ["module", "in", [...new Set(items.map((item) => item.module))]],
      ["name", "in", [...new Set(items.map((item) => item.name))]],
    ],
    fields: ["module", "name", "model", "res_id"],
  });
  const found = new Map(rows.map(({ module, name, ...row }) => [`${module}.${name}`, row]));
  return items.map((item) => ({ value: found.get(`${item.module}.${item.name}`) }));
}, LOOKUP_WINDOW);

/** What an external id (module.name) names, if it exists: looked up with the others asked at the same time. */
export function lookupXmlId(client: OdooClient, xmlId: string): Promise<XmlIdRow | undefined> {
  const [module, ...rest] = xmlId.split(".");
  return xmlIdLookups.add(keyOf(client, "ir.model.data"), { client, module, name: rest.join(".") });
}
