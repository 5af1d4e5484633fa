import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaultParallelism } from "./engine";
import { assertClean, useEngine } from "./harness";

// 200 resources applied at once (the program registers them all together, and the driver, like the
// engine, applies them concurrently): no duplicated record, no lost update, no provider crash.

describe("200 Records applied concurrently", () => {
  const ctx = useEngine("many-records");
  const tags = () => ctx.client.call<{ name: string }[]>("res.partner.category", "search_read", { domain: [["name", "=like", "Tag %"]], fields: ["name"] });
  const requests = (method: string) => ctx.emulator.requests.filter((r) => r.path === `/json/2/res.partner.category/${method}`).length;

  test("up creates each exactly once", async () => {
    ctx.engine.setConfig("test:count", "200");
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.steps.length, 200);
    const names = (await tags()).map((t) => t.name);
    assert.equal(names.length, 200);
    assert.equal(new Set(names).size, 200);
    // Creates that arrive together go as one (at most as many as the engine runs at once: 8 on 2
    // cores, so 25 at best); one per record would be 200.
    const creates = requests("create");
    assert.ok(creates >= 200 / defaultParallelism() && creates <= 100, `${creates} creates for 200 records`);
  });

  test("an update of all 200 loses none, and a second preview is empty", async () => {
    ctx.engine.setConfig("test:suffix", " (renamed)");
    const result = await ctx.engine.up();
    assertClean(result);
    assert.equal(result.steps.filter((s) => s.op === "update").length, 200);
    const names = (await tags()).map((t) => t.name);
    assert.equal(names.filter((n) => n.endsWith(" (renamed)")).length, 200);
    assert.equal(requests("write"), 200);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
  });

  test("destroy removes all 200", async () => {
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await tags(), []);
  });

  test("with 20 answers lost among 200 concurrent creates and 20 among the updates, each still exactly once", async () => {
    ctx.engine.setConfig("test:suffix", "");
    const created = requests("create");
    ctx.emulator.inject({ match: /res\.partner\.category\/create$/, kind: "reset-after", times: 20 });
    assertClean(await ctx.engine.up());
    let names = (await tags()).map((t) => t.name);
    assert.equal(names.length, 200);
    assert.equal(new Set(names).size, 200);
    // A batch whose answer was lost is settled by looking, never sent again: every record is made
    // once (above), with no more creates than the batches of a clean run.
    assert.ok(requests("create") - created <= 100, `${requests("create") - created} creates for 200 records`);
    ctx.engine.setConfig("test:suffix", " (renamed)");
    ctx.emulator.inject({ match: /res\.partner\.category\/write$/, kind: "status", status: 504, afterWork: true, times: 20 });
    assertClean(await ctx.engine.up());
    names = (await tags()).map((t) => t.name);
    assert.equal(names.filter((n) => n.endsWith(" (renamed)")).length, 200);
    assert.deepEqual((await ctx.engine.preview()).changes, []);
    assertClean(await ctx.engine.destroy());
    assert.deepEqual(await tags(), []);
  });
});
