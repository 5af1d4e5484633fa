import { isOdooError } from "./errors";
import type { OdooClient } from "./odoo-client";

// What a model's fields are (fields_get), asked once per model, server and database in a provider
// process, and forgotten when a module operation may have changed them.

/** One field as fields_get describes it: the attributes this provider reads. */
export interface FieldInfo {
  type: string;
  string?: string;
  readonly?: boolean;
  relation?: string;
  selection?: [string, string][];
}

const fieldsCache = new Map<string, Promise<Record<string, FieldInfo> | undefined>>();

/** The model's fields, or undefined when the model does not exist (yet). Cached for the process. */
export function fieldsOf(client: OdooClient, model: string): Promise<Record<string, FieldInfo> | undefined> {
  const key = `${client.databaseKey}\u0000${model}`;
  let fields = fieldsCache.get(key);
  if (!fields) {
    fields = client
      .call<Record<string, FieldInfo>>(model, "fields_get", { attributes: ["type", "string", "readonly", "relation", "selection"] })
      .catch((error) => {
        fieldsCache.delete(key);
        if (isOdooError(error, "ODOO_NOT_FOUND", "ODOO_USER_ERROR")) return undefined;
        throw error;
      });
    fieldsCache.set(key, fields);
  }
  return fields;
}

/** Forgets the fields of every model of this server and database: a module operation changes them. */
export function forgetFields(client: OdooClient): void {
  const prefix = `${client.databaseKey}\u0000`;
  for (const key of [...fieldsCache.keys()]) if (key.startsWith(prefix)) fieldsCache.delete(key);
}
