import { OdooFault, userError } from "./fault";
import { registerModel } from "./ir-models";
import { BASE_FIELD_NAMES, type CustomMethod, type FieldDef, type ModelDef, type Orm, type Rec } from "./orm";

// Apps and the Settings form, as a real Odoo 17 and 19 run them (ir_module.py and the runs recorded
// in issue 16): button_immediate_* do the whole operation in the request and answer an action;
// modules left pending are refused by 19 and carried out silently by 17; a scheduled action holding
// the cron table makes an operation fail; installing brings dependencies (and their models and
// settings), uninstalling takes the installed dependents with it. res.config.settings is a
// transient record whose `execute` applies every field of the form.

type F = Partial<FieldDef> & { name: string; type: FieldDef["type"] };

/** A module on the server's disk. */
export interface CatalogueModule {
  version: string;
  depends: string[];
  application?: boolean;
  /** Installed by Odoo itself once its dependencies are (the manifest's auto_install). */
  autoInstall?: boolean;
  installable?: boolean;
  /** Not in the Apps list until update_list (a module added to the addons since). */
  unlisted?: boolean;
  /** Models its install defines. */
  models?: [string, string, F[]][];
  /** Fields it adds to the Settings form. */
  settings?: F[];
}

/**
 * What the trimmed trees of ../shared/odoo hold, with their manifests' dependencies (mail's as 17
 * and 19 declare them: 18 added html_editor), and two modules that cannot be installed.
 */
export function catalogue(version: number): Record<string, CatalogueModule> {
  return {
    base: { version: "1.3", depends: [] },
    web: { version: "1.0", depends: ["base"], autoInstall: true },
    bus: { version: "1.0", depends: ["base", "web"], autoInstall: true },
    base_setup: {
      version: "1.0",
      depends: ["base", "web"],
      autoInstall: true,
      settings: [
        { name: "group_multi_currency", type: "boolean", string: "Multi-Currencies" },
        { name: "show_effect", type: "boolean", string: "Show Effect" },
        { name: "web_app_name", type: "char", string: "Web App Name" },
        { name: "report_footer", type: "html", string: "Custom Report Footer", related: "company_id.report_footer" },
        { name: "module_web_unsplash", type: "boolean", string: "Unsplash Image Library" },
        { name: "company_count", type: "integer", string: "Number of Companies", readonly: true },
      ],
    },
    web_unsplash: { version: "1.1", depends: ["base_setup"], autoInstall: true },
    uom: {
      version: "1.0",
      depends: ["base"],
      models: [
        [
          "uom.uom",
          "Product Unit of Measure",
          [
            { name: "name", type: "char", string: "Unit Name", required: true },
            { name: "active", type: "boolean", string: "Active" },
          ],
        ],
      ],
    },
    web_tour: { version: "1.0", depends: ["web"], autoInstall: true },
    ...(version >= 18 ? { html_editor: { version: "1.0", depends: ["base", "bus", "web"], autoInstall: true } } : {}),
    mail: {
      version: "1.19",
      depends: ["base", "base_setup", "bus", "web_tour", ...(version >= 18 ? ["html_editor"] : [])],
      application: true,
      models: [["mail.activity.type", "Activity Type", [{ name: "name", type: "char", string: "Name", required: true }]]],
    },
    contacts: { version: "1.0", depends: ["base", "mail"], application: true },
    product: {
      version: "1.2",
      depends: ["base", "mail", "uom"],
      models: [
        [
          "product.pricelist",
          "Pricelist",
          [
            { name: "name", type: "char", string: "Pricelist Name", required: true },
            { name: "active", type: "boolean", string: "Active" },
          ],
        ],
      ],
      settings: [{ name: "group_product_pricelist", type: "boolean", string: "Pricelists" }],
    },
    project: { version: "1.3", depends: ["base", "analytic", "mail"], application: true },
    accountant: { version: "1.0", depends: ["base"], installable: false, application: true },
    // Listed by a community server's Apps, not installable there (an Enterprise app).
    web_studio: { version: "1.0", depends: ["base", "web"], installable: false, application: true },
  };
}

