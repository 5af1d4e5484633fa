import { effectiveTarget } from "../config";
import { unknownPaths } from "./check";

// Diff rules are data: each resource lists the properties whose change forces a replacement, and
// the same comparison serves every resource.

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
}

/**
 * Compares the declared inputs (`news`) with the state (`olds`, the outputs of the last create,
 * update or refresh). Only declared properties count, so outputs Odoo adds never show as changes.
 */
export function diffInputs(
  oldValues: object,
  newValues: object,
  replaceOn: readonly string[],
  options: { ignore?: readonly string[]; deleteBeforeReplace?: boolean; removable?: readonly string[] } = {},
): DiffResult & { changed: string[] } {
  const olds = oldValues as Record<string, unknown>;
  const news = newValues as Record<string, unknown>;
  const ignore = new Set(["__provider", ...(options.ignore ?? [])]);
  const keys = new Set([...Object.keys(news), ...Object.keys(olds).filter((k) => k in news || replaceOn.includes(k))]);
  const changed: string[] = [];
  for (const key of keys) {
    if (ignore.has(key) || !(key in news)) continue;
    if (unknownPaths(news[key]).length || !same(olds[key], news[key])) changed.push(key);
  }
  // A property the state holds because it was declared, and that the program no longer declares:
  // Odoo must go back to its default.
  for (const key of options.removable ?? []) {
    if (olds[key] !== undefined && news[key] === undefined && !changed.includes(key)) changed.push(key);
  }
  changed.sort();
  const replaces = changed.filter((key) => replaceOn.includes(key) || replaceOn.some((r) => r.startsWith(`${key}.`) && !same(pick(olds, r), pick(news, r))));
  return {
    changes: changed.length > 0,
    changed,
    replaces,
    stables: [],
    deleteBeforeReplace: replaces.length > 0 && !!options.deleteBeforeReplace,
  };
}

function pick(value: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
}

/** Deep equality on JSON values; an absent value and `undefined` are the same. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return a == b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * diffInputs for resources that live in one Odoo database: moving to another server or database
 * replaces them; a connection input that names the same target as before (or as the configuration)
 * is only an update, so that the state holds the new credentials.
 */
export function diffInDatabase(
  olds: object,
  news: object,
  replaceOn: readonly string[],
  options: Parameters<typeof diffInputs>[3] = {},
): ReturnType<typeof diffInputs> {
  const result = diffInputs(olds, news, replaceOn, options);
  const connection = (values: object) => (values as { connection?: never }).connection;
  const moved = unknownPaths(connection(news)).length === 0 && effectiveTarget(connection(olds)) !== effectiveTarget(connection(news));
  if (moved && !result.replaces.includes("connection")) {
    result.replaces.push("connection");
    if (!result.changed.includes("connection")) result.changed.push("connection");
    result.changes = true;
    // Two databases cannot collide on names: make the new one before deleting the old.
    result.deleteBeforeReplace = false;
  }
  return result;
}
