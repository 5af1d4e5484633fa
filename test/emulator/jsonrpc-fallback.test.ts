import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OdooClient } from "../../provider/client/odoo-client";
import { rejectsWith, useEmulator } from "../helpers";

// odoo19-facts §7 (/jsonrpc), and the client's fallback to it on Odoo 14–18, which have no JSON-2.

describe("an Odoo 17 server (odoo17-facts): the same calls over /jsonrpc execute_kw", () => {
  const ctx = useEmulator({ version: 17 });
  const rpc = async (args: unknown[]) =>
    (await (
      await fetch(`${ctx.url}/jsonrpc`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          method: "call",
          id: 1,
          params: { service: "object", method: "execute_kw", args: ["odoo", 2, ctx.emulator.apiKey(), ...args] },
        }),
      })
    ).json()) as { result?: unknown; error?: { code: number; data: { name: string; message: string } } };

  test("no /web/version: the client finds 17 at /web/webclient/version_info and speaks JSON-RPC", async () => {
    assert.equal((await fetch(`${ctx.url}/web/version`)).status, 404);
    assert.deepEqual(await ctx.client.version(), { major: 17, version: "17.0" });
    assert.equal(await ctx.client.protocolName(), "jsonrpc");
    assert.equal(ctx.emulator.requests.filter((r) => r.path.startsWith("/json/2/")).length, 0);
  });

  test("17's own argument binding, which the client follows (odoo17-facts §1)", async () => {
    const error = (answer: Awaited<ReturnType<typeof rpc>>) => [answer.error?.code, answer.error?.data.name, answer.error?.data.message];
    assert.deepEqual(error(await rpc(["res.partner", "create", [], { vals_list: [{ name: "kw" }] }])), [
      200,
      "builtins.IndexError",
      "tuple index out of range",
    ]);
    assert.deepEqual(error(await rpc(["res.partner", "write", [], { ids: [1], vals: { name: "kw" } }])), [
      200,
      "builtins.IndexError",
      "tuple index out of range",
    ]);
    assert.deepEqual(error(await rpc(["ir.model.access", "write", [[1]], { vals: { perm_read: true } }])), [
      200,
      "builtins.TypeError",
      "IrModelAccess.write() got an unexpected keyword argument 'vals'",
    ]);
    assert.deepEqual(error(await rpc(["res.partner", "search_read"])), [
      200,
      "builtins.TypeError",
      "execute_kw() missing 1 required positional argument: 'args'",
    ]);
    assert.equal(typeof (await rpc(["res.partner", "create", [{ name: "positional" }]])).result, "number");
    // Through the client: the same named arguments as on 19.
    const [model] = await ctx.client.call<number[]>("ir.model", "create", {
      vals_list: [{ name: "Acl 17", model: "x_acl17", state: "manual", access_ids: [[0, 0, { name: "everyone", perm_read: true }]] }],
    });
    const [rule] = await ctx.client.call<number[]>("ir.model.access", "search", { domain: [["model_id", "=", model]] });
    assert.equal(await ctx.client.call("ir.model.access", "write", { ids: [rule], vals: { perm_read: true } }), true);
  });

  test("translate reads back as a boolean on 17 (odoo17-facts §5)", async () => {
    const [partner] = await ctx.client.call<{ id: number }[]>("ir.model", "search_read", { domain: [["model", "=", "res.partner"]], fields: ["id"] });
    const [id] = await ctx.client.call<number[]>("ir.model.fields", "create", {
      vals_list: [{ model_id: partner.id, name: "x_motto", ttype: "char", field_description: "Motto", translate: "standard", state: "manual" }],
    });
    assert.deepEqual(await ctx.client.call("ir.model.fields", "read", { ids: [id], fields: ["translate"] }), [{ id, translate: true }]);
  });

  test("named arguments map to execute_kw: create answers a list, read and search_read work", async () => {
    const ids = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "Old A" }] });
    assert.equal(ids.length, 1);
    assert.deepEqual(await ctx.client.call("res.partner", "read", { ids, fields: ["name"] }), [{ id: ids[0], name: "Old A" }]);
    assert.deepEqual(await ctx.client.call("res.partner", "search_read", { domain: [["name", "=", "Old A"]], fields: ["name"] }), [
      { id: ids[0], name: "Old A" },
    ]);
    assert.equal(await ctx.client.call("res.partner", "write", { ids, vals: { name: "Old B" } }), true);
  });

  test("errors inside HTTP 200 become the same error codes", async () => {
    await rejectsWith(
      ctx.client.call("res.partner", "write", { ids: [999999], vals: { name: "x" } }),
      "ODOO_MISSING",
      "res.partner/write → MissingError: Record does not exist or has been deleted. (Record: res.partner(999999,), User: 2)",
    );
    await rejectsWith(ctx.client.call("x_nope", "search", { domain: [] }), "ODOO_USER_ERROR", "x_nope/search → UserError: Object x_nope doesn't exist");
  });

  test("a wrong key is refused at authenticate", async () => {
    const client = new OdooClient({ url: ctx.url, apiKey: "0".repeat(40), database: "odoo", login: "admin" });
    await rejectsWith(
      client.call("res.partner", "search", { domain: [] }),
      "ODOO_UNAUTHORIZED",
      "common/authenticate: login 'admin' and the API key were refused by database 'odoo'",
    );
    await client.close();
  });

  test("without a login the fallback says what to set", async () => {
    const client = new OdooClient({ url: ctx.url, apiKey: ctx.emulator.apiKey(), database: "odoo" });
    await rejectsWith(
      client.call("res.partner", "search", { domain: [] }),
      "ODOO_CONFIG",
      "this Odoo server is older than 19 and has no JSON-2 API: set odoo:login (ODOO_LOGIN) to the user the API key belongs to",
    );
    await client.close();
  });
});

