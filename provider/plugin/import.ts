import { OdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";
import { clientFor } from "../config";
import { exportedModel } from "../export/read";
import { readRecords } from "../export/records";
import { GONE } from "../internal/resource";
import { lookupXmlId, XMLID_PATTERN } from "../internal/xmlid";
import { registry } from "../registry";
import { fieldInputs, readField } from "../resources/custom-field/ir-model-fields";
import { RESOURCE_NAMES, type ResourceKind } from "../stub";

// `pulumi import odoo:index:<Type> NAME ID`: the engine asks `read` with an id alone. The object's
// inputs are what a person would write for it (the exporter's rules: what differs from Odoo's
// defaults, references by external id), and `pulumi import --generate-code` writes them as the
// program; its outputs are what the implementation's read finds with those inputs, as after an up.

/** How each importable kind names its objects, for the sentence said of an id it does not know. */
const ID_FORMS: Partial<Record<ResourceKind, string>> = {
  customModel: "the model's name (x_library_book) or its ir.model id",
  customField: "model.field (res.partner.x_rating) or the field's ir.model.fields id",
  record: "model,id (res.partner,42) or the record's external id (base.main_company)",
};

interface Found {
  id: string;
  inputs: Record<string, unknown>;
}

const FINDERS: Partial<Record<ResourceKind, (client: OdooClient, importId: string) => Promise<Found | undefined>>> = {
  async customModel(client, importId) {
    const domain = /^\d+$/.test(importId) ? [["id", "=", Number(importId)]] : [["model", "=", importId]];
    const [row] = await client.call<{ id: number; model: string; name: string; info: string | false; order: string; transient: boolean; state: string }[]>(
      "ir.model",
      "search_read",
      { domain, fields: ["model", "name", "info", "order", "transient", "state"], limit: 1 },
    );
    if (!row) return undefined;
    if (row.state !== "manual")
      throw new OdooError("ODOO_VALIDATION", `${row.model} is a model of a module, not a custom one: a CustomModel manages x_ models made in Odoo`);
    const { transient, ...model } = await exportedModel(client, row, []);
    return { id: String(row.id), inputs: { ...model, ...(transient ? { transient } : {}) } };
  },

  async customField(client, importId) {
    const dot = importId.lastIndexOf(".");
    const domain = /^\d+$/.test(importId)
      ? [["id", "=", Number(importId)]]
      : [
          ["model", "=", importId.slice(0, dot)],
          ["name", "=", importId.slice(dot + 1)],
        ];
    const [row] = await client.call<{ id: number; state: string; model: string; name: string }[]>("ir.model.fields", "search_read", {
      domain,
      fields: ["state", "model", "name"],
      limit: 1,
    });
    if (!row) return undefined;
    if (row.state !== "manual")
      throw new OdooError("ODOO_VALIDATION", `${row.model}.${row.name} is a field of a module, not a custom one: a CustomField manages x_ fields made in Odoo`);
    const held = await readField(client, row.id);
    return held && { id: String(row.id), inputs: fieldInputs(held) };
  },

  async record(client, importId) {
    let model: string;
    let id: number;
    let xmlId: string | undefined;
    const pair = /^([a-z][a-z0-9_.]*),(\d+)$/.exec(importId);
    if (pair) {
      [model, id] = [pair[1], Number(pair[2])];
    } else if (XMLID_PATTERN.test(importId)) {
      const found = await lookupXmlId(client, importId);
      if (!found) return undefined;
      [model, id, xmlId] = [found.model, found.res_id, importId];
    } else return undefined;
    const notes: string[] = [];
    const { sets } = await readRecords(client, [{ model, domain: [["id", "=", id]] }], 1, notes);
    const [[key, values] = []] = Object.entries(sets[0]?.rows ?? {});
    if (!key || !values) return undefined;
    // readRecords names a record without an external id __export__.…: it is imported without one.
    const named = xmlId ?? (sets[0].adoptIds[key] === undefined ? key : undefined);
    for (const note of notes) console.log(`pulumi-odoo import: ${note}`);
    return { id: String(id), inputs: { model, values, ...(named ? { xmlId: named } : {}) } };
  },
};

/** The object `importId` names, with its inputs and outputs; undefined when Odoo has none. */
export async function importedResource(kind: ResourceKind, importId: string): Promise<(Found & { outputs: Record<string, unknown> }) | undefined> {
  const finder = FINDERS[kind];
  if (!finder) {
    const importable = Object.keys(FINDERS).map((k) => RESOURCE_NAMES[k as ResourceKind]);
    throw new OdooError(
      "ODOO_VALIDATION",
      `a ${RESOURCE_NAMES[kind]} cannot be imported by id: ${importable.join(", ")} can; declare it in the program instead`,
    );
  }
  const client = clientFor(undefined);
  const found = await finder(client, importId.trim()).catch((error) => {
    throw new OdooError("ODOO_VALIDATION", `${RESOURCE_NAMES[kind]} '${importId}': ${(error as Error).message} (an id is ${ID_FORMS[kind]})`);
  });
  if (!found) return undefined;
  const implementation = registry[kind].implementation;
  // Checked as a resource that already exists (olds = the same inputs): defaults filled in, and
  // the name it holds is not refused as taken.
  const checked = await implementation.check(found.inputs, found.inputs);
  if (checked.failures.length) {
    const said = checked.failures.map((f) => `${f.property} ${f.reason}`).join("; ");
    throw new OdooError("ODOO_VALIDATION", `${RESOURCE_NAMES[kind]} '${importId}' cannot be declared as Odoo holds it: ${said}`);
  }
  const read = await implementation.read(found.id, checked.inputs);
  if (read.id === GONE.id) return undefined;
  return { ...found, outputs: read.props };
}
