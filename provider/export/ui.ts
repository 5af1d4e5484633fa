import { fieldsOf } from "../client/fields";
import type { OdooClient } from "../client/odoo-client";
import { formArch, listArch } from "../resources/record/ui";
import type { Ref } from "./records";

// How the exported custom models show in the web client: their views, window actions and menus.
// Where four of them are the records a ModelUi makes (a list and a form view of its templates, the
// action that opens them, one menu entry, external ids prefix_list, _form, _action, _menu), they
// come out as that ModelUi, which takes them over by those ids; the others as Records, each by its
// external id (one made up for a record without, taken over by id in this database alone).

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
  /** Its records ("model,id" → list, form, action or menu), which other records may name. */
  parts: Record<string, "listView" | "formView" | "action" | "menu">;
}

/** Another exported web-client record, named by its key ("model,id"): written as that resource's recordId. */
export interface UiLink {
  __ui: string;
  /** A reference field's form ("ir.actions.act_window,<id>") rather than the id. */
  asReference?: boolean;
}

/** The exported custom model, written as its CustomModel's `model` output. */
export interface ModelLink {
  __model: string;
}

/** A view, window action or menu exported as a Record. */
export interface ExportedUiRecord {
  /** "model,id" in the exported database. */
  key: string;
  model: "ir.ui.view" | "ir.actions.act_window" | "ir.ui.menu";
  /** The custom model it shows. */
  shows: string;
  /** What it is called (a view's or action's name, a menu's label). */
  label: string;
  xmlId: string;
  /** Its record id, when its external id was made up here: taken over by id in this database. */
  adoptId?: number;
  values: Record<string, unknown | Ref | UiLink | ModelLink>;
}

type Many2one = [number, string] | false;

interface View {
  id: number;
  name: string;
  type: string;
  arch: string;
  priority: number;
  inherit_id: Many2one;
  mode: string;
  groups: number[];
}

interface Action {
  id: number;
  name: string;
  view_mode: string;
  view_id: Many2one;
  search_view_id: Many2one;
  domain: string | false;
  context: string | false;
  target: string | false;
  limit: number;
}

interface Menu {
  id: number;
  name: string;
  parent_id: Many2one;
  sequence: number;
  action: string | false;
  groups: number[];
}

/** The views, actions and menus of each model: a ModelUi where four of them are one, Records for the rest. */
export async function readUis(client: OdooClient, models: string[], notes: string[]): Promise<{ uis: ExportedUi[]; records: ExportedUiRecord[] }> {
  const uis: ExportedUi[] = [];
  const records: ExportedUiRecord[] = [];
  if (!models.length) return { uis, records };
  // Odoo 19 calls the groups of a view or menu group_ids; 14–18 groups_id.
  const groupsField = (await fieldsOf(client, "ir.ui.menu"))?.group_ids ? "group_ids" : "groups_id";
  for (const model of models) {
    const read = await readModelUi(client, model, groupsField);
    const ids = await allExternalIds(client, [
      ...read.views.flatMap((v) => [["ir.ui.view", v.id], ...(v.inherit_id ? [["ir.ui.view", v.inherit_id[0]]] : [])]),
      ...read.actions.flatMap((a) => [
        ["ir.actions.act_window", a.id],
        ...[a.view_id, a.search_view_id].filter((m) => m).map((m) => ["ir.ui.view", (m as [number, string])[0]]),
      ]),
      ...read.menus.flatMap((m) => [["ir.ui.menu", m.id], ...(m.parent_id ? [["ir.ui.menu", m.parent_id[0]]] : [])]),
      ...[...read.views, ...read.menus].flatMap((r) => r.groups.map((g) => ["res.groups", g])),
    ] as [string, number][]);
    const ui = asModelUi(model, read, ids);
    if (ui) uis.push(ui);
    const taken = new Set(Object.keys(ui?.parts ?? {}));
    const exported = new Set([
      ...read.views.map((v) => `ir.ui.view,${v.id}`),
      ...read.actions.map((a) => `ir.actions.act_window,${a.id}`),
      ...read.menus.map((m) => `ir.ui.menu,${m.id}`),
    ]);
    const context = { model, ids, exported, groupsField, notes };
    for (const view of read.views.filter((v) => !taken.has(`ir.ui.view,${v.id}`)))
      add(records, context, "ir.ui.view", view.id, view.name, viewValues(view, context));
    for (const action of read.actions.filter((a) => !taken.has(`ir.actions.act_window,${a.id}`)))
      add(records, context, "ir.actions.act_window", action.id, action.name, actionValues(action, context));
    for (const menu of read.menus.filter((m) => !taken.has(`ir.ui.menu,${m.id}`)))
      add(records, context, "ir.ui.menu", menu.id, menu.name, menuValues(menu, context));
  }
  return { uis, records };
}

