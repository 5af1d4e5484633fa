import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { changesSchema, SchemaGate } from "../../provider/client/schema-gate";

// The schema gate: a schema change runs alone on its database; other calls run side by side
// between schema changes; everyone is served in the order they arrived.

const tick = () => new Promise((resolve) => setImmediate(resolve));

function recorder() {
  const events: string[] = [];
  const gates = new Map<string, () => void>();
  const work = (name: string) => () => {
    events.push(`start ${name}`);
    return new Promise<void>((resolve) => gates.set(name, () => (events.push(`end ${name}`), resolve())));
  };
  return { events, work, finish: async (name: string) => (gates.get(name)!(), await tick()) };
}

describe("schema gate", () => {
  test("which calls change the schema", () => {
    const cases: [string, string, boolean][] = [
      ["ir.model.fields", "create", true],
      ["ir.model", "unlink", true],
      ["ir.model.access", "write", true],
      ["ir.model.fields", "search_read", false],
      ["ir.module.module", "button_immediate_install", true],
      ["ir.module.module", "search_read", false],
      ["res.config.settings", "execute", true],
      ["res.partner", "create", false],
    ];
    assert.deepEqual(
      cases.map(([model, method]) => changesSchema(model, method)),
      cases.map(([, , expected]) => expected),
    );
  });

  test("schema changes run one at a time; calls between them run together, in arrival order", async () => {
    const gate = new SchemaGate();
    const { events, work, finish } = recorder();
    const all = [
      gate.run(false, "read 1", work("read 1")),
      gate.run(false, "read 2", work("read 2")),
      gate.run(true, "field 1", work("field 1")),
      gate.run(true, "field 2", work("field 2")),
      gate.run(false, "read 3", work("read 3")),
      gate.run(false, "read 4", work("read 4")),
    ];
    await tick();
    assert.deepEqual(events, ["start read 1", "start read 2"]);
    await finish("read 1");
    assert.deepEqual(events.slice(2), ["end read 1"]);
    await finish("read 2");
    assert.deepEqual(events.slice(3), ["end read 2", "start field 1"]);
    await finish("field 1");
    assert.deepEqual(events.slice(5), ["end field 1", "start field 2"]);
    await finish("field 2");
    assert.deepEqual(events.slice(7), ["end field 2", "start read 3", "start read 4"]);
    await finish("read 3");
    await finish("read 4");
    await Promise.all(all);
  });

  test("a failed call frees the gate", async () => {
    const gate = new SchemaGate();
    await assert.rejects(
      gate.run(true, "field", async () => {
        throw new Error("refused");
      }),
      /refused/,
    );
    assert.equal(await gate.run(true, "next", async () => "ran"), "ran");
  });
});

describe("schema gate: what waiting calls are told", () => {
  test("one line for all the calls waiting, after 5 s, then every 10 s while any waits; nothing once they run", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
    const gate = new SchemaGate();
    const said: string[] = [];
    const say = (message: string) => said.push(message);
    let release!: () => void;
    const install = gate.run(true, "install module 'crm'", () => new Promise<void>((resolve) => (release = resolve)), say);
    const calls = ["res.partner/create", "ir.model.fields/create", "x_book/read", "res.partner.category/create"].map((what) =>
      gate.run(false, what, async () => what, say),
    );
    t.mock.timers.tick(4_999);
    assert.deepEqual(said, []);
    t.mock.timers.tick(1);
    t.mock.timers.tick(10_000);
    t.mock.timers.tick(10_000);
    assert.deepEqual(said, [
      "4 calls (res.partner/create, ir.model.fields/create, x_book/read, …): waiting for install module 'crm' to finish (Odoo rebuilds its registry one change at a time)",
      "still waiting for install module 'crm' to finish: 4 calls, 15 s so far",
      "still waiting for install module 'crm' to finish: 4 calls, 25 s so far",
    ]);
    await tick();
    release();
    await install;
    assert.equal((await Promise.all(calls)).length, 4);
    t.mock.timers.tick(60_000);
    assert.equal(said.length, 3);
  });
});
