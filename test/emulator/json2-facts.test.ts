import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { request } from "undici";
import { OdooClient } from "../../provider/client/odoo-client";
import { rejectsWith, useEmulator } from "../helpers";

// odoo19-facts §1 and §2, row by row: what the emulator answers and what our client makes of it.

describe("JSON-2 protocol (facts §1)", () => {
  const ctx = useEmulator();

  test("exactly one database: no X-Odoo-Database needed; /web/version needs none either", async () => {
    const client = new OdooClient({ url: ctx.url, apiKey: ctx.emulator.apiKey() });
    assert.deepEqual(await client.version(), { major: 19, version: "19.0" });
    assert.equal(await client.call("res.partner", "search_count", { domain: [["id", "=", 1]] }), 1);
    await client.close();
    const post = await request(`${ctx.url}/web/version`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(post.statusCode, 400);
    assert.match(await post.body.text(), /Session expired \(invalid CSRF token\)/);
  });

  test("create takes vals_list and answers a list of ids, also for a single dict", async () => {
    const ids = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "JSON2 A" }, { name: "JSON2 B" }] });
    assert.equal(ids.length, 2);
    const single = await ctx.client.call<number[]>("res.partner", "create", { vals_list: { name: "JSON2 C" } });
    assert.equal(single.length, 1);
    assert.equal(single[0], ids[1] + 1);
  });

  test("read gives many2one as [id, name], or a bare id with load: null; unset values are false", async () => {
    const [id] = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "Reader", company_id: 1 }] });
    assert.deepEqual(await ctx.client.call("res.partner", "read", { ids: [id], fields: ["company_id", "email", "date"] }), [
      { id, company_id: [1, "My Company"], email: false, date: false },
    ]);
    assert.deepEqual(await ctx.client.call("res.partner", "read", { ids: [id], fields: ["company_id"], load: null }), [{ id, company_id: 1 }]);
  });

  test("read and search_read of deleted ids answer [] and no error", async () => {
    const [id] = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "Gone" }] });
    assert.equal(await ctx.client.call("res.partner", "unlink", { ids: [id] }), true);
    assert.deepEqual(await ctx.client.call("res.partner", "read", { ids: [id], fields: ["name"] }), []);
    assert.deepEqual(await ctx.client.call("res.partner", "search_read", { domain: [["id", "=", id]], fields: ["name"] }), []);
  });

  test("write and unlink of deleted ids: 404 MissingError", async () => {
    await rejectsWith(
      ctx.client.call("res.partner", "write", { ids: [999999], vals: { name: "x" } }),
      "ODOO_MISSING",
      "res.partner/write → 404 MissingError: Record does not exist or has been deleted. (Record: res.partner(999999,), User: 2)",
    );
    await rejectsWith(ctx.client.call("res.partner", "unlink", { ids: [999999] }), "ODOO_MISSING", /^res\.partner\/unlink → 404 MissingError/);
  });

  test("write without ids does nothing and answers true", async () => {
    assert.equal(await ctx.client.call("res.partner", "write", { vals: { name: "nobody" } }), true);
  });

  test("search, search_count (domain required), order, offset and limit", async () => {
    await ctx.client.call("res.partner.category", "create", { vals_list: [{ name: "T1" }, { name: "T2" }, { name: "T3" }] });
    const ids = await ctx.client.call<number[]>("res.partner.category", "search", { domain: [["name", "=like", "T_"]], order: "id desc", limit: 2, offset: 1 });
    assert.equal(ids.length, 2);
    assert.ok(ids[0] > ids[1]);
    assert.equal(await ctx.client.call("res.partner.category", "search_count", { domain: [["name", "in", ["T1", "T3"]]] }), 2);
    await rejectsWith(
      ctx.client.call("res.partner", "search_count", {}),
      "ODOO_BAD_ARGUMENTS",
      "res.partner/search_count → 422 UnprocessableEntity: missing a required argument: 'domain'",
    );
  });

  test("dates and datetimes in Odoo's formats; other formats are a 500 ValueError", async () => {
    await rejectsWith(
      ctx.client.call("res.partner", "create", { vals_list: [{ name: "D", date: "31/01/2026" }] }),
      "ODOO_SERVER_ERROR",
      "res.partner/create → 500 ValueError: time data '31/01/2026' does not match format '%Y-%m-%d'",
    );
  });

  test("html is sanitized and get_external_id maps ids to xml ids", async () => {
    const [id] = await ctx.client.call<number[]>("res.partner", "create", { vals_list: [{ name: "H", comment: "<p>hi<script>x</script></p>" }] });
    assert.deepEqual(await ctx.client.call("res.partner", "read", { ids: [id], fields: ["comment"] }), [{ id, comment: "<p>hi</p>" }]);
    assert.deepEqual(await ctx.client.call("res.partner", "get_external_id", { ids: [1, id] }), { "1": "base.main_partner", [String(id)]: "" });
  });

  test("check_object_reference resolves an external id", async () => {
    assert.deepEqual(await ctx.client.call("ir.model.data", "check_object_reference", { module: "base", xml_id: "group_user" }), ["res.groups", 1]);
  });
});

