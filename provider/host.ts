import type { ResourceImplementation } from "./internal/resource";
import { kinds, registry } from "./registry";
import type { ResourceKind } from "./stub";

// What the serialized provider stubs load at run time inside Pulumi's provider host
// (see stub.ts): the implementation of every resource kind, from the registry.

export const resources = Object.fromEntries(kinds.map((kind) => [kind, registry[kind].implementation])) as Record<ResourceKind, ResourceImplementation>;
