import assert from "node:assert/strict";
import { describe, test } from "node:test";
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
    assert.equal(requests("create"), 200);
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
    assert.equal(requests("create") - created, 200, "no create sent twice");
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
