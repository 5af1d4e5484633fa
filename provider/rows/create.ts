import { Batcher, type Outcome, sendSplitting } from "../client/batcher";
import { mayHaveApplied, mayStillRun, OdooError } from "../client/errors";
import type { OdooClient } from "../client/odoo-client";
import { changesSchema } from "../client/schema-gate";
import { progress } from "../internal/resource";
import { settle, withoutUnknown } from "../internal/unknown-outcome";
import { keyOf } from "../client/batcher";
import type { FieldInfo } from "../client/fields";
import { fieldType } from "../values";

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
  const key = `${client.databaseKey}\u0000${model}`;
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

interface Creation {
  client: OdooClient;
  model: string;
  values: Record<string, unknown>;
  fields: Record<string, FieldInfo>;
}

/**
 * Creates the record, in one `create` with the other creates of its model that arrive together
 * (batcher.ts). A batch Odoo refuses is split, so that only the records at fault fail.
 */
export function createRecord(client: OdooClient, model: string, values: Record<string, unknown>, fields: Record<string, FieldInfo>): Promise<number> {
  const creation = { client, model, values, fields };
  if (changesSchema(model, "create")) return createBatch([creation]).then(([outcome]) => ("value" in outcome ? outcome.value : Promise.reject(outcome.error)));
  return creations.add(keyOf(client, model), creation);
}

const creations = new Batcher((_key: string, items: Creation[]) => sendSplitting(items, createBatch));

/**
 * One `create` of the batch's records. One whose answer is lost is settled by looking among the
 * records made since (settleLostBatch): it is never sent again, since with no unique name a second
 * could make duplicates.
 */
async function createBatch(items: Creation[]): Promise<Outcome<number>[]> {
  const { client, model } = items[0];
  const ledger = ledgerOf(client, model);
  const floor = Math.max(await ledger.searched, ledger.highest);
  const sending = client.call<number[]>(model, "create", { vals_list: items.map((item) => item.values) });
  ledger.sending.add(sending);
  try {
    const ids = await sending;
    for (const id of ids) ledger.made.add(id);
    ledger.highest = Math.max(ledger.highest, ...ids);
    return ids.map((value) => ({ value }));
  } catch (error) {
    if (!mayHaveApplied(error)) throw error;
    // The run's other creates of this model finish first, so that none of theirs is taken for ours.
    ledger.sending.delete(sending);
    await Promise.allSettled([...ledger.sending]);
    return settleLostBatch(items, floor, ledger, error);
  } finally {
    ledger.sending.delete(sending);
  }
}

/**
 * A batch is one transaction: all of its records were made, or none. Its records are looked for
 * among those made since `floor`, holding the declared values, with no external id, that this run
 * did not make; records of equal values were made in the order of the batch (ids come from a
 * sequence). Found for every record: carry on with them; found for none: not applied, said.
 * Anything else cannot be settled, and is said with the ids found.
 */
async function settleLostBatch(items: Creation[], floor: number, ledger: ModelLedger, error: unknown): Promise<Outcome<number>[]> {
  const { client, model } = items[0];
  // Records of equal searchable values are one group: one search finds them all.
  const groups = new Map<string, { terms: unknown[][]; members: number[]; found: number[] }>();
  items.forEach((item, index) => {
    const terms = searchableTerms(item.values, item.fields);
    const key = terms.length ? JSON.stringify(terms) : `\u0000${index}`;
    const group = groups.get(key) ?? { terms, members: [], found: [] };
    group.members.push(index);
    groups.set(key, group);
  });
  const findable = [...groups.values()].filter((group) => group.terms.length);
  if (!findable.length) return items.map(() => ({ error }));
  for (const group of findable) {
    const what = items.length === 1 ? `the new ${model} record` : `the new ${model} records`;
    const ids = (await settle(what, error, () => newRecords(client, model, floor, group.terms))) ?? [];
    group.found = ids.filter((id) => !ledger.made.has(id)).sort((a, b) => a - b);
  }
  const outcomes: Outcome<number>[] = items.map(() => ({ error }));
  if (findable.every((group) => group.found.length === group.members.length)) {
    for (const group of findable) {
      group.members.forEach((member, index) => {
        const id = group.found[index];
        ledger.made.add(id);
        progress(`${model} record ${id}: the answer to its create was lost, but the create went through; carrying on with it`);
        outcomes[member] = { value: id };
      });
    }
    // A record with no value to be found by was made too, and cannot be told among the others.
    const made = findable.flatMap((group) => group.found).join(", ");
    for (const group of groups.values()) {
      if (group.terms.length) continue;
      outcomes[group.members[0]] = {
        error: lostError(
          error,
          `; it was applied with the ${model} records made with it (ids ${made}), but holds no value it can be found by: look for it among the new ${model} records, delete it or import it with pulumi import`,
          true,
        ),
      };
    }
    return outcomes;
  }
  const none = findable.every((group) => group.found.length === 0);
  for (const group of findable) {
    const outcome = none
      ? mayStillRun(error)
        ? `; no new ${model} record held the declared values afterwards, but Odoo may still be at work on it: look for it before running pulumi up again`
        : `; it was not applied (no new ${model} record holds the declared values): run pulumi up again`
      : `; ${group.found.length} new ${model} records hold the declared values (ids ${group.found.join(", ") || "none"}): delete the ones that are not wanted, and import the other with pulumi import`;
    for (const member of group.members) outcomes[member] = { error: lostError(error, outcome, !none || mayStillRun(error)) };
  }
  return outcomes;
}

function lostError(error: unknown, outcome: string, unknown: boolean): OdooError {
  return new OdooError((error as OdooError).code, withoutUnknown(error) + outcome, { cause: error, outcomeUnknown: unknown });
}

function searchableTerms(values: Record<string, unknown>, fields: Record<string, FieldInfo>): unknown[][] {
  return Object.entries(values)
    .filter(([name, value]) => fields[name] !== undefined && fieldType(fields[name].type).searchable && (value === null || typeof value !== "object"))
    .map(([name, value]) => [name, "=", value ?? false]);
}

/** Records above `floor` holding these values and no external id (ours gets one only after). */
async function newRecords(client: OdooClient, model: string, floor: number, terms: unknown[][]): Promise<number[]> {
  const ids = await client.call<number[]>(model, "search", { domain: [["id", ">", floor], ...terms], context: { active_test: false } });
  if (!ids.length) return ids;
  const named = await client.call<{ res_id: number }[]>("ir.model.data", "search_read", {
    domain: [
      ["model", "=", model],
      ["res_id", "in", ids],
    ],
    fields: ["res_id"],
  });
  const withXmlId = new Set(named.map((row) => row.res_id));
  return ids.filter((id) => !withXmlId.has(id));
}
