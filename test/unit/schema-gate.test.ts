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
