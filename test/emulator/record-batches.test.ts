import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { recordProvider } from "../../provider/resources/record";
import { useEmulator } from "../helpers";

// Records' calls that arrive together, as the engine's parallel steps send them, go to Odoo as one
// call per model; each resource still gets its own outcome.

describe("Records in batches", () => {
  const ctx = useEmulator();
  const connection = () => ({ url: ctx.url, apiKey: ctx.emulator.apiKey(), database: "odoo" });
  const inputs = async (model: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    (await recordProvider.check({}, { model, values, connection: connection(), ...extra })).inputs;
  let from = 0;
  beforeEach(() => (from = ctx.emulator.requests.length));
  /** How many requests the emulator has had for this path (model/method) since the test began. */
  const sent = (path: string) => ctx.emulator.requests.slice(from).filter((r) => r.path === `/json/2/${path}`).length;
  const names = (ids: number[]) =>
    ctx.client.call<{ id: number; name: string }[]>("res.partner", "read", { ids, fields: ["name"] }).then((rows) => rows.map((row) => row.name));

  test("creates of one model that arrive together are one create, and each resource gets its own record", async () => {
    const all = await Promise.all(["A", "B", "C", "D", "E"].map(async (name) => recordProvider.create(await inputs("res.partner", { name: `Batch ${name}` }))));
    assert.deepEqual(await names(all.map((created) => Number(created.id))), ["Batch A", "Batch B", "Batch C", "Batch D", "Batch E"]);
    assert.deepEqual(
      all.map((created) => created.outs.recordId),
      all.map((created) => Number(created.id)),
    );
    assert.equal(sent("res.partner/create"), 1);
  });

  test("a batch Odoo refuses is split: only the bad record fails, with Odoo's own error, and the others are made", async () => {
    const good = await Promise.all(["Good 1", "Good 2"].map((name) => inputs("res.partner", { name, type: "contact" })));
    // A value that check would refuse at preview, sent anyway, as a constraint only Odoo knows would be.
    const bad = await inputs("res.partner", { name: "Bad", type: "contact" });
    (bad.values as Record<string, unknown>).type = "nonsense";
    const results = await Promise.allSettled([good[0], bad, good[1]].map((args) => recordProvider.create(args)));
    assert.deepEqual(
      results.map((result) => result.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
    assert.equal((results[1] as PromiseRejectedResult).reason.message, "res.partner/create → 500 ValueError: Wrong value for res.partner.type: 'nonsense'");
    const made = results.filter((result) => result.status === "fulfilled").map((result) => Number(result.value.id));
    assert.deepEqual(await names(made), ["Good 1", "Good 2"]);
    assert.equal(await ctx.client.call("res.partner", "search_count", { domain: [["name", "=", "Bad"]] }), 0);
    // The three together, then [Good 1, Bad] and [Good 2], then Good 1 and Bad alone.
    assert.equal(sent("res.partner/create"), 5);
  });

  test("the external ids of a batch are looked up together and registered in one call", async () => {
    const all = await Promise.all(
      [1, 2, 3].map(async (n) => recordProvider.create(await inputs("res.partner", { name: `Named ${n}` }, { xmlId: `pulumi_test.named_${n}` }))),
    );
    for (const [index, created] of all.entries()) {
      assert.deepEqual(await ctx.client.call("ir.model.data", "check_object_reference", { module: "pulumi_test", xml_id: `named_${index + 1}` }), [
        "res.partner",
        Number(created.id),
      ]);
    }
    assert.deepEqual([sent("ir.model.data/search_read"), sent("res.partner/create"), sent("ir.model.data/create")], [1, 1, 1]);
  });

  test("updates that write the same values are one write; others are their own", async () => {
    const all = await Promise.all([1, 2, 3].map(async (n) => recordProvider.create(await inputs("res.partner", { name: `Tagged ${n}` }))));
    from = ctx.emulator.requests.length;
    const news = await Promise.all(all.map((created, n) => inputs("res.partner", { name: `Tagged ${n + 1}`, comment: n < 2 ? "same" : "other" })));
    await Promise.all(all.map((created, n) => recordProvider.update!(created.id, created.outs, news[n])));
    const rows = await ctx.client.call<{ comment: string }[]>("res.partner", "read", { ids: all.map((created) => Number(created.id)), fields: ["comment"] });
    assert.deepEqual(
      rows.map((row) => row.comment),
      ["same", "same", "other"],
    );
    assert.equal(sent("res.partner/write"), 2);
  });

  test("deletes of one model that arrive together are one unlink; one already gone does not fail the others", async () => {
    const all = await Promise.all([1, 2, 3].map(async (n) => recordProvider.create(await inputs("res.partner", { name: `Doomed ${n}` }))));
    await ctx.client.call("res.partner", "unlink", { ids: [Number(all[1].id)] });
    from = ctx.emulator.requests.length;
    await Promise.all(all.map((created) => recordProvider.delete!(created.id, created.outs)));
    assert.equal(await ctx.client.call("res.partner", "search_count", { domain: [["name", "like", "Doomed"]] }), 0);
    // All three (refused: one is missing), then [1, 2] (refused) and [3], then 1 and 2 alone.
    assert.equal(sent("res.partner/unlink"), 5);
  });

  test("a schema change never joins a batch: access rules made together are made one by one", async () => {
    const [model] = await ctx.client.call<number[]>("ir.model", "search", { domain: [["model", "=", "res.partner"]] });
    const rules = await Promise.all(
      [1, 2].map(async (n) => recordProvider.create(await inputs("ir.model.access", { name: `access ${n}`, model_id: model, perm_read: true }))),
    );
    assert.equal(sent("ir.model.access/create"), 2);
    // So are their writes of the same values, and their deletes.
    from = ctx.emulator.requests.length;
    await Promise.all(rules.map((rule) => recordProvider.update!(rule.id, rule.outs, { ...rule.outs, values: { ...rule.outs.values, perm_write: true } })));
    assert.equal(sent("ir.model.access/write"), 2);
    await Promise.all(rules.map((rule) => recordProvider.delete!(rule.id, rule.outs)));
    assert.equal(sent("ir.model.access/unlink"), 2);
    assert.equal(await ctx.client.call("ir.model.access", "search_count", { domain: [["name", "in", ["access 1", "access 2"]]] }), 0);
  });
});
