import { OdooError } from "../../client/errors";
import type { OdooClient } from "../../client/odoo-client";
import { compact } from "../../internal/resource";
import { resolveXmlId, xmlIdsOf } from "../../internal/xmlid";
import type { Access, CustomModelInputs, CustomModelOutputs } from "./inputs";

// A CustomModel's way to Odoo and back: ir.model and its ir.model.access rules, written and read
// in the properties' shapes.

export async function findModel(client: OdooClient, model: string): Promise<{ id: number } | undefined> {
  const [row] = await client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", model]], fields: ["id"], limit: 1 });
  return row;
}

export async function accessCommands(client: OdooClient, args: CustomModelInputs): Promise<unknown[]> {
  const commands = [];
  for (const rule of args.access) commands.push([0, 0, await accessValues(client, args, rule)]);
  return commands;
}

async function accessValues(client: OdooClient, args: CustomModelInputs, rule: Access) {
  return {
    name: `${args.model} ${rule.group}`,
    group_id: await resolveXmlId(client, rule.group, "res.groups"),
    perm_read: rule.read,
    perm_write: rule.write,
    perm_create: rule.create,
    perm_unlink: rule.unlink,
  };
}

export async function updateModel(client: OdooClient, id: number, args: CustomModelInputs): Promise<void> {
  await client.call("ir.model", "write", { ids: [id], vals: { name: args.name, info: args.description ?? false, order: args.order } });
  const current = await readAccess(client, id);
  const wanted = new Map(args.access.map((rule) => [rule.group, rule]));
  const stale = current.filter((row) => !wanted.has(row.group));
  if (stale.length) await client.call("ir.model.access", "unlink", { ids: stale.map((row) => row.id) });
  const created: number[] = [];
  for (const rule of args.access) {
    const row = current.find((r) => r.group === rule.group);
    const values = await accessValues(client, args, rule);
    if (!row) created.push(...(await client.call<number[]>("ir.model.access", "create", { vals_list: [{ ...values, model_id: id }] })));
    else if (row.read !== rule.read || row.write !== rule.write || row.create !== rule.create || row.unlink !== rule.unlink) {
      await client.call("ir.model.access", "write", { ids: [row.id], vals: values });
    }
  }
  // A rule created on its own leaves creates refused until a rule is written again (facts §3).
  if (created.length) await client.call("ir.model.access", "write", { ids: created, vals: { active: true } });
}

interface AccessRow {
  id: number;
  group: string;
  read: boolean;
  write: boolean;
  create: boolean;
  unlink: boolean;
}

export async function readAccess(client: OdooClient, modelId: number): Promise<AccessRow[]> {
  const rows = await client.call<Record<string, any>[]>("ir.model.access", "search_read", {
    domain: [["model_id", "=", modelId]],
    fields: ["group_id", "perm_read", "perm_write", "perm_create", "perm_unlink"],
    order: "id",
  });
  const groupIds = rows.map((row) => (Array.isArray(row.group_id) ? row.group_id[0] : 0)).filter(Boolean);
  const xmlIds = await xmlIdsOf(client, "res.groups", groupIds);
  return rows.map((row) => ({
    id: row.id,
    // A rule without a group applies to everyone; a group without an external id is named by its id.
    group: Array.isArray(row.group_id) ? xmlIds.get(row.group_id[0]) || `__id__.${row.group_id[0]}` : "",
    read: !!row.perm_read,
    write: !!row.perm_write,
    create: !!row.perm_create,
    unlink: !!row.perm_unlink,
  }));
}

export async function mustReadOutputs(client: OdooClient, id: number, args: CustomModelInputs): Promise<CustomModelOutputs> {
  const outs = await readOutputs(client, id, args);
  if (!outs) throw new OdooError("ODOO_MISSING", `model '${args.model}' (ir.model id ${id}) no longer exists in Odoo: run pulumi refresh`);
  return outs;
}

/** The model as Odoo holds it, in the inputs' shapes; undefined when it is gone. */
export async function readOutputs(client: OdooClient, id: number, args: CustomModelInputs): Promise<CustomModelOutputs | undefined> {
  const [row] = await client.call<Record<string, any>[]>("ir.model", "read", {
    ids: [id],
    fields: ["model", "name", "info", "order", "transient", "state"],
  });
  if (!row) return undefined;
  // Listed in the declared order, so that reordering nothing in Odoo shows no change.
  const order = (group: string) => {
    const index = args.access.findIndex((rule) => rule.group === group);
    return index === -1 ? Infinity : index;
  };
  const access = (await readAccess(client, id)).map(({ id: _, ...rule }) => rule).sort((a, b) => order(a.group) - order(b.group));
  return compact({
    ...args,
    model: row.model,
    name: row.name,
    description: row.info === false ? undefined : row.info,
    order: row.order,
    transient: row.transient,
    access,
    modelId: id,
    state: row.state,
  });
}
