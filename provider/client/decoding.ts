import { OUTCOME_UNKNOWN, OdooApiError, OdooError, type OdooErrorCode, OdooResponseShapeError, type OdooRequest } from "./errors";
import { parseShape, schemas } from "./schemas";
import { header, PROXY_STATUS, type TextResponse, tryParse } from "./transport";

// Odoo's answers decoded into errors, for every client: JSON errors, the HTML pages Odoo and proxies
// answer with (odoo19-facts §2), Odoo's names for its exceptions, and HTML as text.

/** The answer says it is JSON. */
export function isJson(response: TextResponse): boolean {
  return header(response, "content-type").includes("json");
}

/** `write`: the request changes something, so an answer cut short leaves its outcome unknown. */
export function incompleteJson(text: string, request: OdooRequest, write: boolean): OdooError {
  return new OdooResponseShapeError(
    `${request.model}/${request.method}: the answer was not complete JSON (${text.length} bytes received); a proxy or a dropped connection may have cut it${write ? OUTCOME_UNKNOWN : ""}`,
    write,
  );
}

/** `write`: the request changes something (a proxy's answer then leaves its outcome unknown). */
export function errorFromResponse(response: TextResponse, request: OdooRequest, write = false): OdooError {
  if (isJson(response)) {
    const body = tryParse(response.text)?.value;
    if (body === undefined) return incompleteJson(response.text, request, write);
    const error = parseShape(schemas().json2ErrorBody, body, `${request.model}/${request.method} (HTTP ${response.status})`);
    return new OdooApiError(codeFor(response.status, error.name), {
      status: response.status,
      odooName: error.name,
      odooMessage: readableMessage(error.name, error.message),
      arguments: error.arguments,
      request,
      debug: error.debug,
    });
  }
  return errorFromHtml(response, request, write);
}

/** Odoo answers a few cases with HTML, and so do proxies in front of it (odoo19-facts §2). */
function errorFromHtml(response: TextResponse, request: OdooRequest, write: boolean): OdooError {
  const text = response.text;
  if (response.status === 404 && text.includes("No database is selected")) {
    return new OdooApiError("ODOO_DATABASE_NOT_SELECTED", {
      status: 404,
      odooName: "werkzeug.exceptions.NotFound",
      odooMessage: "no database was selected: the server holds several databases (or none of that name); set odoo:database (ODOO_DATABASE) to one that exists",
      arguments: [],
      request,
    });
  }
  if (response.status === 415) {
    return new OdooApiError("ODOO_UNSUPPORTED_MEDIA_TYPE", {
      status: 415,
      odooName: "werkzeug.exceptions.UnsupportedMediaType",
      odooMessage: htmlText(text) || "the request's content type was refused",
      arguments: [],
      request,
    });
  }
  const title = /<title>([\s\S]*?)<\/title>/i.exec(text)?.[1]?.trim();
  const detail = title || htmlText(text).slice(0, 160) || "an empty body";
  const unknown = write && PROXY_STATUS.has(response.status);
  return new OdooError(
    "ODOO_HTTP",
    `${request.model}/${request.method} → HTTP ${response.status} with ${header(response, "content-type") || "no content type"} instead of JSON: ${detail}${unknown ? OUTCOME_UNKNOWN : ""}`,
    { outcomeUnknown: unknown, httpStatus: response.status },
  );
}

export function codeFor(status: number, odooName: string): OdooErrorCode {
  const name = odooName.split(".").pop();
  if (status === 401 || name === "AccessDenied") return "ODOO_UNAUTHORIZED";
  if (status === 403 || name === "AccessError") return "ODOO_ACCESS_DENIED";
  if (name === "MissingError") return "ODOO_MISSING";
  if (status === 404) return "ODOO_NOT_FOUND";
  if (status === 400) return "ODOO_BAD_REQUEST";
  if (status === 415) return "ODOO_UNSUPPORTED_MEDIA_TYPE";
  if (name === "ValidationError") return "ODOO_VALIDATION";
  if (name === "UserError" || name === "RedirectWarning") return "ODOO_USER_ERROR";
  if (status === 422) return "ODOO_BAD_ARGUMENTS";
  return "ODOO_SERVER_ERROR";
}

/** Odoo's bare KeyError message is just the key: say what it means. */
export function readableMessage(odooName: string, message: string): string {
  if (odooName === "builtins.KeyError") return `unknown key ${message} (usually a field name that does not exist on the model)`;
  if (odooName === "werkzeug.exceptions.Unauthorized" && message === "Invalid apikey") {
    return "Invalid apikey: the API key was refused (wrong, expired, revoked, or created in another database)";
  }
  return message;
}

export function htmlText(html: string): string {
  return decodeEntities(html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " }[lower] ?? entity;
  });
}
