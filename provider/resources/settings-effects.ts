import { fieldsOf } from "../client/fields";
import type { OdooClient } from "../client/odoo-client";
import { readSettings, type SettingsField } from "../client/settings";

// Saving Odoo's Settings form saves every field of the form, the undeclared ones at their current
// value, and some modules' set_values act on other records whenever a setting holds a value, changed
// or not. A Settings apply must not silently undo what the program declares elsewhere: where saving
// would change records, it is refused (at preview, and again before anything is written), naming
// the setting to declare. Each row is read from Odoo's source of the module that adds the setting.

interface SaveEffect {
  /** The setting whose value, undeclared, makes the save act on other records. */
  key: string;
  /** The value that does it. */
  when: boolean;
  model: string;
  /** The records it acts on; a field the domain names must exist on the model (else the row does not apply). */
  domain: [string, string, unknown][];
  /** What the save does to them, e.g. "archives every price list". */
  effect: string;
  /** What the user declares to keep them. */
  keep: string;
}

const SAVE_EFFECTS: SaveEffect[] = [
  // product's set_values on 17 and 19: every price list archived whenever the group is off.
  {
    key: "group_product_pricelist",
    when: false,
    model: "product.pricelist",
    domain: [["active", "=", true]],
    effect: "archives every price list",
    keep: "true to keep them",
  },
  // product's set_values on 17: price lists that hide discounts rewritten to show them.
  {
    key: "group_discount_per_so_line",
    when: false,
    model: "product.pricelist",
    domain: [["discount_policy", "=", "without_discount"]],
    effect: "sets every price list's discount policy to 'with_discount'",
    keep: "true to keep their policy",
  },
];

/**
 * What saving the form with `values` would do beyond them, as sentences for the `values` property:
 * one per undeclared setting that holds a value whose save acts on records that exist now.
 */
export async function saveEffects(
  client: OdooClient,
  values: Record<string, unknown>,
  fields: Record<string, SettingsField>,
  companyId?: number,
): Promise<string[]> {
  const rows = SAVE_EFFECTS.filter((row) => row.key in fields && !(row.key in values));
  if (!rows.length) return [];
  const current = await readSettings(
    client,
    rows.map((row) => row.key),
    fields,
    companyId,
  );
  const sentences: string[] = [];
  for (const row of rows.filter((r) => current[r.key] === r.when)) {
    const modelFields = await fieldsOf(client, row.model);
    if (!modelFields || !row.domain.every(([name]) => name in modelFields)) continue;
    const count = await client.call<number>(row.model, "search_count", { domain: row.domain });
    if (!count) continue;
    sentences.push(
      `saving the Settings form also saves ${row.key}, which is ${row.when} now and not declared: Odoo then ${row.effect} (${count} ${row.model} record${count === 1 ? "" : "s"} now); declare ${row.key}: ${row.keep}, or ${row.when} to let Odoo do it`,
    );
  }
  return sentences;
}
