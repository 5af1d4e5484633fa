import { validation } from "./fault";
import type { FieldDef, Orm } from "./orm";

// The web client's models that a program can declare as Records: views, window actions and
// menus. A view's arch is judged and re-serialized on write, as Odoo's lxml does (odoo19-facts).

type F = Partial<FieldDef> & { name: string; type: FieldDef["type"] };

const ACTION_MODELS: [string, string][] = [
  ["ir.actions.report", "ir.actions.report"],
  ["ir.actions.act_window", "ir.actions.act_window"],
  ["ir.actions.act_url", "ir.actions.act_url"],
  ["ir.actions.server", "ir.actions.server"],
  ["ir.actions.client", "ir.actions.client"],
];

export const UI_MODELS: [string, string, F[]][] = [
  [
    "ir.ui.view",
    "View",
    [
      { name: "name", type: "char", string: "View Name", required: true },
      { name: "model", type: "char", string: "Model" },
      {
        name: "type",
        type: "selection",
        string: "View Type",
        selection: [
          ["list", "List"],
          ["form", "Form"],
          ["search", "Search"],
          ["kanban", "Kanban"],
          ["qweb", "QWeb"],
        ],
      },
      { name: "arch", type: "text", string: "View Architecture" },
      { name: "priority", type: "integer", string: "Sequence" },
      { name: "inherit_id", type: "many2one", string: "Inherited View", relation: "ir.ui.view" },
      {
        name: "mode",
        type: "selection",
        string: "View inheritance mode",
        selection: [
          ["primary", "Base view"],
          ["extension", "Extension View"],
        ],
      },
      { name: "group_ids", type: "many2many", string: "Groups", relation: "res.groups" },
      { name: "active", type: "boolean", string: "Active" },
    ],
  ],
  [
    "ir.actions.act_window",
    "Action Window",
    [
      { name: "name", type: "char", string: "Action Name", required: true },
      { name: "type", type: "char", string: "Action Type" },
      { name: "res_model", type: "char", string: "Destination Model", required: true },
      { name: "view_mode", type: "char", string: "View Mode" },
      { name: "view_id", type: "many2one", string: "View Ref.", relation: "ir.ui.view" },
      { name: "search_view_id", type: "many2one", string: "Search View Ref.", relation: "ir.ui.view" },
      { name: "limit", type: "integer", string: "Limit" },
      {
        name: "target",
        type: "selection",
        string: "Target Window",
        selection: [
          ["current", "Current Window"],
          ["new", "New Window"],
          ["fullscreen", "Full Screen"],
          ["main", "Main action of Current Window"],
        ],
      },
      { name: "context", type: "char", string: "Context Value" },
      { name: "domain", type: "char", string: "Domain Value" },
    ],
  ],
  [
    "ir.ui.menu",
    "Menu",
    [
      { name: "name", type: "char", string: "Menu", required: true },
      { name: "active", type: "boolean", string: "Active" },
      { name: "sequence", type: "integer", string: "Sequence" },
      { name: "parent_id", type: "many2one", string: "Parent Menu", relation: "ir.ui.menu" },
      { name: "action", type: "reference", string: "Action", selection: ACTION_MODELS },
      { name: "group_ids", type: "many2many", string: "Groups", relation: "res.groups" },
      { name: "web_icon", type: "char", string: "Web Icon File" },
    ],
  ],
];

/** What lxml does to an arch that Odoo stores: no declaration, attributes in double quotes, `<a/>`. */
function reserialize(arch: string): string {
  return arch
    .replace(/^\s*<\?xml[^>]*\?>\s*/, "")
    .replace(/(\s[\w:.-]+)='([^']*)'/g, (_, name: string, value: string) => `${name}="${value.replace(/"/g, "&quot;")}"`)
    .replace(/\s+\/>/g, "/>");
}

function judgeArch(db: Orm, vals: Record<string, unknown>, model: unknown): void {
  if (typeof vals.arch !== "string") return;
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([\w.-]+)/.exec(vals.arch);
  if (!root) throw validation("Invalid view definition");
  const arch = reserialize(vals.arch);
  vals.arch = arch;
  vals.type ??= root[1];
  const fields = typeof model === "string" && db.models.has(model) ? db.model(model).fields : undefined;
  for (const [, name] of arch.matchAll(/<field\s+name="([^"]+)"/g)) {
    if (fields && !fields.has(name))
      throw validation(`Error while validating view near:\n\n${arch.slice(0, 200)}\n\nField "${name}" does not exist in model "${model}"`);
  }
}

export function installUiModels(orm: Orm): void {
  orm.hooks.set("ir.ui.menu", {
    beforeCreate(_db, _menus, vals) {
      vals.sequence ??= 10;
    },
  });
  orm.hooks.set("ir.ui.view", {
    beforeCreate(db, _views, vals) {
      judgeArch(db, vals, vals.model);
      vals.name ??= `${vals.model} ${vals.type}`;
      // Odoo's defaults: a view inheriting another extends it unless told otherwise.
      vals.priority ??= 16;
      vals.mode ??= vals.inherit_id ? "extension" : "primary";
    },
    beforeWrite(db, _views, records, vals) {
      for (const record of records) judgeArch(db, vals, vals.model ?? record.model);
    },
  });
  orm.hooks.set("ir.actions.act_window", {
    beforeCreate(_db, _actions, vals) {
      vals.type = "ir.actions.act_window";
      vals.view_mode ??= "list,form";
      vals.target ??= "current";
      vals.context ??= "{}";
      vals.limit ??= 80;
    },
  });
}
