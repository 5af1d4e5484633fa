import { isOdooError, OdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";

// External ids ("base.group_user") ↔ database ids, through ir.model.data (odoo19-facts §4).

export const XMLID_PATTERN = /^[A-Za-z0-9_]+\.[A-Za-z0-9_.-]+$/;

export async function resolveXmlId(client: OdooClient, xmlId: string, expectedModel?: string): Promise<number> {
  const [module, ...rest] = xmlId.split(".");
  try {
    const [model, id] = await client.call<[string, number]>("ir.model.data", "check_object_reference", { module, xml_id: rest.join(".") });
    if (expectedModel && model !== expectedModel) {
      throw new OdooError("ODOO_CONFIG", `external id '${xmlId}' points at a ${model} record, not a ${expectedModel}`);
    }
    return id;
  } catch (error) {
    // A missing external id is a 500 ValueError "External ID not found in the system: …".
    if (isOdooError(error, "ODOO_SERVER_ERROR") && /External ID not found/.test(error.message)) {
      throw new OdooError("ODOO_MISSING", `external id '${xmlId}' does not exist in this database`);
    }
    throw error;
  }
}

export async function xmlIdsOf(client: OdooClient, model: string, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const found = await client.call<Record<string, string>>(model, "get_external_id", { ids });
  return new Map(Object.entries(found).map(([id, xmlId]) => [Number(id), xmlId]));
}
