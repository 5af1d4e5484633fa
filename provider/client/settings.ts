import type { OdooClient } from "./odoo-client";

// res.config.settings, as the Settings form drives it: a transient record made with the values,
// then `execute`, which applies every field of the form (groups, config parameters, company fields,
// module_* installs). `default_get` reads what the form would show, except fields related to the
// company (report_footer: company_id.report_footer), which are read from the company itself.

const MODEL = "res.config.settings";

/** One settings field, as fields_get describes it. */
export interface SettingsField {
  type: string;
  string?: string;
  readonly?: boolean;
  relation?: string;
  related?: string;
  selection?: [string, string][];
}

/** Every field of the Settings form. Not cached: installing a module adds fields. */
export function settingsFields(client: OdooClient): Promise<Record<string, SettingsField>> {
  return client.call<Record<string, SettingsField>>(MODEL, "fields_get", { attributes: ["type", "string", "readonly", "relation", "related", "selection"] });
}

/** The context that makes a company the current one, for settings that belong to a company. */
function companyContext(companyId: number | undefined): Record<string, unknown> {
  return companyId === undefined ? {} : { context: { allowed_company_ids: [companyId] } };
}

/** The current values of `keys` (many2one values as ids), for `companyId` or the user's company. */
export async function readSettings(
  client: OdooClient,
  keys: string[],
  fields: Record<string, SettingsField>,
  companyId?: number,
): Promise<Record<string, unknown>> {
  const plain = keys.filter((key) => !fields[key]?.related);
  const values = plain.length ? await client.call<Record<string, unknown>>(MODEL, "default_get", { fields: plain, ...companyContext(companyId) }) : {};
  const result: Record<string, unknown> = {};
  for (const key of plain) result[key] = key in values ? values[key] : false;
  const related = keys.filter((key) => fields[key]?.related);
  if (related.length) {
    const company = companyId ?? (await client.call<{ company_id: number }>(MODEL, "default_get", { fields: ["company_id"] })).company_id;
    for (const key of related) result[key] = await followPath(client, "res.company", company, fields[key].related!.split(".").slice(1));
  }
  for (const [key, value] of Object.entries(result)) if (Array.isArray(value) && fields[key]?.type === "many2one") result[key] = value[0];
  return result;
}

/** Reads a related field's path (company_id.partner_id.name) from the company on. */
async function followPath(client: OdooClient, model: string, id: number | false, path: string[]): Promise<unknown> {
  let current: { model: string; id: number | false } = { model, id };
  for (const [index, name] of path.entries()) {
    if (!current.id) return false;
    const [row] = await client.call<Record<string, unknown>[]>(current.model, "read", { ids: [current.id], fields: [name] });
    const value = row?.[name];
    if (index === path.length - 1) return value;
    const info = await client.call<Record<string, { relation?: string }>>(current.model, "fields_get", { allfields: [name], attributes: ["relation"] });
    current = { model: info[name]?.relation ?? "", id: Array.isArray(value) ? (value[0] as number) : false };
  }
  return false;
}

/** Applies `values` as the Settings form's Save does. */
export async function applySettings(client: OdooClient, values: Record<string, unknown>, companyId?: number, timeoutMs?: number): Promise<void> {
  const context = companyContext(companyId);
  const vals = companyId === undefined ? values : { company_id: companyId, ...values };
  const [id] = await client.call<number[]>(MODEL, "create", { vals_list: [vals], ...context });
  await client.call(MODEL, "execute", { ids: [id], ...context }, { timeoutMs });
}
