import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { OdooEmulator } from "./server";

// A real Odoo rebuilds its registry after each schema change; overlapping changes on one database
// fail (odoo17-facts: concurrency on 17 and 19). The emulator does the same by default, and the
// client keeps its own schema changes apart, so that a program's parallel fields all land.

describe("registry races (odoo17-facts, concurrency)", () => {
  let emulator: OdooEmulator;
  let url: string;
  before(async () => {
    emulator = new OdooEmulator({ registryRebuildMs: 50 });
    url = await emulator.start();
  });
  after(() => emulator.stop());

  async function newModel(client: OdooClient, model: string): Promise<number> {
    return (
      await client.call<number[]>("ir.model", "create", {
        vals_list: [
          {
            name: model,
            model,
            state: "manual",
            access_ids: [[0, 0, { name: "everyone", perm_read: true, perm_write: true, perm_create: true, perm_unlink: true }]],
          },
        ],
      })
    )[0];
  }
  const fieldCreate = (modelId: number, name: string) => ({
    vals_list: [{ model_id: modelId, name, ttype: "char", state: "manual", field_description: name }],
  });

  test("three field creates sent at once from three processes' clients: only the first gets through", async () => {
    const clients = [0, 1, 2].map(() => new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo" }));
    const modelId = await newModel(clients[0], "x_race_raw");
    // Separate gates stand for separate processes: nothing keeps their changes apart.
    const raw = (client: OdooClient, name: string) =>
      fetch(`${url}/json/2/ir.model.fields/create`, {
        method: "POST",
        headers: { authorization: `bearer ${emulator.apiKey()}`, "content-type": "application/json", "x-odoo-database": "odoo" },
        body: JSON.stringify(fieldCreate(modelId, name)),
      }).then(async (r) => `${r.status} ${((await r.json()) as { name?: string }).name ?? "ok"}`);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const answers = await Promise.all([raw(clients[0], "x_a"), raw(clients[1], "x_b"), raw(clients[2], "x_c")]);
    assert.deepEqual(answers, ["200 ok", "500 builtins.KeyError", "500 builtins.KeyError"]);
    await Promise.all(clients.map((c) => c.close()));
  });

  test("the same creates through one client's gate all land, one after the other", async () => {
    const client = new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo" });
    const modelId = await newModel(client, "x_race_gated");
    const ids = await Promise.all(["x_a", "x_b", "x_c"].map((name) => client.call<number[]>("ir.model.fields", "create", fieldCreate(modelId, name))));
    assert.equal(ids.flat().length, 3);
    const [id] = await client.call<number[]>("x_race_gated", "create", { vals_list: [{ x_a: "a", x_b: "b", x_c: "c" }] });
    assert.deepEqual(await client.call("x_race_gated", "read", { ids: [id], fields: ["x_a", "x_b", "x_c"] }), [{ id, x_a: "a", x_b: "b", x_c: "c" }]);
    await client.close();
  });

  test("a KeyError naming a model this process made is a registry race from elsewhere: sent again", async () => {
    const client = new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo" });
    const messages: string[] = [];
    const watched = new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo" }, { onProgress: (m) => messages.push(m) });
    const modelId = await newModel(watched, "x_race_other");
    // Another process's schema change is still rebuilding the registry when ours arrives.
    const other = fetch(`${url}/json/2/ir.model.fields/create`, {
      method: "POST",
      headers: { authorization: `bearer ${emulator.apiKey()}`, "content-type": "application/json", "x-odoo-database": "odoo" },
      body: JSON.stringify(fieldCreate(modelId, "x_theirs")),
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const [id] = await watched.call<number[]>("ir.model.fields", "create", fieldCreate(modelId, "x_ours"));
    assert.ok(id > 0);
    assert.equal((await other).status, 200);
    assert.deepEqual(messages, [
      "ir.model.fields/create: Odoo's registry was being rebuilt by another change (ir.model.fields/create → 500 KeyError: unknown key 'x_race_other' (usually a field name that does not exist on the model)); Odoo rolled it back, sending it again",
    ]);
    await Promise.all([client.close(), watched.close()]);
  });

  test("the wait for another schema change does not count against a call's own timeout", async () => {
    const client = new OdooClient({ url, apiKey: emulator.apiKey(), database: "odoo" }, { timeoutMs: 400 });
    const modelId = await newModel(client, "x_race_timeout");
    // Each create takes 300 ms: the second waits 300 ms for the first, then 300 ms of its own.
    emulator.inject({ match: /ir\.model\.fields\/create$/, kind: "delay", delayMs: 300, times: 2 });
    const ids = await Promise.all(["x_a", "x_b"].map((name) => client.call<number[]>("ir.model.fields", "create", fieldCreate(modelId, name))));
    assert.equal(ids.flat().length, 2);
    await client.close();
  });
});
