import { fieldInputs, type HeldField } from "../resources/custom-field/ir-model-fields";
import type { DatabaseSnapshot, ExportedModel } from "./read";
import { Code, Expanded, literal, Names, str } from "./code";
import { webClient } from "./program-ui";
import type { ExportedRows } from "./records";

// The Pulumi program `pulumi-odoo export` writes for a database: what a person would have written,
// grouped by kind, resources named after what they hold, every one taking over what exists (adopt)
// and protected, so that its first `pulumi up` changes nothing and a careless destroy removes nothing.

/** Where and when the snapshot was taken, for the program's first lines. */
export interface ExportOrigin {
  url: string;
  database: string;
  /** ISO 8601. */
  at: string;
}

/** The program's index.ts. */
export function programText(snapshot: DatabaseSnapshot, origin: ExportOrigin): string {
  const names = new Names();
  const out: string[] = [
    `// Exported by \`pulumi-odoo export\` from ${origin.url}, database '${origin.database}' (Odoo ${snapshot.version}), on ${origin.at}.`,
    "// Its first `pulumi up` takes over what the database holds (adopt) and changes nothing there. Every",
    "// resource is protected (protect: true), as `pulumi import` marks what it imports: a destroy cannot",
    "// remove it until you lift that.",
    ...snapshot.notes.map((note) => `// Not exported: ${note}.`),
    'import * as odoo from "pulumi-odoo";',
    "",
  ];
  const after = snapshot.modules.length ? "{ protect: true, dependsOn: modules }" : "{ protect: true }";
  if (snapshot.modules.length) {
    out.push("// Modules a person installed (Odoo installs what they need along with them).", "const modules = [");
    for (const name of snapshot.modules) out.push(`  new odoo.Module(${str(name)}, { name: ${str(name)} }, { protect: true }),`);
    out.push("];", "");
  }
  if (Object.keys(snapshot.settings).length) out.push(...settings(snapshot));
  const modelVars = new Map<string, string>();
  if (snapshot.models.length) out.push("// Custom models, with their access rules.");
  for (const model of snapshot.models) {
    const variable = names.take(model.model);
    modelVars.set(model.model, variable);
    out.push(`const ${variable} = new odoo.CustomModel(${str(model.model)}, ${literal(modelArgs(model), "")}, ${after});`);
  }
  if (snapshot.models.length) out.push("");
  const fieldVars = new Map<string, string>();
  // A field another one names (a one2many's inverse, the fields a related or computed one reads) is made first.
  const named = new Set(snapshot.fields.flatMap((f) => namedFields(f, snapshot.fields)));
  const onCustom = snapshot.fields.filter((f) => modelVars.has(f.always.model));
  const onOdoos = snapshot.fields.filter((f) => !modelVars.has(f.always.model));
  const modelRank = (f: HeldField) => snapshot.models.findIndex((m) => m.model === f.always.model);
  const sections: [string, HeldField[]][] = [
    ["// The custom models' fields.", [...onCustom].sort((a, b) => modelRank(a) - modelRank(b) || Number(dependsOnOthers(a)) - Number(dependsOnOthers(b)))],
    ["// Custom fields on Odoo's own models.", [...onOdoos].sort((a, b) => Number(dependsOnOthers(a)) - Number(dependsOnOthers(b)))],
  ];
  for (const [title, fields] of sections) {
    if (!fields.length) continue;
    out.push(title);
    for (const field of fields) {
      const id = fieldKey(field);
      const needed =
        named.has(id) ||
        snapshot.records.some((set) => set.model === field.always.model) ||
        snapshot.uis.some((ui) => ui.model === field.always.model && [...ui.listFields, ...(ui.formFields ?? [])].includes(field.always.name)) ||
        snapshot.uiRecords.some((record) => record.shows === field.always.model);
      const variable = needed ? names.take(`${field.always.model}_${field.always.name}`) : undefined;
      if (variable) fieldVars.set(id, variable);
      const dependsOn = namedFields(field, snapshot.fields)
        .map((other) => fieldVars.get(other))
        .filter((v): v is string => !!v);
      const options = dependsOn.length
        ? `{ protect: true, dependsOn: [${dependsOn.join(", ")}] }`
        : modelVars.has(field.always.model)
          ? "{ protect: true }"
          : after;
      const args = literal(fieldArgs(field, modelVars), "");
      out.push(`${variable ? `const ${variable} = ` : ""}new odoo.CustomField(${str(id)}, ${args}, ${options});`);
    }
    out.push("");
  }
  if (snapshot.uis.length || snapshot.uiRecords.length) out.push(...webClient(snapshot, names, modelVars, fieldVars));
  if (snapshot.records.length) out.push(...recordSets(snapshot, names, modelVars, fieldVars, after));
  return `${out.join("\n").trimEnd()}\n`;
}

/** The settings that differ from a fresh database's: one Settings, after the modules that add them. */
function settings(snapshot: DatabaseSnapshot): string[] {
  const values = new Expanded(Object.fromEntries(Object.entries(snapshot.settings).map(([key, value]) => [key, asCode(value)])));
  const args = { values, ...(snapshot.modules.length ? { modules: new Code("modules.map((module) => module.name)") } : {}) };
  return ["// Settings that differ from a fresh database's.", `new odoo.Settings("settings", ${literal(args, "")}, { protect: true });`, ""];
}

