import { errorFromResponse, incompleteJson, isJson } from "./decoding";
import { type CallOptions, READ_ONLY_METHODS } from "./methods";
import type { Transport } from "./transport";

// JSON-2: POST /json/2/<model>/<method>, named arguments, bare results (odoo19-facts §1, §2).

export interface Json2Settings {
  url: string;
  database?: string;
  apiKey: string;
  timeoutMs: number;
}

export class Json2Client {
  constructor(
    private readonly transport: Transport,
    private readonly settings: Json2Settings,
  ) {}

  async call(model: string, method: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const request = { model, method };
    const headers: Record<string, string> = {
      authorization: `bearer ${this.settings.apiKey}`,
      "content-type": "application/json",
      accept: "application/json",
    };
    if (this.settings.database) headers["x-odoo-database"] = this.settings.database;
    const readOnly = READ_ONLY_METHODS.has(method);
    const response = await this.transport.text({
      method: "POST",
      url: `${this.settings.url}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      headers,
      body: JSON.stringify(args),
      timeoutMs: options.timeoutMs ?? this.settings.timeoutMs,
      retry: readOnly,
      json: "typed",
      label: `${model}/${method}`,
      onRetry: options.onRetry,
    });
    if (response.status === 200 && isJson(response)) {
      if (response.json) return response.json.value;
      throw incompleteJson(response.text, request, !readOnly);
    }
    throw errorFromResponse(response, request, !readOnly);
  }
}
