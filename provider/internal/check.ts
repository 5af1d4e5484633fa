import type { z } from "zod";
import type { CheckFailure } from "./failure";

// Turns zod issues into Pulumi check failures ({property, reason}), and keeps values that are not
// known yet at preview time (another resource's output) from being judged.

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type { CheckFailure };

export interface CheckResult<T> {
  /** What the engine is handed back: the parsed inputs, or the values as given while some are unknown. */
  inputs: T | Record<string, unknown>;
  failures: CheckFailure[];
  /** The parsed inputs (defaults filled in, unknowns as the placeholder), when the schema accepted them. */
  parsed?: T;
}

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Paths (a.b.0.c) of every unknown value inside `value`. */
export function unknownPaths(value: unknown, prefix: (string | number)[] = []): string[] {
  if (value === UNKNOWN) return [prefix.join(".")];
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownPaths(item, [...prefix, i]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => unknownPaths(item, [...prefix, key]));
  }
  return [];
}

/**
 * Parses `news` with the resource's input schema. Issues about values still unknown are dropped;
 * unknown keys get a suggestion when one is close.
 */
export function checkWith<T>(schema: z.ZodType<T>, news: Record<string, unknown>, extra?: (inputs: T) => CheckFailure[]): CheckResult<T> {
  const { __provider, ...values } = news;
  void __provider;
  const unknown = unknownPaths(values);
  const result = schema.safeParse(values);
  const failures: CheckFailure[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        const known = objectKeysAt(schema, issue.path);
        for (const key of issue.keys) {
          const property = [...issue.path, key].join(".");
          const suggestion = closest(key, known);
          failures.push({
            property,
            reason: `unknown property '${key}'${suggestion ? `: did you mean '${suggestion}'?` : ""}${known.length ? ` Valid properties: ${known.join(", ")}.` : ""}`,
          });
        }
        continue;
      }
      const property = issue.path.join(".");
      if (unknown.some((path) => property === path || property.startsWith(`${path}.`) || path.startsWith(`${property}.`))) continue;
      const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
      failures.push({ property: property || "(inputs)", reason: missing ? `is required (a ${issue.expected})` : issue.message });
    }
  }
  if (result.success && extra)
    failures.push(...extra(result.data).filter((f) => !unknown.some((path) => f.property === path || f.property.startsWith(`${path}.`))));
  const inputs = result.success && unknown.length === 0 ? (result.data as T) : values;
  failures.sort((a, b) => a.property.localeCompare(b.property));
  return { inputs, failures, parsed: result.success ? result.data : undefined };
}

function objectKeysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  let current: any = schema;
  for (const segment of path) {
    current = unwrap(current);
    if (typeof segment === "number") current = current?.element ?? current?.def?.element;
    else current = current?.shape?.[segment];
  }
  current = unwrap(current);
  return current?.shape ? Object.keys(current.shape) : [];
}

function unwrap(schema: any): any {
  let current = schema;
  for (let i = 0; i < 10 && current && !current.shape && current.def?.innerType; i++) current = current.def.innerType;
  if (current && !current.shape && current.def?.type === "pipe") current = unwrap(current.def.in);
  return current;
}

/** The nearest name by edit distance, when it is near enough to be what was meant. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * checkWith, then rules that need the file system or the server: those run only on inputs that
 * passed the schema. Failures come sorted by property.
 */
export async function checkInputs<T>(
  schema: z.ZodType<T>,
  news: Record<string, unknown>,
  rules: (inputs: T) => Promise<CheckFailure[]>,
): Promise<CheckResult<T>> {
  const { parsed, ...result } = checkWith(schema, news);
  // The rules read the parsed inputs, defaults filled in, even while some values are unknown (the
  // engine is then handed back the values as given, unknowns kept): a CustomModel without an order,
  // whose connection waited for a new database's key, once failed here reading the order.
  if (result.failures.length === 0) result.failures.push(...(await rules((parsed ?? result.inputs) as T)));
  result.failures.sort((a, b) => a.property.localeCompare(b.property));
  return result;
}