/** One RecordSet per model of --records, after the schema its rows need and the sets they name. */
function recordSets(snapshot: DatabaseSnapshot, names: Names, modelVars: Map<string, string>, fieldVars: Map<string, string>, after: string): string[] {
  const out = ["// Records, by external id (rows that had none are taken over by id, in this database alone)."];
  const setVars = new Map<string, string>();
  for (const set of setsInOrder(snapshot.records)) {
    const variable = names.take(`${set.model}_records`);
    setVars.set(set.model, variable);
    const records = Object.fromEntries(
      Object.entries(set.rows).map(([xmlId, row]) => [xmlId, Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asCode(v)]))]),
    );
    const args: Record<string, unknown> = { model: set.model, records };
    // One id a line, however few: a program a person reads, and the same shape on every database.
    if (Object.keys(set.adoptIds).length) args.adoptIds = new Expanded({ database: snapshot.databaseUuid, ids: new Expanded(set.adoptIds) });
    const named = new Set(
      Object.values(set.rows)
        .flatMap((row) => Object.values(row).flatMap((v) => (Array.isArray(v) ? v : [v])))
        .filter(isRef)
        .map((ref) => snapshot.records.find((other) => other.model !== set.model && ref.__odooRef in other.rows)?.model)
        .filter((model): model is string => !!model),
    );
    const schema = [
      ...(modelVars.has(set.model) ? [modelVars.get(set.model)!] : []),
      ...[...fieldVars].filter(([id]) => id.startsWith(`${set.model}.`)).map(([, v]) => v),
      ...[...named].map((model) => setVars.get(model)).filter((v): v is string => !!v),
    ];
    const options = schema.length ? `{ protect: true, dependsOn: [${snapshot.modules.length ? "...modules, " : ""}${schema.join(", ")}] }` : after;
    out.push(`const ${variable} = new odoo.RecordSet(${str(set.model)}, ${literal(args, "")}, ${options});`);
  }
  return out;
}

/** The sets, each after those whose rows it names (a circle keeps the order given). */
function setsInOrder(sets: ExportedRows[]): ExportedRows[] {
  const names = (set: ExportedRows) =>
    new Set(
      Object.values(set.rows)
        .flatMap((row) => Object.values(row).flatMap((v) => (Array.isArray(v) ? v : [v])))
        .filter(isRef)
        .map((ref) => sets.find((other) => other !== set && ref.__odooRef in other.rows))
        .filter((other): other is ExportedRows => !!other),
    );
  const done: ExportedRows[] = [];
  const visit = (set: ExportedRows, path: Set<ExportedRows>) => {
    if (done.includes(set) || path.has(set)) return;
    path.add(set);
    for (const other of names(set)) visit(other, path);
    done.push(set);
  };
  for (const set of sets) visit(set, new Set());
  return done;
}

function isRef(value: unknown): value is { __odooRef: string } {
  return typeof value === "object" && value !== null && "__odooRef" in value;
}

/** A value with its references as odoo.ref(...). */
function asCode(value: unknown): unknown {
  if (isRef(value)) return new Code(`odoo.ref(${str(value.__odooRef)})`);
  return Array.isArray(value) ? value.map(asCode) : value;
}

function modelArgs(model: ExportedModel): Record<string, unknown> {
  return {
    model: model.model,
    name: model.name,
    ...(model.description ? { description: model.description } : {}),
    ...(model.order ? { order: model.order } : {}),
    ...(model.transient ? { transient: true } : {}),
    access: model.access.map((rule) => ({ group: rule.group, read: rule.read, write: rule.write, create: rule.create, unlink: rule.unlink })),
    adopt: true,
  };
}

/** A field's properties as the program writes them: fieldInputs, its model and relation by the CustomModel's variable where exported. */
function fieldArgs(field: HeldField, modelVars: Map<string, string>): Record<string, unknown> {
  const args: Record<string, unknown> = { ...fieldInputs(field), adopt: true };
  const model = modelVars.get(field.always.model);
  if (model) args.model = new Code(`${model}.model`);
  const relation = field.optional.relation;
  if (relation !== undefined && modelVars.has(relation)) args.relation = new Code(`${modelVars.get(relation)}.model`);
  return args;
}

/** Whether the field reads other fields (related, computed, a one2many's inverse): made after them. */
function dependsOnOthers(field: HeldField): boolean {
  return !!(field.optional.related || field.optional.compute || field.always.type === "one2many");
}

/** The exported fields (model.name) this field needs before it: its inverse, the fields it is related to or computed from. */
function namedFields(field: HeldField, all: HeldField[]): string[] {
  const { always, optional: o } = field;
  const wanted: string[] = [];
  if (always.type === "one2many" && o.relation && o.relationField) wanted.push(`${o.relation}.${o.relationField}`);
  const local = [o.related?.split(".")[0], ...(o.depends ?? "").split(",").map((d) => d.trim().split(".")[0])].filter(Boolean);
  for (const name of local) wanted.push(`${always.model}.${name}`);
  return wanted.filter((id) => id !== fieldKey(field) && all.some((f) => fieldKey(f) === id));
}

/** A field as the program names it, and as namedFields lists it: model.name. */
function fieldKey(field: HeldField): string {
  return `${field.always.model}.${field.always.name}`;
}
