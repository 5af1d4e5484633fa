import { mayHaveApplied, mayStillRun, OdooError } from "../../client/errors";
import type { OdooClient } from "../../client/odoo-client";
import { progress } from "../../internal/resource";
import { settle, withoutUnknown } from "../../internal/unknown-outcome";
import type { FieldInfo } from "./values";

// A record's create, which has no unique name to look it up by when its answer is lost.

/**
 * What this provider process knows of a model's ids: the highest id known before the next create is
 * sent (every new record is above it: ids come from a sequence), the creates under way, and the
 * records it made. Kept per server, database and model.
 */
interface ModelLedger {
  /** The highest id when the run first created a record of the model. */
  searched: Promise<number>;
  /** The highest id the run has made since. */
  highest: number;
  sending: Set<Promise<unknown>>;
  made: Set<number>;
}

const ledgers = new Map<string, ModelLedger>();

function ledgerOf(client: OdooClient, model: string): ModelLedger {
  const key = `${client.connection.url}\u0000${client.connection.database}\u0000${model}`;
  let ledger = ledgers.get(key);
  if (!ledger) {
    // One search per model and run; after that, each create's own id raises the floor.
    const searched = client.call<number[]>(model, "search", { domain: [], order: "id desc", limit: 1, context: { active_test: false } }).then(([id = 0]) => id);
    ledger = { searched, highest: 0, sending: new Set(), made: new Set() };
    ledgers.set(key, ledger);
    searched.catch(() => ledgers.delete(key));
  }
  return ledger;
}

/**
 * Creates the record. A create whose answer is lost is settled by looking among the records made
 * since: exactly one new record holding the declared values, with no external id, that this run did
 * not make, is this one. It is never sent again: with no unique name, a second could be a duplicate.
 */
export async function createRecord(client: OdooClient, model: string, values: Record<string, unknown>, fields: Record<string, FieldInfo>): Promise<number> {
  const ledger = ledgerOf(client, model);
  const floor = Math.max(await ledger.searched, ledger.highest);
  const sending = client.call<number[]>(model, "create", { vals_list: [values] });
  ledger.sending.add(sending);
  try {
    const [id] = await sending;
    ledger.made.add(id);
    ledger.highest = Math.max(ledger.highest, id);
    return id;
  } catch (error) {
    if (!mayHaveApplied(error)) throw error;
    const sameValues = searchableTerms(values, fields);
    if (!sameValues.length) throw error;
    // The run's other creates of this model finish first, so that none of theirs is taken for ours.
    ledger.sending.delete(sending);
    await Promise.allSettled([...ledger.sending]);
    const found = ((await settle(`the new ${model} record`, error, () => newRecords(client, model, floor, sameValues))) ?? []).filter((id) => !ledger.made.has(id));
    if (found.length === 1) {
      ledger.made.add(found[0]);
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
  } finally {
    ledger.sending.delete(sending);
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
