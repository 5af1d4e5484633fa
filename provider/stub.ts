import type * as pulumi from "@pulumi/pulumi";

/**
 * Every resource kind of this package, with the name its class registers under: the one list. The
 * engine's type token is `pulumi-nodejs:dynamic/odoo:<name>` (typeToken); registry.ts holds each
 * kind's class and implementation, and the compiler holds it to this list.
 */
export const RESOURCE_NAMES = {
  customModel: "CustomModel",
  customField: "CustomField",
  record: "Record",
  recordSet: "RecordSet",
  database: "Database",
  upgradeRequest: "UpgradeRequest",
  module: "Module",
  settings: "Settings",
} as const;

export type ResourceKind = keyof typeof RESOURCE_NAMES;

/**
 * What each kind keeps as secrets in the state, besides its connection's apiKey (always one): the
 * arguments a program gives and the outputs the provider computes. The classes (OdooResource) and
 * the provider plugin (plugin/secrets.ts) both mark them from here.
 */
export const SECRETS: Record<ResourceKind, { inputs?: readonly string[]; outputs?: readonly string[] }> = {
  customModel: {},
  customField: {},
  record: { outputs: ["applied"] },
  recordSet: { outputs: ["applied"] },
  database: { inputs: ["masterPassword", "adminPassword"], outputs: ["apiKey"] },
  upgradeRequest: { inputs: ["contract", "sshKey"], outputs: ["key", "urls"] },
  module: {},
  settings: {},
};

/** The type token a kind's resources have in the state, e.g. "pulumi-nodejs:dynamic/odoo:Record". */
export function typeToken(kind: ResourceKind): `pulumi-nodejs:dynamic/odoo:${(typeof RESOURCE_NAMES)[ResourceKind]}` {
  return `pulumi-nodejs:dynamic/odoo:${RESOURCE_NAMES[kind]}`;
}

/**
 * The provider object Pulumi serializes into the state for every resource of one kind.
 *
 * Pulumi's closure serializer turns this object into source text and the engine runs that text,
 * even for a destroy long after the program changed (pulumi/pulumi#6238). So it captures nothing
 * but the resource kind: each method loads the installed implementation by package name when it
 * runs. The text stays small (cold start), holds no secret and no connection, and a destroy runs
 * the installed version of pulumi-odoo, not a stale copy frozen in the state.
 */
export function providerStub(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // One object per kind: Pulumi caches a provider's serialized text by the object, and serializing
  // it again for every resource (the closure serializer asks the inspector) cost more than the
  // engine's own work per resource in a program of a thousand Records.
  let stub = stubs.get(kind);
  if (!stub) stubs.set(kind, (stub = makeStub(kind)));
  return stub;
}

const stubs = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

function makeStub(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const load = () => {
    // Resolved once per provider host process, not on every call (a refresh makes hundreds).
    const cache = globalThis as { __pulumiOdooHost?: { resources: Record<string, any> } };
    if (cache.__pulumiOdooHost) return cache.__pulumiOdooHost.resources[kind];
    const path = require("path");
    const fs = require("fs");
    let host;
    try {
      // The provider host resolves modules from the program's directory.
      host = require(require.resolve("pulumi-odoo/host", { paths: [process.cwd()] }));
    } catch (error) {
      if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
      // The program may be this package itself (its own examples): look for it upwards.
      for (let dir = process.cwd(); !host; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "pulumi-odoo") {
          host = require(path.join(dir, "bin", "provider", "host.js"));
        } else if (dir === path.dirname(dir)) {
          const missing = new Error("pulumi-odoo is not installed where this program runs: run `npm install pulumi-odoo` there");
          // The provider host prints an error's stack under the stack resource: one sentence is enough.
          missing.stack = missing.message;
          throw missing;
        }
      }
    }
    cache.__pulumiOdooHost = host;
    return host.resources[kind];
  };
  return {
    configure: (req: pulumi.dynamic.ConfigureRequest) => load().configure(req),
    check: (olds: any, news: any) => load().check(olds, news),
    diff: (id: string, olds: any, news: any) => load().diff(id, olds, news),
    create: (inputs: any) => load().create(inputs),
    read: (id: string, props: any) => load().read(id, props),
    update: (id: string, olds: any, news: any) => load().update(id, olds, news),
    delete: (id: string, props: any) => load().delete(id, props),
  } as pulumi.dynamic.ResourceProvider;
}
