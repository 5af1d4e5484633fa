import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, assertSteady, previewWritingNothing, assertNoRestart, census, describeReal, ops, programs, secretsIn, useRealEngine } from "./harness";

// Record on a real Odoo through the engine path: external ids, odoo.ref, a many2one and a
// many2many to other Records, Odoo's html normalisation with no perpetual diff, drift, an update,
// a replacement, adoption by external id, archive on destroy, and nothing left behind.

describeReal("acceptance: Record on a real Odoo", (target) => {
  const ctx = useRealEngine(target, programs("records"));
  const byXmlId = async (name: string) =>
    (await ctx.client.call<[string, number]>("ir.model.data", "check_object_reference", { module: "pulumi_acc", xml_id: name }))[1];
  const partner = async (id: number) =>
    (
      await ctx.client.call<Record<string, any>[]>("res.partner", "read", {
        ids: [id],
        fields: ["name", "is_company", "country_id", "category_id", "parent_id", "active"],
        context: { active_test: false },
      })
    )[0];
  let before: Record<string, number>;

  test("preview sends nothing that changes the server", async () => {
    before = await census(ctx.client);
    const result = await previewWritingNothing(ctx);
    assert.deepEqual(ops(result), ["create company", "create contact", "create gadget", "create gadget-1", "create note", "create vip", "create weight"]);
  });

  test("up resolves odoo.ref, the many2one and the many2many, and registers the external ids", async () => {
    const result = await ctx.engine.up();
    assertClean(result);
    const [vip, company, contact] = [await byXmlId("tag_vip"), await byXmlId("company"), await byXmlId("contact")];
    const belgium = (await ctx.client.call<[string, number]>("ir.model.data", "check_object_reference", { module: "base", xml_id: "be" }))[1];
    assert.equal(result.outputs.companyId, company);
    const row = await partner(company);
    assert.deepEqual([row.name, row.is_company, row.country_id[0], row.category_id], ["Acceptance Company", true, belgium, [vip]]);
    assert.equal((await partner(contact)).parent_id[0], company);
    assert.deepEqual(await ctx.client.call("x_acc_gadget", "search_read", { domain: [], fields: ["x_name", "x_weight"] }), [
      { id: 1, x_name: "One", x_weight: 1.5 },
    ]);
  });

  test("a second preview shows no change (html normalised by Odoo included), and refresh no drift", async () => {
    await assertSteady(ctx.engine);
  });

  test("a name changed in Odoo is found by refresh and put back by up", async () => {
    const company = await byXmlId("company");
    await ctx.client.call("res.partner", "write", { ids: [company], vals: { name: "Changed by hand" } });
    assert.deepEqual(
      ops(await ctx.engine.refresh()).filter((op) => op.includes("[")),
      ["refresh company [values]"],
    );
    assertClean(await ctx.engine.up());
    assert.equal((await partner(company)).name, "Acceptance Company");
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("an update writes in place; a new model replaces the record", async () => {
    const company = await byXmlId("company");
    ctx.engine.setConfig("test:companyName", "Acceptance Company SA");
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
      ["update company [values]"],
    );
    assertClean(await ctx.engine.up());
    assert.equal((await partner(company)).name, "Acceptance Company SA");
    ctx.engine.setConfig("test:noteModel", "res.partner.industry");
    assert.deepEqual(
      ops(await ctx.engine.preview()).filter((op) => !op.startsWith("same")),
      ["replace note [model]"],
    );
    assertClean(await ctx.engine.up());
    assert.equal(await ctx.client.call("res.partner.industry", "search_count", { domain: [["name", "=", "Acceptance note"]] }), 1);
    assert.equal(await ctx.client.call("res.partner.category", "search_count", { domain: [["name", "=", "Acceptance note"]] }), 0);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("with its state lost, a record with an external id is adopted, not duplicated", async () => {
    const contact = await byXmlId("contact");
    const urn = [...ctx.engine.state.values()].find((r) => r.name === "contact")!.urn;
    await ctx.engine.forget(urn);
    const result = await ctx.engine.up();
    assertClean(result);
    assert.deepEqual(
      ops(result).filter((op) => !op.startsWith("same")),
      ["create contact"],
    );
    assert.equal(await byXmlId("contact"), contact);
    assert.equal(await ctx.client.call("res.partner", "search_count", { domain: [["name", "=", "Acceptance Contact"]] }), 1);
  });

  test("onDelete archive: destroy archives the company, deletes the rest, and leaves no external id", async () => {
    ctx.engine.setConfig("test:onDelete", "archive");
    assertClean(await ctx.engine.up());
    const company = await byXmlId("company");
    assertClean(await ctx.engine.destroy());
    assert.equal(ctx.engine.state.size, 0);
    assert.equal((await partner(company)).active, false);
    await ctx.client.call("res.partner", "unlink", { ids: [company] });
    const after = await census(ctx.client);
    assert.deepEqual(after, before);
    assert.deepEqual(secretsIn(ctx, [target.apiKey]), []);
    assertNoRestart(target);
  });
});
