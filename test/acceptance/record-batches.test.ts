import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, census, describeReal, parentRefusal, programs, useRealEngine } from "./harness";

// Records in batches on a real Odoo, through the engine with its parallelism: 60 partner tags (20
// with external ids) and one that only Odoo can refuse are applied together; however the engine's
// steps are gathered into calls, each resource gets its own outcome and each record is made once.

describeReal("acceptance: Records in batches", (target) => {
  const ctx = useRealEngine(target, programs("tags"));
  const tags = () =>
    ctx.client.call<{ id: number; name: string }[]>("res.partner.category", "search_read", {
      domain: [["name", "=like", "Acc bulk %"]],
      fields: ["name"],
      order: "name",
    });
  const sent = (from: number, call: string) => ctx.proxy.calls.slice(from).filter((c) => c === call).length;
  let before: Record<string, number>;

  test("the tag Odoo refuses fails alone, with Odoo's sentence; the 60 sent with it are each made once, with their external ids", async () => {
    before = await census(ctx.client);
    ctx.engine.setConfig("test:bad", "true");
    const from = ctx.proxy.calls.length;
    // The engine stops at a failed resource unless told to go on: a batch's other records are
    // sent with the bad one, and each must be made, so that is what this up asks for.
    const result = await ctx.engine.up({ continueOnError: true });
    assert.deepEqual(result.errors, [`bad: ${parentRefusal(ctx.version)}`]);
    const made = await tags();
    assert.deepEqual(
      made.map((tag) => tag.name),
      Array.from({ length: 60 }, (_, i) => `Acc bulk ${String(i).padStart(3, "0")}`),
    );
    assert.equal(ctx.engine.state.size, 60);
    const named = await ctx.client.call<{ name: string; res_id: number }[]>("ir.model.data", "search_read", {
      domain: [
        ["module", "=", "pulumi_acc"],
        ["name", "=like", "bulk_%"],
      ],
      fields: ["name", "res_id"],
      order: "name",
    });
    assert.deepEqual(
      named.map((row) => [row.name, made.find((tag) => tag.id === row.res_id)?.name]),
      Array.from({ length: 20 }, (_, i) => [`bulk_${String(i * 3).padStart(3, "0")}`, `Acc bulk ${String(i * 3).padStart(3, "0")}`]),
    );
    // How many creates arrive together is the engine's doing, and timing: the real CLI hands them over
    // spread out (39 creates and 18 registrations seen on a lone Odoo 19, 60 and 20 beside a second
    // suite on the same two CPUs), so the figures are printed, not asserted; what is asserted is that
    // each record was made once, whatever the batches. Gathering is measured by `npm run bench`.
    const creates = sent(from, "res.partner.category/create");
    const registrations = sent(from, "ir.model.data/create");
    console.log(`# 61 tags in ${creates} creates, 20 external ids in ${registrations}`);
  });

  test("without the bad tag, the program is applied and a second preview is empty", async () => {
    ctx.engine.setConfig("test:bad", "false");
    assertClean(await ctx.engine.up());
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("destroy deletes the 60 and leaves the server as it was", async () => {
    const from = ctx.proxy.calls.length;
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await tags(), []);
    assert.deepEqual(await census(ctx.client), before);
    const unlinks = sent(from, "res.partner.category/unlink");
    console.log(`# 60 tags deleted in ${unlinks} unlinks`);
    // The real engine's deletes arrive one by one more often than its creates (47 unlinks seen on 19):
    // gathering deletes under it is the work of issue "Reference data at the floor", measured by the bench.
  });
});
