import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertClean, ops, useEngine, writesSince } from "./harness";

// Record through the real provider host: references resolved at apply time, fields of the same
// program, no perpetual diff despite Odoo's normalisation, drift, adoption by external id, archive,
// records deleted outside Pulumi, preview-time checks against fields_get.

describe("Record, engine level", () => {
  const ctx = useEngine("record");
  const partner = async () =>
    (
      await ctx.client.call<Record<string, any>[]>("res.partner", "search_read", {
        domain: [["name", "=", "Engine Partner"]],
        fields: ["country_id", "category_id", "comment", "credit_limit", "email", "active"],
        context: {},
      })
    )[0];

  test("preview: creates, including a record of a model and field that are not in Odoo yet", async () => {
    const result = await ctx.engine.preview();
    assertClean(result);
    assert.deepEqual(ops(result).sort(), ["create gadget", "create gadget-1", "create partner", "create tag", "create weight"]);
  });

  test("up: references resolved, many2many as a set, the custom model's record written", async () => {
    const result = await ctx.engine.up();
    assertClean(result);
    const row = await partner();
    const tagId = [...ctx.engine.state.values()].find((r) => r.name === "tag")!.outputs.recordId;
    assert.deepEqual({ country: row.country_id, tags: row.category_id }, { country: [1, "Belgium"], tags: [tagId] });
    assert.deepEqual(result.outputs.partnerId, row.id);
    // The values output shows what odoo.ref("base.be") names, not the reference.
    assert.deepEqual(result.outputs.values, { name: "Engine Partner", country_id: 1, category_id: [tagId] });
    assert.deepEqual(await ctx.client.call("x_engine_gadget", "search_read", { domain: [], fields: ["x_name", "x_weight"] }), [
      { id: 1, x_name: "One", x_weight: 1.5 },
    ]);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
  });

  test("Odoo's normalisation (html sanitised, monetary-style rounding) is not a perpetual diff", async () => {
    ctx.engine.setConfig("test:values", JSON.stringify({ comment: "<p>hi<script>x</script></p>", email: "a@b.example" }));
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((o) => !o.startsWith("same")),
      ["update partner [values]"],
    );
    const from = ctx.emulator.requests.length;
    assertClean(await ctx.engine.up());
    assert.deepEqual(writesSince(ctx.emulator, from), ["res.partner/write"]);
    assert.equal((await partner()).comment, "<p>hi</p>");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("drift made in Odoo shows on refresh and is put back by up", async () => {
    const row = await partner();
    await ctx.client.call("res.partner", "write", { ids: [row.id], vals: { email: "changed@by.hand", country_id: 2 } });
    const refresh = await ctx.engine.refresh();
    assert.deepEqual(
      ops(refresh).filter((o) => o.includes("[")),
      ["refresh partner [values]"],
    );
    const state = [...ctx.engine.state.values()].find((r) => r.name === "partner")!;
    assert.deepEqual(state.outputs.values, {
      name: "Engine Partner",
      country_id: 2,
      category_id: state.inputs.values && (state.inputs.values as any).category_id,
      comment: "<p>hi<script>x</script></p>",
      email: "changed@by.hand",
    });
    assertClean(await ctx.engine.up());
    assert.deepEqual({ email: (await partner()).email, country: (await partner()).country_id[0] }, { email: "a@b.example", country: 1 });
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("archived in Odoo, a record whose active is not declared is drift at refresh, and up makes it active again", async () => {
    const row = await partner();
    await ctx.client.call("res.partner", "write", { ids: [row.id], vals: { active: false } });
    assert.deepEqual(
      ops(await ctx.engine.refresh()).filter((o) => o.includes("[")),
      ["refresh partner [values]"],
    );
    const state = [...ctx.engine.state.values()].find((r) => r.name === "partner")!;
    assert.equal((state.outputs.values as Record<string, unknown>).active, false);
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((o) => !o.startsWith("same")),
      ["update partner [values]"],
    );
    const from = ctx.emulator.requests.length;
    assertClean(await ctx.engine.up());
    assert.deepEqual(writesSince(ctx.emulator, from), ["res.partner/write"]);
    assert.equal((await partner()).active, true);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assert.deepEqual((await ctx.engine.refresh()).changes, []);
  });

  test("readBack: fields Odoo holds are outputs without being managed; an unknown one is refused at preview", async () => {
    ctx.engine.setConfig("test:readBack", JSON.stringify(["display_nam"]));
    assert.deepEqual((await ctx.engine.preview()).steps.find((s) => s.name === "partner")?.failures, [
      { property: "readBack", reason: "'display_nam' is not a field of res.partner: did you mean 'display_name'?" },
    ]);
    ctx.engine.setConfig("test:readBack", JSON.stringify(["display_name", "parent_id", "child_ids"]));
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((o) => !o.startsWith("same")),
      ["update partner [readBack]"],
    );
    const from = ctx.emulator.requests.length;
    const up = await ctx.engine.up();
    assertClean(up);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    assert.deepEqual(up.outputs.derived, { display_name: "Engine Partner", parent_id: false, child_ids: [] });
    // What Odoo derives changes with nothing to apply: refresh takes it in, as a change of the output.
    const [child] = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "Engine child", parent_id: (await partner()).id }] });
    assert.deepEqual(
      ops(await ctx.engine.refresh()).filter((o) => o.includes("[")),
      ["refresh partner [derived]"],
    );
    const state = [...ctx.engine.state.values()].find((r) => r.name === "partner")!;
    assert.deepEqual(state.outputs.derived, { display_name: "Engine Partner", parent_id: false, child_ids: [child] });
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    await ctx.client.call("res.partner", "unlink", { ids: [child] });
    ctx.engine.setConfig("test:readBack", "");
    assertClean(await ctx.engine.up());
  });

  test("preview-time checks against the model's fields, with nothing sent that changes the server", async () => {
    ctx.engine.setConfig("test:values", JSON.stringify({ emial: "x", date: "31/01/2026", type: "bogus", color: "red", child_ids: [1], credit_limit: "12" }));
    const from = ctx.emulator.requests.length;
    const result = await ctx.engine.preview();
    assert.deepEqual(result.steps.find((s) => s.name === "partner")?.failures, [
      { property: "values.child_ids", reason: "is a one2many: declare the res.partner records as Records of their own, with their many2one pointing here" },
      { property: "values.color", reason: "must be a whole number (an integer field)" },
      { property: "values.credit_limit", reason: "must be a number (a float field)" },
      { property: "values.date", reason: "must be a date as YYYY-MM-DD (Odoo's format), e.g. 2026-01-31" },
      { property: "values.emial", reason: "'emial' is not a field of res.partner: did you mean 'email'?" },
      { property: "values.type", reason: "must be one of 'contact', 'invoice', 'delivery', 'other'" },
    ]);
    assert.deepEqual(writesSince(ctx.emulator, from), []);
    ctx.engine.setConfig("test:values", JSON.stringify({ comment: "<p>hi<script>x</script></p>", email: "a@b.example" }));
  });

  test("a record deleted outside Pulumi is reported gone by refresh, and up creates it again", async () => {
    await ctx.client.call("res.partner", "unlink", { ids: [(await partner()).id] });
    const refresh = await ctx.engine.refresh();
    assert.deepEqual(
      ops(refresh).filter((o) => o.startsWith("read-gone")),
      ["read-gone partner"],
    );
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((o) => !o.startsWith("same")),
      ["create partner"],
    );
    assertClean(await ctx.engine.up());
    assert.notEqual(await partner(), undefined);
  });

  test("xmlId: with the state lost, the next up adopts the record instead of duplicating it", async () => {
    ctx.engine.setConfig("test:xmlId", "pulumi_test.acme");
    assertClean(await ctx.engine.up());
    const id = (await partner()).id;
    assert.deepEqual(await ctx.client.call("ir.model.data", "check_object_reference", { module: "pulumi_test", xml_id: "acme" }), ["res.partner", id]);
    const urn = [...ctx.engine.state.values()].find((r) => r.name === "partner")!.urn;
    ctx.engine.state.delete(urn);
    await ctx.client.call("res.partner", "write", { ids: [id], vals: { email: "drifted@meanwhile" } });
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(
      ops(result).filter((o) => !o.startsWith("same")),
      ["create partner"],
    );
    assert.equal(await ctx.client.call("res.partner", "search_count", { domain: [["name", "=", "Engine Partner"]] }), 1);
    assert.deepEqual({ id: (await partner()).id, email: (await partner()).email }, { id, email: "a@b.example" });
  });

  test("an xmlId that already names another record is refused, and nothing changes", async () => {
    ctx.engine.setConfig("test:xmlId", "base.main_company");
    const result = await ctx.engine.up();
    assert.deepEqual(result.errors, ["partner: external id 'base.main_company' already names res.company record 1: choose another xmlId"]);
    assert.deepEqual(await ctx.client.call("ir.model.data", "check_object_reference", { module: "pulumi_test", xml_id: "acme" }), [
      "res.partner",
      (await partner()).id,
    ]);
    ctx.engine.setConfig("test:xmlId", "pulumi_test.acme");
  });

  test("onDelete archive: destroy archives the partner instead of deleting it", async () => {
    ctx.engine.setConfig("test:onDelete", "archive");
    assertClean(await ctx.engine.up());
    const id = (await partner()).id;
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await ctx.client.call("res.partner", "read", { ids: [id], fields: ["active"] }), [{ id, active: false }]);
  });
});

describe("Record reads are coalesced", () => {
  const ctx = useEngine("many-records");

  test("a refresh of 120 records of one model makes a few read calls, not 120", async () => {
    ctx.engine.setConfig("test:count", "120");
    assertClean(await ctx.engine.up());
    const from = ctx.emulator.requests.length;
    const refresh = await ctx.engine.refresh();
    assertClean(refresh);
    assert.equal(refresh.steps.length, 120);
    assert.deepEqual(refresh.changes, []);
    const reads = ctx.emulator.requests.slice(from).filter((r) => r.path === "/json/2/res.partner.category/read").length;
    assert.ok(reads >= 1 && reads <= 5, `${reads} read calls`);
  });
});
