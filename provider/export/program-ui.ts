import { Code, Expanded, literal, type Names, rank, str } from "./code";
import type { DatabaseSnapshot } from "./read";
import type { ExportedUiRecord } from "./ui";

// The program's part for how the custom models show in the web client: a ModelUi where four records
// are one, a Record for each other view, window action and menu, after the fields they show.

const KIND = { "ir.ui.view": "view", "ir.actions.act_window": "action", "ir.ui.menu": "menu" } as const;

export function webClient(snapshot: DatabaseSnapshot, names: Names, modelVars: Map<string, string>, fieldVars: Map<string, string>): string[] {
  const out = ["// How the custom models show in the web client: views, window actions and menus."];
  const named = new Set(snapshot.uiRecords.flatMap((record) => linksOf(record)));
  // The resource each exported record is, by its key ("model,id"): only those another one names.
  const resources = new Map<string, string>();
  const after = (model: string, afterModules: boolean) => {
    const shown = [...fieldVars].filter(([id]) => id.startsWith(`${model}.`)).map(([, variable]) => variable);
    // A menu or group of a module is there once the modules are.
    return [...(afterModules && snapshot.modules.length ? ["...modules"] : []), ...shown];
  };
  for (const ui of snapshot.uis) {
    const { model, parentMenu, parts, ...rest } = ui;
    const variable = Object.keys(parts).some((key) => named.has(key)) ? names.take(`${model}_ui`) : undefined;
    for (const [key, part] of Object.entries(parts)) if (variable) resources.set(key, `${variable}.${part}`);
    const args = { model: new Code(`${modelVars.get(model)}.model`), ...rest, ...(parentMenu ? { parentMenu: new Code(`odoo.ref(${str(parentMenu)})`) } : {}) };
    const order = ["model", "name", "listFields", "formFields", "parentMenu", "sequence", "xmlIdPrefix"];
    const sorted = Object.fromEntries(Object.entries(args).sort(([a], [b]) => rank(order, a) - rank(order, b)));
    out.push(`${declared(variable)}new odoo.ModelUi(${str(model)}, ${literal(sorted, "")}, ${options(after(model, !!parentMenu))});`);
  }
  for (const record of inOrder(snapshot.uiRecords)) {
    const variable = named.has(record.key) ? names.take(`${record.label.toLowerCase()}_${KIND[record.model]}`) : undefined;
    if (variable) resources.set(record.key, variable);
    const values = Object.fromEntries(Object.entries(record.values).map(([name, value]) => [name, asCode(value, modelVars, resources)]));
    const args: Record<string, unknown> = { model: record.model, values: new Expanded(values), xmlId: record.xmlId };
    if (record.adoptId !== undefined) args.adoptId = { database: snapshot.databaseUuid, id: record.adoptId };
    out.push(`${declared(variable)}new odoo.Record(${str(record.xmlId)}, ${literal(args, "")}, ${options(after(record.shows, true))});`);
  }
  return [...out, ""];
}

function declared(variable: string | undefined): string {
  return variable ? `const ${variable} = ` : "";
}

function options(dependsOn: string[]): string {
  return `{ protect: true${dependsOn.length ? `, dependsOn: [${dependsOn.join(", ")}]` : ""} }`;
}

/** A value as the program writes it: the custom model as its CustomModel's output, another exported record as its recordId, an external id as odoo.ref. */
function asCode(value: unknown, modelVars: Map<string, string>, resources: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => asCode(item, modelVars, resources));
  if (value && typeof value === "object") {
    if ("__model" in value) return new Code(`${modelVars.get(value.__model as string)}.model`);
    if ("__odooRef" in value) return new Code(`odoo.ref(${str(value.__odooRef as string)})`);
    if ("__ui" in value) {
      const key = value.__ui as string;
      const recordId = `${resources.get(key)}.recordId`;
      // A reference field takes "model,id" (a menu's action).
      return new Code("asReference" in value ? `${recordId}.apply((id) => \`${key.split(",")[0]},\${id}\`)` : recordId);
    }
  }
  return value;
}

function linksOf(record: ExportedUiRecord): string[] {
  return Object.values(record.values)
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is { __ui: string } => !!value && typeof value === "object" && "__ui" in value)
    .map((value) => value.__ui);
}

/** The records, each after those it names (a view after the one it inherits, a menu after its action). */
function inOrder(records: ExportedUiRecord[]): ExportedUiRecord[] {
  const byKey = new Map(records.map((record) => [record.key, record]));
  const done: ExportedUiRecord[] = [];
  const visit = (record: ExportedUiRecord, path: Set<string>) => {
    if (done.includes(record) || path.has(record.key)) return;
    path.add(record.key);
    for (const key of linksOf(record)) if (byKey.has(key)) visit(byKey.get(key)!, path);
    done.push(record);
  };
  for (const record of records) visit(record, new Set());
  return done;
}