const INSTALLED_AT_CREATE = ["base", "web", "bus", "base_setup", "web_unsplash"];
const PENDING = ["to install", "to upgrade", "to remove"];

const MODULE_FIELDS: F[] = [
  { name: "name", type: "char", string: "Technical Name", required: true, readonly: true },
  { name: "shortdesc", type: "char", string: "Module Name", readonly: true },
  {
    name: "state",
    type: "selection",
    string: "Status",
    readonly: true,
    selection: [
      ["uninstallable", "Uninstallable"],
      ["uninstalled", "Not Installed"],
      ["installed", "Installed"],
      ["to upgrade", "To be upgraded"],
      ["to remove", "To be removed"],
      ["to install", "To be installed"],
    ],
  },
  { name: "latest_version", type: "char", string: "Installed Version", readonly: true },
  { name: "installed_version", type: "char", string: "Latest Version", readonly: true },
  { name: "application", type: "boolean", string: "Application", readonly: true },
  { name: "auto_install", type: "boolean", string: "Automatic Installation", readonly: true },
  { name: "dependencies_id", type: "one2many", string: "Dependencies", relation: "ir.module.module.dependency", relationField: "module_id" },
];

/** The emulated server's Apps state, per database. */
export interface AppsState {
  disk: Record<string, CatalogueModule>;
  /** A scheduled action holds the cron table until then (Date.now() ms). */
  cronLockedUntil: number;
  /** Module operations still to be refused as if a scheduled action held the cron table. */
  cronRefusals: number;
  /** Whether those refusals break on the aborted transaction, as Odoo's sometimes do (InFailedSqlTransaction). */
  cronRefusalsBroken?: boolean;
  /** Global settings (config parameters and groups), by field name. */
  settings: Map<string, unknown>;
  /** The modules each button_immediate_upgrade upgraded, in order (tests read it). */
  upgraded: string[];
}

export function installApps(orm: Orm): AppsState {
  const state: AppsState = {
    disk: catalogue(orm.version),
    cronLockedUntil: 0,
    cronRefusals: 0,
    settings: new Map<string, unknown>([["show_effect", true]]),
    upgraded: [],
  };
  orm.defineModel("ir.module.module", "Module", MODULE_FIELDS);
  orm.defineModel("ir.module.module.dependency", "Module dependency", [
    { name: "name", type: "char", string: "Name" },
    { name: "module_id", type: "many2one", string: "Module", relation: "ir.module.module" },
    { name: "depend_id", type: "many2one", string: "Dependency", relation: "ir.module.module" },
  ]);
  orm.defineModel("res.config.settings", "Config Settings", [{ name: "company_id", type: "many2one", string: "Company", relation: "res.company" }], {
    transient: true,
  });
  for (const name of ["ir.module.module", "ir.module.module.dependency", "res.config.settings"]) registerModel(orm, orm.model(name));
  orm.addField(orm.model("res.company"), { name: "report_footer", type: "html", string: "Report Footer", state: "base", store: true });
  for (const name of Object.keys(state.disk)) if (!state.disk[name].unlisted) listModule(orm, state, name);
  for (const name of INSTALLED_AT_CREATE) markInstalled(orm, state, moduleRow(orm, name)!);
  return attachApps(orm, state);
}

/** Gives a database (a new one, or one restored from a backup) the methods of Apps and Settings. */
export function attachApps(orm: Orm, state: AppsState): AppsState {
  orm.apps = state;
  orm.methods.set("ir.module.module", moduleMethods(state, orm.version));
  orm.methods.set("res.config.settings", settingsMethods(state));
  return state;
}

/** The Apps state as a backup holds it. */
export function serializeApps(state: AppsState): unknown {
  return { disk: state.disk, settings: [...state.settings] };
}

