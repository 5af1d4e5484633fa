import { OdooApiError, OdooError } from "./errors";
import { codeFor, errorFromResponse, incompleteJson, readableMessage } from "./decoding";
import { type CallOptions, READ_ONLY_METHODS } from "./methods";
import { parseShape, schemas } from "./schemas";
import { isHtmlPage, type Transport } from "./transport";

// The deprecated /jsonrpc endpoint (odoo19-facts §7), used for Odoo 14 to 18, which have no JSON-2.
// It takes positional arguments: record ids go first, everything else travels as keyword arguments,
// which execute_kw binds by name exactly as JSON-2 does.

export interface JsonRpcSettings {
  url: string;
  database?: string;
  login?: string;
  apiKey: string;
  timeoutMs: number;
}

export class JsonRpcClient {
  private uid: Promise<number> | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly settings: JsonRpcSettings,
  ) {}

  async call(model: string, method: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const { ids, ...kwargs } = args;
    const positional: unknown[] = ids === undefined ? [] : [ids];
    // Values go positionally: Odoo 17's create answers IndexError for a vals_list keyword
    // (odoo17-facts §1), and models that override write name its argument otherwise
    // (ir.model.access: `values`), so a `vals` keyword is refused there.
    for (const [name, expected] of [
      ["vals_list", "create"],
      ["vals", "write"],
    ] as const) {
      if (method === expected && name in kwargs) {
        positional.push(kwargs[name]);
        delete kwargs[name];
      }
    }
    const database = await this.database();
    const uid = await (this.uid ??= this.authenticate(database).catch((error) => {
      this.uid = undefined;
      throw error;
    }));
    const result = await this.rpc(
      "object",
      "execute_kw",
      [database, uid, this.settings.apiKey, model, method, positional, kwargs],
      { model, method },
      READ_ONLY_METHODS.has(method),
      options,
    );
    // execute_kw returns a bare id for create with a single dict; JSON-2 always returns a list.
    return method === "create" && typeof result === "number" ? [result] : result;
  }

  async rpc(
    service: string,
    method: string,
    args: unknown[],
    request: { model: string; method: string },
    retry: boolean,
    options: CallOptions = {},
  ): Promise<unknown> {
    const response = await this.transport.text({
      method: "POST",
      url: `${this.settings.url}/jsonrpc`,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service, method, args }, id: 1 }),
      timeoutMs: options.timeoutMs ?? this.settings.timeoutMs,
      retry,
      // Everything here is JSON (errors too, inside a 200), whatever the content type: a 200 that is
      // not is an HTML page (a proxy's), or an answer cut short, which alone is worth asking again.
      json: "unless-html",
      label: `${request.model}/${request.method}`,
      onRetry: options.onRetry,
    });
    if (response.status !== 200) throw errorFromResponse(response, request, !retry);
    if (!response.json) {
      if (isHtmlPage(response.text)) throw errorFromResponse({ ...response, headers: { "content-type": "text/html" } }, request, !retry);
      throw incompleteJson(response.text, request, !retry);
    }
    const body = parseShape(schemas().jsonRpcResponse, response.json.value, `${request.model}/${request.method}`);
    if (body.error) {
      // Errors come back inside HTTP 200: the exception class is in error.data.name.
      const data = body.error.data;
      const name = data?.name ?? "odoo.exceptions.UserError";
      throw new OdooApiError(codeFor(0, name), {
        status: 0,
        odooName: name,
        odooMessage: readableMessage(name, data?.message ?? body.error.message),
        arguments: data?.arguments ?? [],
        request,
        debug: data?.debug,
      });
    }
    return body.result;
  }

  private async database(): Promise<string> {
    if (this.settings.database) return this.settings.database;
    const list = await this.rpc("db", "list", [], { model: "db", method: "list" }, true);
    if (Array.isArray(list) && list.length === 1 && typeof list[0] === "string") return list[0];
    throw new OdooError("ODOO_CONFIG", "this Odoo server has several databases (or lists none): set odoo:database (ODOO_DATABASE)");
  }

  private async authenticate(database: string): Promise<number> {
    if (!this.settings.login) {
      throw new OdooError(
        "ODOO_CONFIG",
        "this Odoo server is older than 19 and has no JSON-2 API: set odoo:login (ODOO_LOGIN) to the user the API key belongs to",
      );
    }
    const uid = await this.rpc(
      "common",
      "authenticate",
      [database, this.settings.login, this.settings.apiKey, {}],
      { model: "common", method: "authenticate" },
      true,
    );
    if (typeof uid !== "number" || uid <= 0) {
      throw new OdooError("ODOO_UNAUTHORIZED", `common/authenticate: login '${this.settings.login}' and the API key were refused by database '${database}'`);
    }
    return uid;
  }
}
