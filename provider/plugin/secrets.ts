import { specialSecretSig as SECRET, specialSigKey as SIG } from "@pulumi/pulumi/runtime/rpc";
import { type ResourceKind, SECRETS } from "../stub";

// The plugin accepts secrets (its configure says so): the engine hands it values marked secret as
// objects {SIG: SECRET, value}, and keeps as secret in the state what the plugin hands back so
// marked. The implementations see plain values (reveal); what goes back is marked again where it
// came in marked, and where the kind declares a secret (conceal), so that an API key a program
// gave in plain text is still kept secret, as the TypeScript classes keep it.

/** A path into a value: property names and array indexes. */
type Path = (string | number)[];

function isSecret(value: unknown): value is { value: unknown } {
  return !!value && typeof value === "object" && (value as Record<string, unknown>)[SIG] === SECRET;
}

export function secret(value: unknown): Record<string, unknown> {
  return { [SIG]: SECRET, value };
}

/** The value with every secret unwrapped, and the paths where secrets were. */
export function reveal(value: unknown, at: Path = [], found: Path[] = []): { plain: any; secrets: Path[] } {
  const walk = (v: unknown, path: Path): unknown => {
    if (isSecret(v)) {
      found.push(path);
      return walk(v.value, path);
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([key, item]) => [key, walk(item, [...path, key])]));
    return v;
  };
  return { plain: walk(value, at), secrets: found };
}

/** The paths a kind always keeps secret: its connection's key, its secret arguments and outputs. */
export function declaredSecrets(kind: ResourceKind): Path[] {
  const { inputs = [], outputs = [] } = SECRETS[kind];
  return [["connection", "apiKey"], ...[...inputs, ...outputs].map((name) => [name])];
}

/** `value` with the values at `paths` marked secret (a path that leads nowhere is skipped). */
export function conceal<T>(value: T, paths: Path[]): T {
  let result: unknown = value;
  for (const path of paths) result = markAt(result, path);
  return result as T;
}

function markAt(value: unknown, path: Path): unknown {
  if (value === undefined || value === null || isSecret(value)) return value;
  if (!path.length) return secret(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    if (typeof head !== "number" || head >= value.length) return value;
    const copy = [...value];
    copy[head] = markAt(copy[head], rest);
    return copy;
  }
  if (typeof value !== "object" || !(String(head) in (value as object))) return value;
  return { ...(value as object), [head]: markAt((value as Record<string, unknown>)[head], rest) };
}
