// What the two RPC clients (JSON-2, /jsonrpc) share of a call.

/** Methods that change nothing: only these are ever retried. */
export const READ_ONLY_METHODS = new Set([
  "read",
  "search_read",
  "search",
  "search_count",
  "fields_get",
  "name_search",
  "get_external_id",
  "check_object_reference",
  "has_access",
  "web_search_read",
  "context_get",
]);

export interface CallOptions {
  timeoutMs?: number;
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
}