async function readModelUi(client: OdooClient, model: string, groupsField: string): Promise<{ views: View[]; actions: Action[]; menus: Menu[] }> {
  const groupsRead = <T extends { groups: number[] }>(rows: Record<string, unknown>[]) =>
    rows.map((row) => ({ ...row, groups: (row[groupsField] as number[]) ?? [] }) as unknown as T);
  const views = groupsRead<View>(
    await client.call("ir.ui.view", "search_read", {
      domain: [["model", "=", model]],
      fields: ["name", "type", "arch", "priority", "inherit_id", "mode", groupsField],
      order: "id",
    }),
  );
  const actions = await client.call<Action[]>("ir.actions.act_window", "search_read", {
    domain: [["res_model", "=", model]],
    fields: ["name", "view_mode", "view_id", "search_view_id", "domain", "context", "target", "limit"],
    order: "id",
  });
  const menus = actions.length
    ? groupsRead<Menu>(
        await client.call("ir.ui.menu", "search_read", {
          domain: [["action", "in", actions.map((action) => `ir.actions.act_window,${action.id}`)]],
          fields: ["name", "parent_id", "sequence", "action", groupsField],
          order: "id",
          // Before 19, a search leaves out the menus the user may not see (a Technical one): all of them.
          context: { "ir.ui.menu.full_list": true },
        }),
      )
    : [];
  return { views, actions, menus };
}

/** The ModelUi four of these records are, found by a list view's external id prefix_list; undefined when none fits. */
function asModelUi(model: string, { views, actions, menus }: Awaited<ReturnType<typeof readModelUi>>, ids: Record<string, string[]>): ExportedUi | undefined {
  const owned = (key: string, xmlId: string) => ids[key]?.includes(xmlId);
  for (const list of views.filter((view) => ["list", "tree"].includes(view.type) && view.name === `${model}.list`)) {
    const prefix = ids[`ir.ui.view,${list.id}`]?.find((xmlId) => xmlId.endsWith("_list"))?.slice(0, -"_list".length);
    if (!prefix) continue;
    const form = views.find((view) => view.type === "form" && view.name === `${model}.form` && owned(`ir.ui.view,${view.id}`, `${prefix}_form`));
    const action = actions.find((a) => owned(`ir.actions.act_window,${a.id}`, `${prefix}_action`));
    const menu = menus.find((m) => owned(`ir.ui.menu,${m.id}`, `${prefix}_menu`));
    if (!form || !action || !menu || list.inherit_id || form.inherit_id || list.groups.length || form.groups.length || menu.groups.length) continue;
    const listFields = archFields(list.arch.replace(/^<tree>/, "<list>").replace(/<\/tree>$/, "</list>"), listArch);
    const formFields = archFields(form.arch, formArch);
    // What a ModelUi does not declare must be at Odoo's defaults, or a fresh database would lack it.
    const plainAction =
      ["list,form", "tree,form"].includes(action.view_mode) &&
      action.view_id !== false &&
      action.view_id[0] === list.id &&
      !action.search_view_id &&
      [false, "[]"].includes(action.domain) &&
      [false, "{}"].includes(action.context) &&
      [false, "current"].includes(action.target) &&
      action.limit === 80;
    const parentMenu = menu.parent_id ? ids[`ir.ui.menu,${menu.parent_id[0]}`]?.[0] : undefined;
    if (!listFields || !formFields || !plainAction || menu.name !== action.name || (menu.parent_id && !parentMenu)) continue;
    return {
      model,
      name: action.name,
      listFields,
      ...(formFields.join() === listFields.join() ? {} : { formFields }),
      ...(parentMenu ? { parentMenu } : {}),
      ...(menu.sequence === 10 ? {} : { sequence: menu.sequence }),
      xmlIdPrefix: prefix,
      parts: {
        [`ir.ui.view,${list.id}`]: "listView",
        [`ir.ui.view,${form.id}`]: "formView",
        [`ir.actions.act_window,${action.id}`]: "action",
        [`ir.ui.menu,${menu.id}`]: "menu",
      },
    };
  }
  return undefined;
}

interface Context {
  model: string;
  ids: Record<string, string[]>;
  /** The keys of every record of the model's web client (ModelUi's included). */
  exported: Set<string>;
  groupsField: string;
  notes: string[];
}

