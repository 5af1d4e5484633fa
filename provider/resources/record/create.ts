import { mayHaveApplied, mayStillRun, OdooError } from "../../client/errors";
import type { OdooClient } from "../../client/odoo-client";
import { progress } from "../../internal/resource";
import { settle, withoutUnknown } from "../../internal/unknown-outcome";
import type { FieldInfo } from "./values";

// A record's create, which has no unique name to look it up by when its answer is lost.

/**
 * Creates the record. A create whose answer is lost is settled by looking among the records made
 * since: exactly one new record holding the declared values, with no external id, is this one.
 * It is never sent again: with no unique name, a second create could make a duplicate.
 */
export async function createRecord(client: OdooClient, model: string, values: Record<string, unknown>, fields: Record<string, FieldInfo>): Promise<number> {
  // The highest id before the create: ours will be above it (ids come from a sequence).
  const [floor = 0] = await client.call<number[]>(model, "search", { domain: [], order: "id desc", limit: 1, context: { active_test: false } });
  try {
    return (await client.call<number[]>(model, "create", { vals_list: [values] }))[0];
  } catch (error) {
    if (!mayHaveApplied(error)) throw error;
    const sameValues = searchableTerms(values, fields);
    if (!sameValues.length) throw error;
    const found = (await settle(`the new ${model} record`, error, () => newRecords(client, model, floor, sameValues))) ?? [];
    if (found.length === 1) {
      progress(`${model} record ${found[0]}: the answer to its create was lost, but the create went through; carrying on with it`);
      return found[0];
    }
    const outcome =
      found.length > 1
        ? `; ${found.length} new ${model} records hold the declared values (ids ${found.join(", ")}): delete the ones that are not wanted, and import the other with pulumi import`
        : mayStillRun(error)
          ? `; no new ${model} record held the declared values afterwards, but Odoo may still be at work on it: look for it before running pulumi up again`
          : `; it was not applied (no new ${model} record holds the declared values): run pulumi up again`;
    throw new OdooError((error as OdooError).code, withoutUnknown(error) + outcome, { cause: error, outcomeUnknown: found.length !== 0 || mayStillRun(error) });
  }
}

/** Field types whose stored value is the written one, so that `=` finds it. */
const SEARCHABLE = new Set(["char", "text", "integer", "boolean", "selection", "many2one", "date", "datetime"]);

function searchableTerms(values: Record<string, unknown>, fields: Record<string, FieldInfo>): unknown[][] {
  return Object.entries(values)
    .filter(([name, value]) => SEARCHABLE.has(fields[name]?.type ?? "") && (value === null || typeof value !== "object"))
    .map(([name, value]) => [name, "=", value ?? false]);
}

/** Records above `floor` holding these values and no external id (ours gets one only after). */
async function newRecords(client: OdooClient, model: string, floor: number, terms: unknown[][]): Promise<number[]> {
  const ids = await client.call<number[]>(model, "search", { domain: [["id", ">", floor], ...terms], context: { active_test: false } });
  if (!ids.length) return ids;
  const named = await client.call<{ res_id: number }[]>("ir.model.data", "search_read", {
    domain: [["model", "=", model], ["res_id", "in", ids]],
    fields: ["res_id"],
  });
  const withXmlId = new Set(named.map((row) => row.res_id));
  return ids.filter((id) => !withXmlId.has(id));
}