describe("faults: read-only calls recover, writes are never repeated", () => {
  const ctx = useEmulator();

  test("a read survives a reset, a 429 with Retry-After, a 502 and a 503", async () => {
    for (const fault of [
      { kind: "reset" },
      { kind: "status", status: 429, retryAfter: "0" },
      { kind: "status", status: 502 },
      { kind: "status", status: 503 },
    ] as const) {
      ctx.emulator.inject({ match: /res\.partner\/read$/, ...fault });
      assert.deepEqual(await ctx.client.call("res.partner", "read", { ids: [1], fields: ["name"] }), [{ id: 1, name: "My Company" }]);
    }
  });

  test("a read gives up after its retry budget with one clear sentence", async () => {
    ctx.emulator.inject({ match: /res\.partner\/read$/, kind: "status", status: 504, times: 10 });
    const before = ctx.emulator.requests.length;
    await rejectsWith(
      ctx.client.call("res.partner", "read", { ids: [1], fields: ["name"] }),
      "ODOO_HTTP",
      "res.partner/read → HTTP 504 with text/html; charset=utf-8 instead of JSON: 504 Gateway Time-out",
    );
    assert.equal(ctx.emulator.requests.length - before, 4, "four attempts, the retry budget");
    ctx.emulator.clearFaults();
  });

  test("a create whose answer is lost is not sent again, and says it may have been applied", async () => {
    const before = await ctx.client.call<number>("res.partner", "search_count", { domain: [["name", "=", "Once"]] });
    ctx.emulator.inject({ match: /res\.partner\/create$/, kind: "reset-after" });
    await rejectsWith(
      ctx.client.call("res.partner", "create", { vals_list: [{ name: "Once" }] }),
      "ODOO_TRANSPORT",
      /^res\.partner\/create: the connection to http:\/\/127\.0\.0\.1:\d+ failed: .*; it may or may not have been applied$/,
    );
    assert.equal(await ctx.client.call<number>("res.partner", "search_count", { domain: [["name", "=", "Once"]] }), before + 1);
  });

  test("a 503 on a write is reported, not retried", async () => {
    ctx.emulator.inject({ match: /res\.partner\/write$/, kind: "status", status: 503 });
    const count = ctx.emulator.requests.length;
    await rejectsWith(ctx.client.call("res.partner", "write", { ids: [1], vals: { name: "x" } }), "ODOO_HTTP", /^res\.partner\/write → HTTP 503/);
    assert.equal(ctx.emulator.requests.length, count + 1);
  });

  test("a proxy's HTML page, truncated JSON and an expired key are clear errors", async () => {
    ctx.emulator.inject({ match: /search_read$/, kind: "html", status: 200 });
    await rejectsWith(
      ctx.client.call("res.partner", "search_read", { domain: [], limit: 1 }),
      "ODOO_HTTP",
      "res.partner/search_read → HTTP 200 with text/html; charset=utf-8 instead of JSON: Maintenance",
    );
    // An answer cut short is asked again (a read changes nothing), until the retry budget is spent.
    ctx.emulator.inject({ match: /search_read$/, kind: "truncated" });
    assert.equal((await ctx.client.call<unknown[]>("res.partner", "search_read", { domain: [], limit: 1 })).length, 1);
    ctx.emulator.inject({ match: /search_read$/, kind: "truncated", times: 4 });
    await rejectsWith(
      ctx.client.call("res.partner", "search_read", { domain: [], limit: 1 }),
      "ODOO_RESPONSE_SHAPE",
      "res.partner/search_read: the answer was not complete JSON (25 bytes received); a proxy or a dropped connection may have cut it",
    );
    ctx.emulator.inject({ match: /search_read$/, kind: "unauthorized" });
    await rejectsWith(ctx.client.call("res.partner", "search_read", { domain: [], limit: 1 }), "ODOO_UNAUTHORIZED", /Invalid apikey: the API key was refused/);
  });

  test("a server that is not there: connection refused, told once", async () => {
    const client = new OdooClient({ url: "http://127.0.0.1:1", apiKey: "k" }, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    await rejectsWith(
      client.call("res.partner", "read", { ids: [1] }),
      "ODOO_TRANSPORT",
      /^web\/version: could not reach http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
    await client.close();
  });
});

describe("version discovery on servers without /web/version (odoo17-facts §0)", () => {
  // A stand-in for Odoo 17's two version routes, exactly as odoo17-facts §0 records them.
  async function serve(versionInfo: boolean): Promise<{ url: string; close: () => void }> {
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      if (req.method === "POST" && req.url === "/web/webclient/version_info" && versionInfo) {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(
          JSON.stringify({
            jsonrpc: "2.0",
            id: null,
            result: { server_version: "17.0-20240709", server_version_info: [17, 0, 0, "final", 0, ""], server_serie: "17.0", protocol_version: 1 },
          }),
        );
      }
      res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
      res.end("<!doctype html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
  }

  test("GET /web/version answers 404: the version comes from POST /web/webclient/version_info", async () => {
    const server = await serve(true);
    const client = new OdooClient({ url: server.url, apiKey: "k", login: "admin" });
    assert.deepEqual(await client.version(), { major: 17, version: "17.0" });
    await client.close();
    server.close();
  });

  test("neither route answers: the error names both", async () => {
    const server = await serve(false);
    const client = new OdooClient({ url: server.url, apiKey: "k" });
    await rejectsWith(
      client.version(),
      "ODOO_HTTP",
      `${server.url} does not look like an Odoo server (check odoo:url): GET /web/version answered HTTP 404 and POST /web/webclient/version_info HTTP 404`,
    );
    await client.close();
    server.close();
  });
});
