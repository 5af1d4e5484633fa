import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { OdooFault } from "./fault";
import { newApiKey } from "./seed";
import { type EmulatedDatabase, header, json, type OdooEmulator } from "./server";

// The web client's session routes, as far as making an API key goes (res_users.py of 17 and 19):
// /web/session/authenticate signs in with a password and sets session_id; /web/dataset/call_kw
// runs res.users.apikeys.description's make_key, which first answers an identity-check wizard;
// its run_check takes the password from the wizard (17) or from the context (19).

interface Session {
  database: EmulatedDatabase;
  identityChecked: boolean;
  descriptions: Map<number, string>;
  checks: Map<number, { description: number; password?: string }>;
  nextId: number;
}

const sessions = new WeakMap<OdooEmulator, Map<string, Session>>();

export async function handleSession(emulator: OdooEmulator, req: IncomingMessage, body: Buffer, res: ServerResponse, path: string): Promise<void> {
  const request = JSON.parse(body.toString("utf8") || "{}");
  const params = request.params ?? {};
  let store = sessions.get(emulator);
  if (!store) sessions.set(emulator, (store = new Map()));
  const answer = (result: unknown, headers: Record<string, string> = {}) => json(res, 200, { jsonrpc: "2.0", id: request.id ?? null, result }, headers);
  const fail = (fault: OdooFault) =>
    json(res, 200, { jsonrpc: "2.0", id: request.id ?? null, error: { code: 200, message: "Odoo Server Error", data: fault.body() } });
  if (path === "/web/session/authenticate") {
    const database = emulator.databases.get(params.db);
    if (!database || params.login !== (database.adminLogin ?? "admin") || params.password !== database.adminPassword) {
      return json(res, 200, {
        jsonrpc: "2.0",
        id: request.id ?? null,
        error: { code: 0, message: "Odoo Server Error", data: new OdooFault(200, "odoo.exceptions.AccessDenied", "Access Denied").body() },
      });
    }
    const id = randomUUID();
    store.set(id, { database, identityChecked: false, descriptions: new Map(), checks: new Map(), nextId: 1 });
    return answer({ uid: 2, is_system: true, is_admin: true, db: params.db }, { "set-cookie": `session_id=${id}; Path=/; HttpOnly` });
  }
  const session = store.get(/session_id=([^;]+)/.exec(header(req, "cookie") ?? "")?.[1] ?? "");
  if (!session) return fail(new OdooFault(200, "odoo.http.SessionExpiredException", "Session expired"));
  const { model, method, args = [], kwargs = {} } = params;
  const key = `${model}/${method}`;
  const v19 = emulator.version >= 19;
  switch (key) {
    case "res.users.apikeys.description/fields_get":
      return answer(v19 ? { name: { type: "char" }, duration: { type: "selection" } } : { name: { type: "char" } });
    case "res.users.apikeys.description/create": {
      const id = session.nextId++;
      session.descriptions.set(id, String(args[0]?.name ?? ""));
      return answer(id);
    }
    case "res.users.apikeys.description/make_key": {
      const description = args[0]?.[0];
      if (!session.identityChecked) {
        const check = session.nextId++;
        session.checks.set(check, { description });
        return answer({ type: "ir.actions.act_window", res_model: "res.users.identitycheck", res_id: check, target: "new", views: [[false, "form"]] });
      }
      return answer(makeKey(session));
    }
    case "res.users.identitycheck/write":
      session.checks.get(args[0]?.[0])!.password = args[1]?.password;
      return answer(true);
    case "res.users.identitycheck/run_check": {
      const check = session.checks.get(args[0]?.[0]);
      const password = v19 ? kwargs.context?.password : check?.password;
      if (!check || password !== session.database.adminPassword)
        return fail(new OdooFault(200, "odoo.exceptions.UserError", "Incorrect Password, try again or click on Forgot Password to reset your password."));
      session.identityChecked = true;
      return answer(makeKey(session));
    }
  }
  return fail(new OdooFault(200, "builtins.NotImplementedError", `the emulator's session routes do not know ${key}`));
}

function makeKey(session: Session): unknown {
  const key = newApiKey();
  session.database.apiKeys.add(key);
  return { type: "ir.actions.act_window", res_model: "res.users.apikeys.show", target: "new", context: { default_key: key } };
}
