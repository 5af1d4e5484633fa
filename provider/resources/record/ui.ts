import type { OdooClient } from "../../client/odoo-client";
import { closest, isUnknown } from "../../internal/check";
import type { CheckFailure } from "../../internal/failure";
import { parseXml, viewFieldNames } from "../../internal/xml";
import { fieldsOf } from "../../client/fields";

// Records of the web client's own models: views (ir.ui.view), window actions and menus. Odoo
// judges a view's `arch` only when it is written; these checks say at preview what it would refuse.

/** The fields of ir.ui.view that hold an arch: Odoo stores it re-serialized (quotes, empty tags). */
const ARCH_FIELDS = new Set(["arch", "arch_base", "arch_db"]);

/** Whether Odoo may store this field of this model otherwise than it was written: read it back. */
export function rewritten(model: string, field: string): boolean {
  return model === "ir.ui.view" && ARCH_FIELDS.has(field);
}

/**
 * A view's arch must be well-formed XML, and the fields it shows must be fields of the view's model
 * (custom `x_` fields excepted when the model does not have them yet: the program may make them).
 * A menu's parent given as an id must exist.
 */
export async function uiChecks(client: OdooClient, model: string, values: Record<string, unknown>): Promise<CheckFailure[]> {
  const failures: CheckFailure[] = [];
  if (model === "ir.ui.view") {
    for (const [name, arch] of Object.entries(values)) {
      if (!ARCH_FIELDS.has(name) || typeof arch !== "string") continue;
      const parsed = parseXml(arch);
      if ("error" in parsed) {
        failures.push({ property: `values.${name}`, reason: `is not well-formed XML: ${parsed.error}` });
        continue;
      }
      const target = values.model;
      if (typeof target !== "string" || isUnknown(target)) continue;
      const fields = await fieldsOf(client, target).catch(() => null);
      if (!fields) continue;
      for (const field of viewFieldNames(parsed.root).filter((field) => !fields[field] && !field.startsWith("x_"))) {
        const suggestion = closest(field, Object.keys(fields));
        failures.push({
          property: `values.${name}`,
          reason: `shows field '${field}', which ${target} does not have${suggestion ? `: did you mean '${suggestion}'?` : ""}`,
        });
      }
    }
  }
  if (model === "ir.ui.menu" && typeof values.parent_id === "number") {
    const found = await client.call<number>("ir.ui.menu", "search_count", { domain: [["id", "=", values.parent_id]] }).catch(() => 1);
    if (!found)
      failures.push({
        property: "values.parent_id",
        reason: `there is no menu with id ${values.parent_id}: give an existing menu's id, odoo.ref("module.menu_name"), or another Record's recordId`,
      });
  }
  return failures;
}

/**
 * Odoo 14 to 17 call the list view "tree" (18 renamed it): there, a `<list>` in an arch, "list" as
 * a view's type and in a window action's view_mode are sent as "tree", so that one program serves
 * both. What Odoo stored is kept as applied, so a refresh shows the values as declared.
 */
export function forVersion(major: number, model: string, values: Record<string, unknown>): Record<string, unknown> {
  if (major >= 18) return values;
  const result = { ...values };
  if (model === "ir.ui.view") {
    for (const field of ARCH_FIELDS)
      if (typeof result[field] === "string") result[field] = (result[field] as string).replace(/<(\/?)list(?=[\s/>])/g, "<$1tree");
    if (result.type === "list") result.type = "tree";
  }
  if (model === "ir.actions.act_window" && typeof result.view_mode === "string") {
    result.view_mode = result.view_mode
      .split(",")
      .map((mode) => (mode.trim() === "list" ? "tree" : mode))
      .join(",");
  }
  return result;
}

const lines = (fields: string[], indent: string) => fields.map((field) => `${indent}<field name="${field}"/>`).join("\n");

/** @internal The list view's arch a ModelUi declares (the exporter knows a ModelUi's views by it; here, not in model-ui.ts, as the exporter loads no Pulumi). */
export function listArch(fields: string[]): string {
  return `<list>\n${lines(fields, "  ")}\n</list>`;
}

/** @internal The form view's arch a ModelUi declares. */
export function formArch(fields: string[]): string {
  return `<form>\n  <sheet>\n    <group>\n${lines(fields, "      ")}\n    </group>\n  </sheet>\n</form>`;
}
