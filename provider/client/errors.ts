// One error family for every client (JSON-2, JSON-RPC, database manager, upgrade platform).
// Callers branch on `code`, never on `instanceof`: the provider is serialized and rehydrated in
// another process, where classes may come from another copy of this package.

export type OdooErrorCode =
  | "ODOO_UNAUTHORIZED"
  | "ODOO_ACCESS_DENIED"
  | "ODOO_NOT_FOUND"
  | "ODOO_MISSING"
  | "ODOO_DATABASE_NOT_SELECTED"
  | "ODOO_UNSUPPORTED_MEDIA_TYPE"
  | "ODOO_BAD_REQUEST"
  | "ODOO_VALIDATION"
  | "ODOO_USER_ERROR"
  | "ODOO_BAD_ARGUMENTS"
  | "ODOO_SERVER_ERROR"
  | "ODOO_HTTP"
  | "ODOO_TRANSPORT"
  | "ODOO_TIMEOUT"
  | "ODOO_RESPONSE_SHAPE"
  | "ODOO_DBMANAGER"
  | "ODOO_UPGRADE"
  | "ODOO_CONFIG";

export class OdooError extends Error {
  override name = "OdooError";
  /** A write that failed after it left: Odoo may or may not have applied it (see mayHaveApplied). */
  readonly outcomeUnknown: boolean;
  /** The HTTP status of an answer that was not Odoo's own (a proxy's page), when there was one. */
  readonly httpStatus?: number;
  constructor(
    readonly code: OdooErrorCode,
    message: string,
    options?: { cause?: unknown; outcomeUnknown?: boolean; httpStatus?: number },
  ) {
    super(message, options);
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
    this.httpStatus = options?.httpStatus;
  }
}

/** The words every error about a write of unknown outcome ends with. */
export const OUTCOME_UNKNOWN = "; it may or may not have been applied";

/**
 * True when a write failed in a way that leaves its outcome unknown: the connection broke after the
 * request left, no answer came in time, a proxy answered 502/503/504 or an HTML page, or the answer
 * was cut short. Odoo's own errors are not such: its transaction was rolled back.
 */
export function mayHaveApplied(error: unknown): boolean {
  return (error as { outcomeUnknown?: unknown } | null)?.outcomeUnknown === true;
}

/** True when Odoo may still be at work on it: no answer came in time, or a proxy gave up waiting (504). */
export function mayStillRun(error: unknown): boolean {
  return isOdooError(error, "ODOO_TIMEOUT") || (error as { httpStatus?: unknown }).httpStatus === 504;
}

export interface OdooRequest {
  model: string;
  method: string;
}

export interface OdooApiErrorDetails {
  status: number;
  odooName: string;
  odooMessage: string;
  arguments: unknown[];
  request: OdooRequest;
  debug?: string;
}

/** An error answered by Odoo itself (JSON-2 error body, JSON-RPC `error`, or one of its HTML pages). */
export class OdooApiError extends OdooError {
  override name = "OdooApiError";
  readonly status: number;
  readonly odooName: string;
  readonly odooMessage: string;
  readonly arguments: unknown[];
  readonly request: OdooRequest;
  /** The server's traceback: kept for debugging, never part of the message. */
  readonly debug?: string;

  constructor(code: OdooErrorCode, details: OdooApiErrorDetails) {
    const shortName = details.odooName.split(".").pop() || "Error";
    const where = `${details.request.model}/${details.request.method}`;
    const status = details.status ? `${details.status} ` : "";
    super(code, `${where} → ${status}${shortName}: ${oneLine(details.odooMessage)}`);
    this.status = details.status;
    this.odooName = details.odooName;
    this.odooMessage = details.odooMessage;
    this.arguments = details.arguments;
    this.request = details.request;
    Object.defineProperty(this, "debug", { value: details.debug, enumerable: false });
  }
}

export class OdooTransportError extends OdooError {
  override name = "OdooTransportError";
  constructor(
    message: string,
    readonly causeCode: string | undefined,
    cause: unknown,
    code: OdooErrorCode = "ODOO_TRANSPORT",
    outcomeUnknown = false,
  ) {
    super(code, message, { cause, outcomeUnknown });
  }
}

export class OdooResponseShapeError extends OdooError {
  override name = "OdooResponseShapeError";
  constructor(message: string, outcomeUnknown = false) {
    super("ODOO_RESPONSE_SHAPE", message, { outcomeUnknown });
  }
}

/** A database manager page answered with its `alert-danger` text (odoo19-facts §6). */
export class DbManagerError extends OdooError {
  override name = "DbManagerError";
  constructor(
    readonly operation: string,
    readonly alert: string,
    readonly status: number,
    outcomeUnknown = false,
  ) {
    super("ODOO_DBMANAGER", `database ${operation} failed: ${alert}${outcomeUnknown ? OUTCOME_UNKNOWN : ""}`, { outcomeUnknown, httpStatus: status });
  }
}

/** Odoo writes multi-line messages ("…\n\nThis operation is allowed for…"): fold them to one line. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}

export function isOdooError(error: unknown, ...codes: OdooErrorCode[]): error is OdooError {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ODOO_") && (codes.length === 0 || codes.includes(code as OdooErrorCode));
}
