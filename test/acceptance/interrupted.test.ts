import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClean, census, describeReal, programs, useRealEngine } from "./harness";

// An interrupted `pulumi up` of 100 resources on a real Odoo, through the real CLI: stopped with
// Ctrl-C, and killed outright (`kill -9`) halfway. After what the README says to do, the next up
// converges: nothing made twice, nothing lost, counted on the server.

describeReal("acceptance: an interrupted up", (target) => {
  const ctx = useRealEngine(target, programs("interrupted"));
  let before: Record<string, number>;

  /** What the program's resources are on the server: the model's fields, the tags and their external ids. */
  async function onServer() {
    const fields = await ctx.client.call<{ name: string }[]>("ir.model.fields", "search_read", {
      domain: [
        ["model", "=", "x_pulumi_acc_intr"],
        ["name", "=like", "x_f%"],
      ],
      fields: ["name"],
      order: "name",
    });
    const tags = await ctx.client.call<{ name: string }[]>("res.partner.category", "search_read", {
      domain: [["name", "=like", "Acc intr %"]],
      fields: ["name"],
      order: "name, id",
    });
    const xmlIds = await ctx.client.call<number>("ir.model.data", "search_count", {
      domain: [
        ["module", "=", "pulumi_acc"],
        ["name", "=like", "intr_%"],
      ],
    });
    return { fields: fields.map((f) => f.name), tags: tags.map((t) => t.name), xmlIds };
  }
  const declared = {
    fields: Array.from({ length: 9 }, (_, i) => `x_f${i + 1}`),
    tags: Array.from({ length: 90 }, (_, i) => `Acc intr ${String(i).padStart(3, "0")}`),
    xmlIds: 90,
  };
  /** Halfway: 40 of the 90 tags made. */
  const halfway = async () => (await ctx.client.call<number>("res.partner.category", "search_count", { domain: [["name", "=like", "Acc intr %"]] })) >= 40;

  test("Ctrl-C halfway: the CLI finishes the steps under way and records them; the next up makes the rest", async () => {
    before = await census(ctx.client);
    const stopped = await ctx.engine.interruptedUp("SIGINT", halfway);
    assert.notEqual(stopped.code, 0, stopped.output);
    assert.deepEqual(ctx.engine.pendingOperations(), []);
    const made = ctx.engine.state.size;
    console.log(`# Ctrl-C: ${made} of 100 resources in the state`);
    assert.ok(made >= 40 && made < 100, `${made} resources in the state`);
    assertClean(await ctx.engine.up());
    assert.deepEqual(await onServer(), declared);
    assert.equal(ctx.engine.state.size, 100);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("kill -9 halfway: pulumi cancel, refresh --clear-pending-creates, then one up with PULUMI_ODOO_ADOPT=true converges, nothing made twice", async () => {
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await census(ctx.client), before);
    const killed = await ctx.engine.interruptedUp("SIGKILL", halfway);
    const pending = ctx.engine.pendingOperations();
    const sidecar = /\(test\) deleted the empty .*/.exec(killed.output)?.[0] ?? "no sidecar left empty";
    console.log(`# kill -9: ${ctx.engine.state.size} of 100 resources in the state, pending: ${pending.join(", ") || "none"}; ${sidecar}`);
    assert.ok(ctx.engine.state.size < 100);
    // The killed CLI left its lock: every command refuses until `pulumi cancel` takes it away.
    await ctx.engine.cancel();
    // The creates it left pending may have gone through or not: the state forgets them, and the
    // up that follows takes over by name what they made.
    assertClean(await ctx.engine.refresh({ clearPendingCreates: true }));
    assert.deepEqual(ctx.engine.pendingOperations(), []);
    assertClean(await ctx.engine.up({ env: { PULUMI_ODOO_ADOPT: "true" } }));
    assert.deepEqual(await onServer(), declared);
    assert.equal(ctx.engine.state.size, 100);
    // Without the variable, nothing is left to take over: a second preview is empty.
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("what a lost create made is refused by name without PULUMI_ODOO_ADOPT, and taken over with it", async () => {
    // Whether the killed run had a field's create under way is timing: a field the state forgot is
    // what such a create leaves.
    const urn = [...ctx.engine.state.keys()].find((key) => key.endsWith("::field-3"))!;
    const id = ctx.engine.state.get(urn)!.id;
    await ctx.engine.forget(urn);
    const refused = await ctx.engine.up();
    assert.deepEqual(refused.errors, [
      `field-3: name: field 'x_pulumi_acc_intr.x_f3' already exists in Odoo (ir.model.fields id ${id}): set adopt: true to take it over, or choose another name`,
    ]);
    assertClean(await ctx.engine.up({ env: { PULUMI_ODOO_ADOPT: "true" } }));
    assert.equal(ctx.engine.state.get(urn)!.id, id);
    assert.deepEqual(await onServer(), declared);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("destroy leaves the server as it was", async () => {
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await onServer(), { fields: [], tags: [], xmlIds: 0 });
    assert.deepEqual(await census(ctx.client), before);
  });
});
