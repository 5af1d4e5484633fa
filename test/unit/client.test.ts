import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OdooApiError, oneLine } from "../../provider/client/errors";
import { codeFor, decodeEntities, htmlText, readableMessage } from "../../provider/client/decoding";
import { retryDelay } from "../../provider/client/transport";
import { tracesIn } from "../helpers";
import { alertText } from "../../provider/dbmanager/db-manager-client";

describe("error codes (STYLE error model, odoo19-facts §2)", () => {
  const table: [number, string, string][] = [
    [401, "werkzeug.exceptions.Unauthorized", "ODOO_UNAUTHORIZED"],
    [0, "odoo.exceptions.AccessDenied", "ODOO_UNAUTHORIZED"],
    [403, "odoo.exceptions.AccessError", "ODOO_ACCESS_DENIED"],
    [0, "odoo.exceptions.AccessError", "ODOO_ACCESS_DENIED"],
    [404, "werkzeug.exceptions.NotFound", "ODOO_NOT_FOUND"],
    [404, "odoo.exceptions.MissingError", "ODOO_MISSING"],
    [0, "odoo.exceptions.MissingError", "ODOO_MISSING"],
    [400, "werkzeug.exceptions.BadRequest", "ODOO_BAD_REQUEST"],
    [422, "odoo.exceptions.ValidationError", "ODOO_VALIDATION"],
    [422, "odoo.exceptions.UserError", "ODOO_USER_ERROR"],
    [500, "odoo.exceptions.RedirectWarning", "ODOO_USER_ERROR"],
    [422, "werkzeug.exceptions.UnprocessableEntity", "ODOO_BAD_ARGUMENTS"],
    [500, "builtins.KeyError", "ODOO_SERVER_ERROR"],
    [500, "builtins.ValueError", "ODOO_SERVER_ERROR"],
  ];
  for (const [status, name, code] of table) {
    test(`${status} ${name} → ${code}`, () => assert.equal(codeFor(status, name), code));
  }

  test("the message is one line naming model and method; the traceback stays out of it", () => {
    const error = new OdooApiError("ODOO_ACCESS_DENIED", {
      status: 403,
      odooName: "odoo.exceptions.AccessError",
      odooMessage: "You are not allowed to create 'Models' (ir.model) records.\n\nThis operation is allowed for the following groups:\n\t- Access Rights",
      arguments: [],
      request: { model: "ir.model", method: "create" },
      debug: "Traceback (most recent call last): …",
    });
    assert.equal(
      error.message,
      "ir.model/create → 403 AccessError: You are not allowed to create 'Models' (ir.model) records. This operation is allowed for the following groups: - Access Rights",
    );
    assert.equal(error.debug, "Traceback (most recent call last): …");
    assert.equal(JSON.stringify(error).includes("Traceback"), false);
  });

  test("oneLine folds Odoo's line breaks and tabs", () => {
    assert.equal(oneLine("a\n\n\tb  c\n"), "a b c");
  });

  test("KeyError and Invalid apikey get an explanation", () => {
    assert.equal(readableMessage("builtins.KeyError", "'x_nope'"), "unknown key 'x_nope' (usually a field name that does not exist on the model)");
    assert.equal(
      readableMessage("werkzeug.exceptions.Unauthorized", "Invalid apikey"),
      "Invalid apikey: the API key was refused (wrong, expired, revoked, or created in another database)",
    );
    assert.equal(readableMessage("odoo.exceptions.UserError", "as is"), "as is");
  });
});

describe("HTML", () => {
  test("alertText takes the alert-danger's text, unescaped, on one line", () => {
    const page = `<html><body><div class="alert alert-warning">ignore</div>\n<div class="alert alert-danger">Database creation error: database &#39;pulumi&#39; already exists! &#34;x&#34; &amp; <b>y</b>\n</div></body></html>`;
    assert.equal(alertText(page), `Database creation error: database 'pulumi' already exists! "x" & y`);
    assert.equal(alertText("<html><body>fine</body></html>"), undefined);
  });

  test("entities and tags", () => {
    assert.equal(decodeEntities("&lt;a&gt; &#x27;b&#39; &nbsp;&quot;"), `<a> 'b'  "`);
    assert.equal(htmlText("<p>one<script>x()</script></p>\n<p>two</p>"), "one two");
  });
});

describe("retry delays", () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 5000 };
  test("Retry-After in seconds and as a date are honoured, capped", () => {
    assert.equal(retryDelay(policy, 1, "2"), 2000);
    assert.equal(retryDelay(policy, 1, "60"), 5000);
    const inOneSecond = new Date(Date.now() + 1500).toUTCString();
    const delay = retryDelay(policy, 1, inOneSecond);
    assert.ok(delay > 0 && delay <= 1500, String(delay));
  });
  test("without Retry-After: exponential with jitter, capped", () => {
    for (const [attempt, low, high] of [
      [1, 100, 200],
      [2, 200, 300],
      [3, 400, 500],
      [10, 5000, 5000],
    ] as const) {
      const delay = retryDelay(policy, attempt, undefined);
      assert.ok(delay >= low && delay <= high, `attempt ${attempt}: ${delay}`);
    }
  });
});

test("tracesIn finds the lines of a JavaScript stack or a Python traceback, and nothing in sentences", () => {
  const output = [
    "error: ir.model/create → 422 ValidationError: The model name must start with 'x_'.",
    "    at OdooClient.call (/app/bin/provider/client/odoo-client.js:120:15)",
    "    at async Promise.all (index 0)",
    "Traceback (most recent call last):",
    "  warning: waiting at most 60 s for the module installs at 12:00",
  ].join("\n");
  assert.deepEqual(tracesIn(output), ["    at OdooClient.call (/app/bin/provider/client/odoo-client.js:120:15)", "Traceback (most recent call last):"]);
});