describe("JSON-2 errors (facts §2)", () => {
  const ctx = useEmulator({ databases: ["odoo", "other"] });
  const raw = (path: string, init: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {}) =>
    request(`${ctx.url}${path}`, { method: init.method ?? "POST", headers: init.headers, body: init.body });

  const cases: [string, string, string, Record<string, unknown>, string, string][] = [
    ["unknown model", "x_nope.model", "search", {}, "ODOO_NOT_FOUND", "x_nope.model/search → 404 NotFound: the model 'x_nope.model' does not exist"],
    [
      "unknown method",
      "res.partner",
      "frobnicate",
      {},
      "ODOO_NOT_FOUND",
      "res.partner/frobnicate → 404 NotFound: The method 'res.partner.frobnicate' does not exist",
    ],
    [
      "private method",
      "res.partner",
      "_read_group",
      {},
      "ODOO_ACCESS_DENIED",
      "res.partner/_read_group → 403 AccessError: Private methods (such as 'res.partner._read_group') cannot be called remotely.",
    ],
    [
      "exists is private in 19",
      "res.partner",
      "exists",
      { ids: [1] },
      "ODOO_ACCESS_DENIED",
      "res.partner/exists → 403 AccessError: Private methods (such as 'res.partner.exists') cannot be called remotely.",
    ],
    [
      "wrong argument name",
      "res.partner",
      "create",
      { vals: {} },
      "ODOO_BAD_ARGUMENTS",
      "res.partner/create → 422 UnprocessableEntity: missing a required argument: 'vals_list'",
    ],
    [
      "write with values",
      "res.partner",
      "write",
      { ids: [1], values: {} },
      "ODOO_BAD_ARGUMENTS",
      "res.partner/write → 422 UnprocessableEntity: missing a required argument: 'vals'",
    ],
    [
      "extra argument",
      "res.partner",
      "search",
      { bogus: 1 },
      "ODOO_BAD_ARGUMENTS",
      "res.partner/search → 422 UnprocessableEntity: got an unexpected keyword argument 'bogus'",
    ],
    [
      "ids on an @api.model method",
      "res.partner",
      "create",
      { ids: [1], vals_list: [] },
      "ODOO_BAD_ARGUMENTS",
      "res.partner/create → 422 UnprocessableEntity: cannot call res.partner.create with ids",
    ],
    [
      "recursive parent",
      "res.partner",
      "write",
      { ids: [1], vals: { parent_id: 1 } },
      "ODOO_VALIDATION",
      "res.partner/write → 422 ValidationError: You cannot create recursive Contact hierarchies.",
    ],
    [
      "NOT NULL",
      "res.partner",
      "create",
      { vals_list: [{ email: "a@b.c" }] },
      "ODOO_VALIDATION",
      "res.partner/create → 422 ValidationError: The operation cannot be completed: Contacts require a name",
    ],
    [
      "unknown field in write",
      "res.partner",
      "write",
      { ids: [1], vals: { x_does_not_exist: 1 } },
      "ODOO_SERVER_ERROR",
      "res.partner/write → 500 KeyError: unknown key 'x_does_not_exist' (usually a field name that does not exist on the model)",
    ],
    [
      "unknown field in read",
      "res.partner",
      "read",
      { ids: [1], fields: ["nope_field"] },
      "ODOO_SERVER_ERROR",
      "res.partner/read → 500 ValueError: Invalid field 'nope_field' on 'res.partner'",
    ],
    [
      "unknown field in a domain",
      "res.partner",
      "search",
      { domain: [["nofield", "=", 1]] },
      "ODOO_SERVER_ERROR",
      "res.partner/search → 500 ValueError: Invalid field res.partner.nofield in condition ('nofield', '=', 1)",
    ],
    [
      "malformed domain leaf",
      "res.partner",
      "search",
      { domain: [["name", "like"]] },
      "ODOO_SERVER_ERROR",
      "res.partner/search → 500 ValueError: Domain() invalid item in domain: ['name', 'like']",
    ],
    [
      "domain on a non-stored field",
      "ir.model.data",
      "search",
      { domain: [["complete_name", "=", "base.x"]] },
      "ODOO_SERVER_ERROR",
      "ir.model.data/search → 500 ValueError: Cannot convert ir.model.data.complete_name to SQL because it is not stored",
    ],
    [
      "FK violation (misleading wording, as Odoo's)",
      "res.partner",
      "write",
      { ids: [3], vals: { parent_id: 999999 } },
      "ODOO_VALIDATION",
      "res.partner/write → 422 ValidationError: The operation cannot be completed: Another model is using the record you are trying to delete. The troublemaker is: 'Contact' (res.partner) Thanks to the following constraint: 'Related Company' (parent_id) How about archiving the record instead?",
    ],
    [
      "unique constraint (duplicate login)",
      "res.users",
      "create",
      { vals_list: [{ name: "Admin 2", login: "admin", partner_id: 3 }] },
      "ODOO_VALIDATION",
      "res.users/create → 422 ValidationError: The operation cannot be completed: You can not have two users with the same login!",
    ],
    [
      "UserError (unlink the admin user)",
      "res.users",
      "unlink",
      { ids: [2] },
      "ODOO_USER_ERROR",
      "res.users/unlink → 422 UserError: You cannot delete the admin user because it is utilized in various places (such as security configurations,...). Instead, archive it.",
    ],
    [
      "RedirectWarning (unlink a partner linked to a user) is a 500",
      "res.partner",
      "unlink",
      { ids: [3] },
      "ODOO_USER_ERROR",
      "res.partner/unlink → 500 RedirectWarning: You cannot delete contacts linked to an active user. You should rather archive them after archiving the related user.",
    ],
    [
      "body is a JSON array",
      "res.partner",
      "search_count",
      [] as unknown as Record<string, unknown>,
      "ODOO_BAD_ARGUMENTS",
      "res.partner/search_count → 422 UnprocessableEntity: missing a required argument: 'domain'",
    ],
    [
      "bad selection value",
      "res.partner",
      "write",
      { ids: [1], vals: { type: "bogus" } },
      "ODOO_SERVER_ERROR",
      "res.partner/write → 500 ValueError: Wrong value for res.partner.type: 'bogus'",
    ],
    [
      "string into an integer",
      "res.partner",
      "write",
      { ids: [1], vals: { color: "abc" } },
      "ODOO_SERVER_ERROR",
      "res.partner/write → 500 ValueError: invalid literal for int() with base 10: 'abc'",
    ],
  ];
  for (const [name, model, method, args, code, message] of cases) {
    test(name, async () => {
      const error = await rejectsWith(ctx.client.call(model, method, args), code, message);
      // The traceback is kept for debugging but never shown.
      assert.match(String((error as { debug?: string }).debug), /^Traceback/);
      assert.doesNotMatch(error.message, /Traceback/);
    });
  }

  test("an invalid or foreign API key is a 401 that says so, without the key", async () => {
    const client = new OdooClient({ url: ctx.url, apiKey: ctx.emulator.apiKey("other"), database: "odoo" });
    const error = await rejectsWith(
      client.call("res.partner", "search", { domain: [] }),
      "ODOO_UNAUTHORIZED",
      "res.partner/search → 401 Unauthorized: Invalid apikey: the API key was refused (wrong, expired, revoked, or created in another database)",
    );
    assert.ok(!error.message.includes(ctx.emulator.apiKey("other")));
    await client.close();
  });

  test("ACL denied for a plain user: creating a model, reading fields, writing users", async () => {
    const user = new OdooClient({ url: ctx.url, apiKey: ctx.emulator.userApiKey("odoo"), database: "odoo" });
    await rejectsWith(
      user.call("ir.model", "create", { vals_list: [{ name: "X", model: "x_user" }] }),
      "ODOO_ACCESS_DENIED",
      "ir.model/create → 403 AccessError: You are not allowed to create 'Models' (ir.model) records. This operation is allowed for the following groups: - Access Rights Contact your administrator to request access if necessary.",
    );
    await rejectsWith(
      user.call("ir.model.fields", "read", { ids: [1], fields: ["name"] }),
      "ODOO_ACCESS_DENIED",
      /^ir\.model\.fields\/read → 403 AccessError: You are not allowed to access 'Fields' \(ir\.model\.fields\) records\./,
    );
    await rejectsWith(
      user.call("res.users", "write", { ids: [2], vals: { name: "x" } }),
      "ODOO_ACCESS_DENIED",
      /^res\.users\/write → 403 AccessError: You are not allowed to modify 'User' \(res\.users\) records\./,
    );
    assert.equal((await user.call<unknown[]>("res.partner", "search", { domain: [], limit: 1 })).length, 1);
    await user.close();
  });

  test("no Authorization header or a Basic one: 401 asking for a bearer key", async () => {
    const variants: Record<string, string>[] = [
      { "content-type": "application/json", "x-odoo-database": "odoo" },
      { "content-type": "application/json", "x-odoo-database": "odoo", authorization: "Basic YTpi" },
    ];
    for (const headers of variants) {
      const response = await raw("/json/2/res.partner/search", { headers, body: "{}" });
      assert.equal(response.statusCode, 401);
      assert.equal(response.headers["www-authenticate"], "Bearer ");
      assert.equal(((await response.body.json()) as { message: string }).message, "User not authenticated, use an API Key with a Bearer Authorization header.");
    }
  });

  test("several databases and no X-Odoo-Database: the 404 HTML page becomes ODOO_DATABASE_NOT_SELECTED", async () => {
    const client = new OdooClient({ url: ctx.url, apiKey: ctx.emulator.apiKey("odoo") });
    await rejectsWith(
      client.call("res.partner", "search", { domain: [] }),
      "ODOO_DATABASE_NOT_SELECTED",
      "res.partner/search → 404 NotFound: no database was selected: the server holds several databases (or none of that name); set odoo:database (ODOO_DATABASE) to one that exists",
    );
    await client.close();
  });

  test("GET, /json/2 alone and a missing method: 404 'Did you mean POST …'", async () => {
    for (const [method, path] of [
      ["GET", "/json/2/res.partner/search"],
      ["POST", "/json/2"],
      ["POST", "/json/2/res.partner"],
    ] as const) {
      const response = await raw(path, { method, headers: { "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined });
      assert.equal(response.statusCode, 404);
      assert.equal(((await response.body.json()) as { message: string }).message, "Did you mean POST /json/2/<model>/<method>?");
    }
  });

  test("invalid JSON: 400; text/plain: 415 HTML", async () => {
    const auth = { authorization: `bearer ${ctx.emulator.apiKey("odoo")}`, "x-odoo-database": "odoo" };
    const bad = await raw("/json/2/res.partner/search", { headers: { ...auth, "content-type": "application/json" }, body: "{'a'" });
    assert.equal(bad.statusCode, 400);
    assert.equal(((await bad.body.json()) as { name: string }).name, "werkzeug.exceptions.BadRequest");
    const text = await raw("/json/2/res.partner/search", { headers: { ...auth, "content-type": "text/plain" }, body: "{}" });
    assert.equal(text.statusCode, 415);
    assert.match(text.headers["content-type"] as string, /text\/html/);
    await text.body.dump();
  });

  test("each database's own key works with its X-Odoo-Database", async () => {
    const other = new OdooClient({ url: ctx.url, apiKey: ctx.emulator.apiKey("other"), database: "other" });
    assert.equal(await other.call("res.partner", "search_count", { domain: [["id", "=", 1]] }), 1);
    await other.close();
  });
});
