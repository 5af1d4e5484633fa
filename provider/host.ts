import { type ResourceImplementation, SAID } from "./internal/resource";
import { kinds, registry } from "./registry";
import type { ResourceKind } from "./stub";

// What the serialized provider stubs load at run time inside Pulumi's provider host
// (see stub.ts): the implementation of every resource kind, from the registry.

export const resources = Object.fromEntries(kinds.map((kind) => [kind, registry[kind].implementation])) as Record<ResourceKind, ResourceImplementation>;

// Pulumi's provider host prints every error of check, diff, read and delete with its stack trace, and
// also sends it to the engine, which shows it under its resource: ours are one sentence each (marked
// SAID), so the printed copy is dropped.
const print = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith(SAID)) return;
  print(...args);
};