/** A record's values, undefined when one of them names a record that can be named neither way (said). */
type Values = ExportedUiRecord["values"] | undefined;

function viewValues(view: View, context: Context): Values {
  const values: ExportedUiRecord["values"] = { name: view.name, model: { __model: context.model }, type: view.type, arch: view.arch };
  if (view.priority !== 16) values.priority = view.priority;
  if (view.inherit_id) {
    values.inherit_id = link(context, "ir.ui.view", view.inherit_id[0]);
    if (view.mode === "primary") values.mode = "primary";
  }
  return complete(withGroups(values, view.groups, context));
}

function actionValues(action: Action, context: Context): Values {
  const values: ExportedUiRecord["values"] = { name: action.name, res_model: { __model: context.model }, view_mode: action.view_mode };
  if (action.view_id) values.view_id = link(context, "ir.ui.view", action.view_id[0]);
  if (action.search_view_id) values.search_view_id = link(context, "ir.ui.view", action.search_view_id[0]);
  if (action.domain && action.domain !== "[]") values.domain = action.domain;
  if (action.context && action.context !== "{}") values.context = action.context;
  if (action.target && action.target !== "current") values.target = action.target;
  if (action.limit !== 80) values.limit = action.limit;
  return complete(values);
}

function menuValues(menu: Menu, context: Context): Values {
  const values: ExportedUiRecord["values"] = { name: menu.name };
  if (menu.parent_id) values.parent_id = link(context, "ir.ui.menu", menu.parent_id[0]);
  // Only menus of the model's actions are read: the action is exported.
  values.action = { __ui: menu.action as string, asReference: true };
  if (menu.sequence !== 10) values.sequence = menu.sequence;
  return complete(withGroups(values, menu.groups, context));
}

function withGroups(values: ExportedUiRecord["values"], groups: number[], context: Context): ExportedUiRecord["values"] {
  if (groups.length) values[context.groupsField] = groups.map((id) => link(context, "res.groups", id));
  return values;
}

/** The values, or undefined when a link in them found nothing to name the record by. */
function complete(values: ExportedUiRecord["values"]): Values {
  return Object.values(values).some((v) => v === undefined || (Array.isArray(v) && v.includes(undefined))) ? undefined : values;
}

/** Another record, as an exported one or by its external id; undefined when it has neither. */
function link(context: Context, model: string, id: number): Ref | UiLink | undefined {
  const key = `${model},${id}`;
  if (context.exported.has(key)) return { __ui: key };
  const xmlId = context.ids[key]?.[0];
  return xmlId ? { __odooRef: xmlId } : undefined;
}

function add(records: ExportedUiRecord[], context: Context, model: ExportedUiRecord["model"], id: number, label: string, values: Values): void {
  if (!values) {
    context.notes.push(`${model} record ${id} ('${label}') of ${context.model} names a record that has no external id: not exported`);
    return;
  }
  const own = context.ids[`${model},${id}`]?.[0];
  records.push({
    key: `${model},${id}`,
    model,
    shows: context.model,
    label,
    xmlId: own ?? `__export__.${model.replace(/\./g, "_")}_${id}`,
    ...(own ? {} : { adoptId: id }),
    values,
  });
}

/** The fields an arch shows when it is `template`'s, else undefined. */
function archFields(arch: string, template: (fields: string[]) => string): string[] | undefined {
  const fields = [...arch.matchAll(/<field name="([a-z_][a-z0-9_]*)"\/>/g)].map((match) => match[1]);
  return fields.length && template(fields) === arch ? fields : undefined;
}

/**
 * The external ids of records of several models, module.name by "model,id": every one a record has
 * (get_external_id gives one, and a ModelUi's list view is known by the one ending in _list).
 */
async function allExternalIds(client: OdooClient, records: [string, number][]): Promise<Record<string, string[]>> {
  if (!records.length) return {};
  const rows = await client.call<{ module: string; name: string; model: string; res_id: number }[]>("ir.model.data", "search_read", {
    domain: [
      ["model", "in", [...new Set(records.map(([model]) => model))]],
      ["res_id", "in", [...new Set(records.map(([, id]) => id))]],
    ],
    fields: ["module", "name", "model", "res_id"],
    order: "id",
  });
  const found: Record<string, string[]> = {};
  for (const row of rows) (found[`${row.model},${row.res_id}`] ??= []).push(`${row.module}.${row.name}`);
  return found;
}
