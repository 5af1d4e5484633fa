import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { recordProvider } from "../../provider/resources/record";
import { rejectsWith, useEmulator } from "../helpers";

// Record's create, called as the provider host calls it, under faults.

describe("Record create under faults", () => {
  const ctx = useEmulator();
  const inputs = async (values: Record<string, unknown>, xmlId?: string) =>
    (await recordProvider.check({}, { model: "res.partner", values, xmlId, connection: { url: ctx.url, apiKey: ctx.emulator.apiKey(), database: "odoo" } })).inputs;
  const count = (name: string) => ctx.client.call<number>("res.partner", "search_count", { domain: [["name", "=", name]] });

  test("if the external id cannot be registered, the new record is deleted again: no orphan", async () => {
    // A 503 leaves the registration's outcome open: it is looked up, found missing, sent once more.
    ctx.emulator.inject({ match: /ir\.model\.data\/create$/, kind: "status", status: 503, times: 2 });
    await rejectsWith(
      recordProvider.create(await inputs({ name: "Orphan?" }, "pulumi_test.orphan")),
      "ODOO_HTTP",
      "ir.model.data/create → HTTP 503 with text/html; charset=utf-8 instead of JSON: 503 Service Temporarily Unavailable; it may or may not have been applied",
    );
    assert.equal(await count("Orphan?"), 0);
    assert.equal(ctx.emulator.requests.filter((r) => r.path.endsWith("ir.model.data/create")).length, 2);
  });

  test("if the record's create itself fails, nothing exists and the external id is not registered", async () => {
    ctx.emulator.inject({ match: /res\.partner\/create$/, kind: "status", status: 502 });
    await rejectsWith(recordProvider.create(await inputs({ name: "Never" }, "pulumi_test.never")), "ODOO_HTTP", /^res\.partner\/create → HTTP 502/);
    assert.equal(await count("Never"), 0);
    assert.equal(await ctx.client.call("ir.model.data", "search_count", { domain: [["name", "=", "never"]] }), 0);
  });

  test("a retry after such a failure creates exactly one record", async () => {
    const created = await recordProvider.create(await inputs({ name: "Orphan?" }, "pulumi_test.orphan"));
    assert.equal(await count("Orphan?"), 1);
    assert.deepEqual(await ctx.client.call("ir.model.data", "check_object_reference", { module: "pulumi_test", xml_id: "orphan" }), ["res.partner", Number(created.id)]);
  });

  test("a lost answer beside an identical create: each record is found once, and never the other's", async () => {
    // Both land; the answer to the first is lost. It must find its own record, not its twin's.
    ctx.emulator.inject({ match: /res\.partner\/create$/, kind: "reset-after" });
    const twins = await Promise.all([recordProvider.create(await inputs({ name: "Twin" })), recordProvider.create(await inputs({ name: "Twin" }))]);
    assert.notEqual(twins[0].id, twins[1].id);
    assert.equal(await count("Twin"), 2);
    // The first never lands; its twin does: the twin's record must not be taken for it.
    ctx.emulator.inject({ match: /res\.partner\/create$/, kind: "reset" });
    const results = await Promise.allSettled([recordProvider.create(await inputs({ name: "Twin B" })), recordProvider.create(await inputs({ name: "Twin B" }))]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    assert.match(failure.reason.message, /^res\.partner\/create: the connection to http:\/\/127\.0\.0\.1:\d+ failed: .*; it was not applied \(no new res\.partner record holds the declared values\): run pulumi up again$/);
    assert.equal(await count("Twin B"), 1);
  });
});
