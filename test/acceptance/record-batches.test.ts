import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, census, describeReal, programs, useRealEngine } from "./harness";

// Records in batches on a real Odoo, through the engine with its parallelism: 60 partner tags (20
// with external ids) and one that only Odoo can refuse are applied together; their creates, external
// ids and deletes go as few calls, and each resource still gets its own outcome.

describeReal("acceptance: Records in batches", (target) => {
  const ctx = useRealEngine(target, programs("tags"));
  const tags = () =>
    ctx.client.call<{ id: number; name: string }[]>("res.partner.category", "search_read", { domain: [["name", "=like", "Acc bulk %"]], fields: ["name"], order: "name" });
  const sent = (from: number, call: string) => ctx.proxy.calls.slice(from).filter((c) => c === call).length;
  let before: Record<string, number>;

  test("the tag Odoo refuses fails alone, with Odoo's sentence; the 60 sent with it are each made once, with their external ids", async () => {
    before = await census(ctx.client);
    ctx.engine.setConfig("test:bad", "true");
    const from = ctx.proxy.calls.length;
    // The engine stops at a failed resource unless told to go on: a batch's other records are
    // sent with the bad one, and each must be made, so that is what this up asks for.
    const result = await ctx.engine.up({ continueOnError: true });
    assert.deepEqual(result.errors, [`bad: ${refusal(ctx.version)}`]);
    const made = await tags();
    assert.deepEqual(
      made.map((tag) => tag.name),
      Array.from({ length: 60 }, (_, i) => `Acc bulk ${String(i).padStart(3, "0")}`),
    );
    assert.equal(ctx.engine.state.size, 60);
    const named = await ctx.client.call<{ name: string; res_id: number }[]>("ir.model.data", "search_read", { domain: [["module", "=", "pulumi_acc"], ["name", "=like", "bulk_%"]], fields: ["name", "res_id"], order: "name" });
    assert.deepEqual(
      named.map((row) => [row.name, made.find((tag) => tag.id === row.res_id)?.name]),
      Array.from({ length: 20 }, (_, i) => [`bulk_${String(i * 3).padStart(3, "0")}`, `Acc bulk ${String(i * 3).padStart(3, "0")}`]),
    );
    // Creates that arrived together went together: fewer calls than records (one each was 61 and 20).
    // How many arrive together is the engine's doing: the real CLI hands them over more spread out
    // than our driver did (39 creates and 18 registrations seen on Odoo 19, against ≤ 30 and ≤ 10 under
    // the driver, whose emulator suite keeps those bounds); the figures are printed.
    const creates = sent(from, "res.partner.category/create");
    const registrations = sent(from, "ir.model.data/create");
    console.log(`# 61 tags in ${creates} creates, 20 external ids in ${registrations}`);
    assert.ok(creates < 61 && registrations < 20, `${creates} creates of tags, ${registrations} of external ids`);
  });

  test("without the bad tag, the program is applied and a second preview is empty", async () => {
    ctx.engine.setConfig("test:bad", "false");
    assertClean(await ctx.engine.up());
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("destroy deletes the 60 in fewer unlinks than tags, and leaves the server as it was", async () => {
    const from = ctx.proxy.calls.length;
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await tags(), []);
    assert.deepEqual(await census(ctx.client), before);
    const unlinks = sent(from, "res.partner.category/unlink");
    console.log(`# 60 tags deleted in ${unlinks} unlinks`);
    // The real engine's deletes arrive one by one more often than its creates (47 unlinks seen on 19):
    // gathering deletes under it is the work of issue "Reference data at the floor".
    assert.ok(unlinks < 60, `${unlinks} unlinks of 60 tags`);
  });
});

/** Odoo's refusal of a parent that does not exist (odoo19-facts §2: a foreign key, said as a ValidationError). */
function refusal(version: number): string {
  if (version >= 19) {
    return "res.partner.category/create → 422 ValidationError: The operation cannot be completed: Another model is using the record you are trying to delete. The troublemaker is: 'Partner Tags' (res.partner.category) Thanks to the following constraint: 'Category' (parent_id) How about archiving the record instead?";
  }
  return "res.partner.category/create → ValidationError: The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead. Model: Partner Tags (res.partner.category) Constraint: res_partner_category_parent_id_fkey";
}
