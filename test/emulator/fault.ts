// How the emulator answers errors: the JSON-2 error body of odoo19-facts §2, with a traceback in
// `debug` as the real server always sends one (so tests can prove it never reaches a message).

export class OdooFault extends Error {
  constructor(
    readonly status: number,
    readonly odooName: string,
    message: string,
    readonly args: unknown[] = [message],
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      name: this.odooName,
      message: this.message,
      arguments: this.args,
      context: {},
      debug: `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2570, in __call__\n    response = request._serve_db()\n${this.odooName}: ${this.message}\n`,
    };
  }
}

export const validation = (message: string) => new OdooFault(422, "odoo.exceptions.ValidationError", message);
export const userError = (message: string) => new OdooFault(422, "odoo.exceptions.UserError", message);
export const valueError = (message: string) => new OdooFault(500, "builtins.ValueError", message);
// Python's str(KeyError('x')) is the quoted key, and that is all the message says (facts §2).
export const keyError = (key: string) => new OdooFault(500, "builtins.KeyError", `'${key}'`, [key]);
export const missing = (model: string, ids: number[]) =>
  new OdooFault(404, "odoo.exceptions.MissingError", `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(", ")},), User: 2)`);
export const notFound = (message: string) => new OdooFault(404, "werkzeug.exceptions.NotFound", message, [message, 404]);
export const unprocessable = (message: string) => new OdooFault(422, "werkzeug.exceptions.UnprocessableEntity", message, [message, 422]);
export const accessError = (message: string) => new OdooFault(403, "odoo.exceptions.AccessError", message);