export function restoreApps(orm: Orm, saved: { disk: Record<string, CatalogueModule>; settings: [string, unknown][] }): AppsState {
  return attachApps(orm, { disk: structuredClone(saved.disk), cronLockedUntil: 0, cronRefusals: 0, settings: new Map(saved.settings), upgraded: [] });
}

/** Puts a module of the disk into the Apps list (what update_list does for a new one). */
export function listModule(orm: Orm, state: AppsState, name: string): void {
  const modules = orm.model("ir.module.module");
  const spec = state.disk[name];
  const row = orm.create(modules, {
    name,
    shortdesc: titleOf(name),
    state: spec.installable === false ? "uninstallable" : "uninstalled",
    latest_version: false,
    installed_version: `${orm.version}.0.${spec.version}`,
    application: !!spec.application,
    auto_install: !!spec.autoInstall,
  });
  for (const dep of spec.depends) {
    orm.create(orm.model("ir.module.module.dependency"), { name: dep, module_id: row.id, depend_id: moduleRow(orm, dep)?.id ?? false });
  }
}

function moduleRow(orm: Orm, name: string): Rec | undefined {
  return [...orm.model("ir.module.module").records.values()].find((row) => row.name === name);
}

function titleOf(name: string): string {
  return name.replace(/_/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());
}

const busy = (what: "another module operation" | "a scheduled action") =>
  userError(
    what === "a scheduled action"
      ? "Odoo is currently processing a scheduled action.\nModule operations are not possible at this time, please try again later or contact your system administrator."
      : "Odoo is currently processing another module operation.\nPlease try again later or contact your system administrator.",
  );

/**
 * Odoo's refusal when writing it breaks on the transaction the failed lock aborted (the message is
 * translated, which may read the database): psycopg2's error, answered as any unexpected one.
 */
const abortedTransaction = () =>
  new OdooFault(500, "psycopg2.errors.InFailedSqlTransaction", "current transaction is aborted, commands ignored until end of transaction block\n");

function moduleMethods(state: AppsState, version: number): Record<string, CustomMethod> {
  const rows = (orm: Orm, ids: number[]) => ids.map((id) => orm.model("ir.module.module").records.get(id)!).filter(Boolean);
  const cancel = (from: string, to: string): CustomMethod => ({
    signature: { params: [] },
    run(orm, _model, args) {
      for (const row of rows(orm, args.ids ?? [])) if (row.state === from) row.state = to;
      return true;
    },
  });
  const immediate = (apply: (orm: Orm, modules: Rec[]) => void): CustomMethod => ({
    signature: { params: [] },
    run(orm, _model, args) {
      const pending = [...orm.model("ir.module.module").records.values()].filter((row) => PENDING.includes(row.state as string));
      // 19 refuses; 17 carries the pending ones out along with this one (the runs of issue 16).
      if (pending.length && orm.version >= 19) throw busy("another module operation");
      if (Date.now() < state.cronLockedUntil) throw busy("a scheduled action");
      if (state.cronRefusals > 0) {
        state.cronRefusals--;
        throw state.cronRefusalsBroken ? abortedTransaction() : busy("a scheduled action");
      }
      apply(orm, rows(orm, args.ids ?? []));
      for (const row of pending) settlePending(orm, state, row);
      return { type: "ir.actions.act_url", target: "self", url: orm.version >= 19 ? "/odoo" : "/web" };
    },
  });
  const schedule = (to: string): CustomMethod => ({
    signature: { params: [] },
    run(orm, _model, args) {
      for (const row of rows(orm, args.ids ?? [])) row.state = to;
      return { type: "ir.actions.act_window", res_model: "base.module.upgrade", target: "new", view_mode: "form" };
    },
  });
  return {
    button_immediate_install: immediate((orm, modules) => modules.forEach((row) => install(orm, state, row))),
    button_immediate_upgrade: immediate((_orm, modules) => state.upgraded.push(...modules.map((row) => row.name as string))),
    button_immediate_uninstall: immediate((orm, modules) => {
      // Seen on a real 16: a module its dependency's uninstall already took along is refused.
      if (modules.some((row) => row.state === "uninstalled")) {
        throw userError(
          "One or more of the selected modules have already been uninstalled, if you believe this to be an error, you may try again later or contact support.",
        );
      }
      modules.forEach((row) => uninstall(orm, state, row));
    }),
    button_install: schedule("to install"),
    button_upgrade: schedule("to upgrade"),
    button_uninstall: schedule("to remove"),
    // 19 resets every pending state at once; 17 cancels one operation of one module (ir_module.py).
    ...(version >= 19
      ? {
          button_reset_state: {
            signature: { model: true, params: [] },
            run(orm: Orm) {
              for (const row of orm.model("ir.module.module").records.values()) {
                if (row.state === "to install") row.state = "uninstalled";
                else if (PENDING.includes(row.state as string)) row.state = "installed";
              }
              return true;
            },
          },
        }
      : {
          button_install_cancel: cancel("to install", "uninstalled"),
          button_upgrade_cancel: cancel("to upgrade", "installed"),
          button_uninstall_cancel: cancel("to remove", "installed"),
        }),
    downstream_dependencies: {
      signature: { params: [] },
      run(orm, _model, args) {
        return dependents(
          orm,
          rows(orm, args.ids ?? []).map((row) => row.name as string),
        )
          .filter((row) => row.state === "installed")
          .map((row) => row.id);
      },
    },
    update_list: {
      signature: { model: true, params: [] },
      run(orm) {
        const added = Object.keys(state.disk).filter((name) => !moduleRow(orm, name));
        for (const name of added) listModule(orm, state, name);
        return [0, added.length];
      },
    },
  };
}

