import { OdooError, oneLine } from "./errors";
import { header, Transport } from "./transport";

// A fresh database has no API key, and JSON-2 takes nothing else. Odoo makes keys only in a web
// session, behind a password re-check (res_users.py, check_identity): the session signs in with the
// admin's password, asks res.users.apikeys.description for a key, and answers the identity check
// that make_key returns with the same password. The same steps work on Odoo 17 and 19 (on 17 the
// check reads the password from the wizard, on 19 from the context: both are given).

export interface MakeApiKeyRequest {
  url: string;
  database: string;
  login: string;
  password: string;
  /** Shown in the user's Preferences → Security → API Keys. */
  description: string;
  timeoutMs?: number;
}

/** Makes a persistent API key for `login` in `database`, signing in with its password. */
export async function makeApiKey(request: MakeApiKeyRequest): Promise<string> {
  const transport = new Transport({ retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
  const url = request.url.replace(/\/+$/, "");
  let cookie = "";
  const rpc = async (path: string, params: Record<string, unknown>, label: string): Promise<any> => {
    const response = await transport.text({
      method: "POST",
      url: `${url}${path}`,
      headers: { "content-type": "application/json", accept: "application/json", ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", params, id: 1 }),
      timeoutMs: request.timeoutMs ?? 60_000,
      label,
    });
    const session = /session_id=[^;]+/.exec(([] as string[]).concat(response.headers["set-cookie"] ?? []).join("; "))?.[0];
    if (session) cookie = session;
    const body = response.status === 200 && header(response, "content-type").includes("json") ? JSON.parse(response.text) : undefined;
    if (!body)
      throw new OdooError("ODOO_HTTP", `making an API key for '${request.login}' in database '${request.database}': ${label} answered HTTP ${response.status}`);
    if (body.error) {
      const message = oneLine(String(body.error.data?.message ?? body.error.message));
      throw new OdooError("ODOO_UNAUTHORIZED", `making an API key for '${request.login}' in database '${request.database}': ${label} → ${message}`);
    }
    return body.result;
  };
  const call = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    rpc("/web/dataset/call_kw", { model, method, args, kwargs }, `${model}/${method}`);
  try {
    await rpc("/web/session/authenticate", { db: request.database, login: request.login, password: request.password }, "web/session/authenticate");
    // "0" is a persistent key on 19 (an administrator may make one); 17 has no duration.
    const fields = await call("res.users.apikeys.description", "fields_get", [], { attributes: ["type"] });
    const description = await call("res.users.apikeys.description", "create", [
      { name: request.description, ...("duration" in fields ? { duration: "0" } : {}) },
    ]);
    let action = await call("res.users.apikeys.description", "make_key", [[description]]);
    if (action?.res_model === "res.users.identitycheck") {
      const check = action.res_id;
      await call("res.users.identitycheck", "write", [[check], { password: request.password }]);
      action = await call("res.users.identitycheck", "run_check", [[check]], { context: { password: request.password } });
    }
    const key = action?.context?.default_key;
    if (typeof key !== "string" || !key)
      throw new OdooError("ODOO_RESPONSE_SHAPE", `making an API key for '${request.login}' in database '${request.database}': Odoo did not answer a key`);
    return key;
  } finally {
    await transport.close();
  }
}
