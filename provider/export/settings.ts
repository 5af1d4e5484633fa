import type { OdooClient } from "../client/odoo-client";
import { readSettings, type SettingsField, settingsFields } from "../client/settings";
import FRESH from "./fresh-settings.json";
import { externalIds, type Ref } from "./records";

// What `pulumi-odoo export` reads of the Settings form: the values that differ from a fresh
// database's. Odoo cannot say what a fresh database holds (a setting's default lives in Python), so
// fresh-settings.json holds it, measured on real fresh databases of each version with every application
// of Odoo's community edition installed (test/real-odoo/fresh-settings.ts). A setting it does not know
// (another module's) is taken as fresh when empty: false, 0, no text, no record.

/** A setting's value as the table and the program hold it: a record by its external id, null for none. */
export type FreshValue = boolean | number | string | null | Ref;

/** Types a Settings resource holds; module_* settings are Modules, company_id is Settings' company. */
const TYPES = new Set(["boolean", "integer", "float", "monetary", "char", "text", "html", "selection", "many2one"]);
const NOT_SETTINGS = new Set(["id", "display_name", "create_uid", "create_date", "write_uid", "write_date", "__last_update", "company_id"]);

/** The settings an export considers: what a person sets on the form, less modules (exported as Modules). */
export function exportableSettings(fields: Record<string, SettingsField>): string[] {
  return Object.keys(fields)
    .filter((key) => !key.startsWith("module_") && !NOT_SETTINGS.has(key) && !fields[key].readonly && TYPES.has(fields[key].type))
    .sort();
}

/** The settings whose values differ from a fresh database's of `major`, as the program writes them. */
export async function readChangedSettings(client: OdooClient, major: number, notes: string[]): Promise<Record<string, FreshValue>> {
  const fields = await settingsFields(client);
  const keys = exportableSettings(fields);
  const current = await readSettings(client, keys, fields);
  const fresh = (FRESH as Record<string, Record<string, FreshValue>>)[String(major)] ?? {};
  const changed: Record<string, FreshValue> = {};
  for (const key of keys) {
    const field = fields[key];
    const value = current[key] === undefined ? false : current[key];
    if (field.type !== "many2one") {
      if (key in fresh ? value === fresh[key] : isEmpty(value)) continue;
      changed[key] = value as FreshValue;
      continue;
    }
    const id = typeof value === "number" ? value : undefined;
    const xmlId = id === undefined ? undefined : (await externalIds(client, field.relation!, [id])).get(id);
    const was = key in fresh ? fresh[key] : null;
    if (id === undefined ? was === null : xmlId !== undefined && isRefTo(was, xmlId)) continue;
    if (id !== undefined && xmlId === undefined) {
      notes.push(`the setting ${key} names ${field.relation} ${id}, which has no external id: not exported`);
      continue;
    }
    changed[key] = xmlId === undefined ? null : { __odooRef: xmlId };
  }
  return changed;
}

function isEmpty(value: unknown): boolean {
  return value === false || value === 0 || value === "" || value === null;
}

function isRefTo(value: FreshValue | undefined, xmlId: string): boolean {
  return typeof value === "object" && value !== null && value.__odooRef === xmlId;
}