function settlePending(orm: Orm, state: AppsState, row: Rec): void {
  if (row.state === "to install") install(orm, state, row);
  else if (row.state === "to remove") uninstall(orm, state, row);
  else if (row.state === "to upgrade") row.state = "installed";
}

function install(orm: Orm, state: AppsState, row: Rec): void {
  if (row.state === "installed") return;
  const spec = state.disk[row.name as string];
  if (!spec || spec.installable === false)
    throw userError(`You try to install module "${row.name}" that depends on module "${row.name}".\nBut the latter module is not available in your system.`);
  for (const dep of spec.depends) {
    const depRow = moduleRow(orm, dep);
    if (!depRow || depRow.state === "uninstallable") {
      throw userError(`You try to install module "${row.name}" that depends on module "${dep}".\nBut the latter module is not available in your system.`);
    }
    install(orm, state, depRow);
  }
  markInstalled(orm, state, row);
}

function markInstalled(orm: Orm, state: AppsState, row: Rec): void {
  const spec = state.disk[row.name as string];
  row.state = "installed";
  row.latest_version = row.installed_version;
  for (const [name, description, fields] of spec.models ?? []) if (!orm.models.has(name)) registerModel(orm, orm.defineModel(name, description, fields));
  const settings = orm.model("res.config.settings");
  for (const field of spec.settings ?? []) orm.addField(settings, { state: "base", store: true, ...field } as FieldDef);
}

function uninstall(orm: Orm, state: AppsState, row: Rec): void {
  for (const dependent of dependents(orm, [row.name as string])) if (dependent.state === "installed") uninstall(orm, state, dependent);
  const spec = state.disk[row.name as string];
  row.state = "uninstalled";
  row.latest_version = false;
  for (const [name] of spec?.models ?? []) {
    orm.models.delete(name);
    const irModel = orm.model("ir.model");
    for (const irRow of [...irModel.records.values()]) if (irRow.model === name) irModel.records.delete(irRow.id);
  }
  const settings = orm.model("res.config.settings");
  for (const field of spec?.settings ?? []) settings.fields.delete(field.name);
}

