import type { OdooClient } from "../client/odoo-client";
import { formArch, listArch } from "../resources/record/ui";

// How the exported custom models show in the web client: their views, window actions and menus.
// Where they are the four records a ModelUi makes (a list and a form view of its templates, the
// action that opens them, one menu entry, external ids prefix_list, _form, _action, _menu), they
// come out as that ModelUi, which takes them over by those ids.

/** A model's web-client records that fit a ModelUi, as its arguments. */
export interface ExportedUi {
  model: string;
  name: string;
  listFields: string[];
  /** Absent when the form shows the list's fields. */
  formFields?: string[];
  /** The parent menu's external id; absent for an entry in the home menu. */
  parentMenu?: string;
  /** Absent at ModelUi's default, 10. */
  sequence?: number;
  xmlIdPrefix: string;
}

interface View {
  id: number;
  name: string;
  type: string;
  arch: string;
}

interface Action {
  id: number;
  name: string;
  view_mode: string;
  /** search_read answers a many2one as [id, name]. */
  view_id: [number, string] | false;
  domain: string | false;
  context: string | false;
}

interface Menu {
  id: number;
  name: string;
  parent_id: [number, string] | false;
  sequence: number;
}

/** The ModelUi of each model whose web-client records fit one; a note for each whose records do not. */
export async function readUis(client: OdooClient, models: string[], notes: string[]): Promise<ExportedUi[]> {
  const uis: ExportedUi[] = [];
  for (const model of models) {
    const views = await client.call<View[]>("ir.ui.view", "search_read", {
      domain: [["model", "=", model]],
      fields: ["name", "type", "arch"],
      order: "id",
    });
    const actions = await client.call<Action[]>("ir.actions.act_window", "search_read", {
      domain: [["res_model", "=", model]],
      fields: ["name", "view_mode", "view_id", "domain", "context"],
      order: "id",
    });
    const menus = actions.length
      ? await client.call<Menu[]>("ir.ui.menu", "search_read", {
          domain: [["action", "in", actions.map((action) => `ir.actions.act_window,${action.id}`)]],
          fields: ["name", "parent_id", "sequence"],
          order: "id",
          // Before 19, a search leaves out the menus the user may not see (a Technical one): all of them.
          context: { "ir.ui.menu.full_list": true },
        })
      : [];
    if (!views.length && !actions.length) continue;
    const ui = await asModelUi(client, model, views, actions, menus);
    if (ui) uis.push(ui);
    else
      notes.push(
        `the web client's views, actions and menus of ${model} (${views.length} views, ${actions.length} actions, ${menus.length} menus) are not the four records of a ModelUi with external ids: not exported yet`,
      );
  }
  return uis;
}

/** The ModelUi these records are, or undefined when they are something else. */
async function asModelUi(client: OdooClient, model: string, views: View[], actions: Action[], menus: Menu[]): Promise<ExportedUi | undefined> {
  if (views.length !== 2 || actions.length !== 1 || menus.length !== 1) return undefined;
  const list = views.find((view) => view.type === "list" || view.type === "tree");
  const form = views.find((view) => view.type === "form");
  const [action] = actions;
  const [menu] = menus;
  if (!list || !form || list.name !== `${model}.list` || form.name !== `${model}.form`) return undefined;
  const listFields = fieldsOf(list.arch.replace(/^<tree>/, "<list>").replace(/<\/tree>$/, "</list>"), listArch);
  const formFields = fieldsOf(form.arch, formArch);
  if (!listFields || !formFields) return undefined;
  // What a ModelUi does not declare must be at Odoo's defaults, or a fresh database would lack it.
  const plainAction =
    ["list,form", "tree,form"].includes(action.view_mode) &&
    action.view_id !== false &&
    action.view_id[0] === list.id &&
    [false, "[]"].includes(action.domain) &&
    [false, "{}"].includes(action.context);
  if (!plainAction || menu.name !== action.name) return undefined;
  const ids = await xmlIdsOf(client, [
    ["ir.ui.view", list.id],
    ["ir.ui.view", form.id],
    ["ir.actions.act_window", action.id],
    ["ir.ui.menu", menu.id],
    ...(menu.parent_id ? [["ir.ui.menu", menu.parent_id[0]] as [string, number]] : []),
  ]);
  const prefix = ids[`ir.ui.view,${list.id}`]?.find((xmlId) => xmlId.endsWith("_list"))?.slice(0, -"_list".length);
  const owns = (key: string, suffix: string) => !!prefix && !!ids[key]?.includes(`${prefix}_${suffix}`);
  if (!prefix || !owns(`ir.ui.view,${form.id}`, "form") || !owns(`ir.actions.act_window,${action.id}`, "action") || !owns(`ir.ui.menu,${menu.id}`, "menu"))
    return undefined;
  const parentMenu = menu.parent_id ? ids[`ir.ui.menu,${menu.parent_id[0]}`]?.[0] : undefined;
  if (menu.parent_id && !parentMenu) return undefined;
  return {
    model,
    name: action.name,
    listFields,
    ...(formFields.join() === listFields.join() ? {} : { formFields }),
    ...(parentMenu ? { parentMenu } : {}),
    ...(menu.sequence === 10 ? {} : { sequence: menu.sequence }),
    xmlIdPrefix: prefix,
  };
}

/** The fields an arch shows when it is `template`'s, else undefined. */
function fieldsOf(arch: string, template: (fields: string[]) => string): string[] | undefined {
  const fields = [...arch.matchAll(/<field name="([a-z_][a-z0-9_]*)"\/>/g)].map((match) => match[1]);
  return fields.length && template(fields) === arch ? fields : undefined;
}

/** The external ids of records, module.name by "model,id" (a record may have several). */
async function xmlIdsOf(client: OdooClient, records: [string, number][]): Promise<Record<string, string[]>> {
  const rows = await client.call<{ module: string; name: string; model: string; res_id: number }[]>("ir.model.data", "search_read", {
    domain: [
      ["model", "in", [...new Set(records.map(([model]) => model))]],
      ["res_id", "in", records.map(([, id]) => id)],
    ],
    fields: ["module", "name", "model", "res_id"],
    order: "id",
  });
  const found: Record<string, string[]> = {};
  for (const row of rows) (found[`${row.model},${row.res_id}`] ??= []).push(`${row.module}.${row.name}`);
  return found;
}