/** Every module that depends on one of `names`, directly or not. */
function dependents(orm: Orm, names: string[]): Rec[] {
  const deps = [...orm.model("ir.module.module.dependency").records.values()];
  const found = new Map<number, Rec>();
  let frontier = names;
  while (frontier.length) {
    const next = deps.filter((d) => frontier.includes(d.name as string)).map((d) => orm.model("ir.module.module").records.get(d.module_id as number)!);
    frontier = next.filter((row) => !found.has(row.id)).map((row) => (found.set(row.id, row), row.name as string));
  }
  return [...found.values()];
}

function settingsMethods(state: AppsState): Record<string, CustomMethod> {
  const company = (context: Record<string, any>) => (Array.isArray(context.allowed_company_ids) && context.allowed_company_ids[0]) || 1;
  const current = (orm: Orm, model: ModelDef, field: FieldDef, companyId: number): unknown => {
    if (field.name === "company_id") return companyId;
    if (field.name.startsWith("module_")) return moduleRow(orm, field.name.slice("module_".length))?.state === "installed";
    if (field.related) return orm.model("res.company").records.get(companyId)?.[field.related.split(".")[1]] ?? false;
    if (field.name === "company_count") return orm.model("res.company").records.size;
    return state.settings.get(field.name) ?? false;
  };
  return {
    default_get: {
      signature: { model: true, params: ["fields"], required: ["fields"] },
      run(orm, model, args, context) {
        const result: Record<string, unknown> = {};
        // Like Odoo's, default_get leaves out related fields (they come from the company).
        for (const name of args.fields as string[]) {
          const field = model.fields.get(name);
          if (field && !field.related) result[name] = current(orm, model, field, company(context));
        }
        return result;
      },
    },
    create: {
      signature: { model: true, params: ["vals_list"], required: ["vals_list"] },
      run(orm, model, args, context) {
        const list = Array.isArray(args.vals_list) ? args.vals_list : [args.vals_list];
        return list.map((vals: Record<string, unknown>) => {
          const companyId = (vals.company_id as number) ?? company(context);
          const filled: Record<string, unknown> = {};
          for (const field of model.fields.values()) if (!BASE_FIELD_NAMES.has(field.name)) filled[field.name] = current(orm, model, field, companyId);
          for (const [key, value] of Object.entries(vals)) if (!model.fields.get(key)?.readonly) filled[key] = value;
          return orm.create(model, filled).id;
        });
      },
    },
    execute: {
      signature: { params: [] },
      run(orm, model, args) {
        for (const id of args.ids ?? []) {
          const record = model.records.get(id);
          if (!record) continue;
          for (const field of model.fields.values()) {
            const value = record[field.name];
            if (field.readonly || field.name === "company_id" || BASE_FIELD_NAMES.has(field.name)) continue;
            if (field.name.startsWith("module_")) {
              const module = moduleRow(orm, field.name.slice("module_".length));
              if (module && value && module.state !== "installed") install(orm, state, module);
              if (module && !value && module.state === "installed") uninstall(orm, state, module);
            } else if (field.related) {
              orm.model("res.company").records.get(record.company_id as number)![field.related.split(".")[1]] = value;
            } else {
              state.settings.set(field.name, value);
            }
          }
          // product's set_values (17, 19): every price list archived whenever the group is off.
          if (model.fields.has("group_product_pricelist") && !record.group_product_pricelist) {
            for (const pricelist of orm.model("product.pricelist").records.values()) pricelist.active = false;
          }
        }
        return { type: "ir.actions.client", tag: "reload" };
      },
    },
  };
}

/**
 * Holds the cron table through the next `operations` module operations, whenever they come: a
 * scheduled action that ends before the provider tries again (a time would race a slow machine).
 */
export function holdCronLockForNext(state: AppsState, operations: number, { broken = false } = {}): void {
  state.cronRefusals = operations;
  state.cronRefusalsBroken = broken;
}

/** Holds the cron table for `ms`, as a long scheduled action does. */
export function holdCronLock(state: AppsState, ms: number): void {
  state.cronLockedUntil = Date.now() + ms;
}
