import type * as pulumi from "@pulumi/pulumi";
import { CustomField, customFieldProvider } from "./resources/custom-field";
import { CustomModel, customModelProvider } from "./resources/custom-model";
import { Database, databaseProvider } from "./resources/database";
import { Module, moduleProvider } from "./resources/module";
import { OdooRecord, recordProvider } from "./resources/record";
import { RecordSet, recordSetProvider } from "./resources/record-set";
import { Settings, settingsProvider } from "./resources/settings";
import { UpgradeRequest, upgradeRequestProvider } from "./resources/upgrade-request";
import type { ResourceImplementation } from "./internal/resource";
import { type ResourceKind, typeToken } from "./stub";

// Every resource kind's class and implementation, keyed by the kinds of stub.ts (the compiler holds
// the two lists together). The provider host (host.ts), the package's table of contents (index.ts)
// and the tests read it; a new resource is one line here.

interface Registered {
  /** The class a program instantiates. */
  resource: abstract new (...args: never[]) => pulumi.CustomResource;
  /** What the provider host runs for it. */
  implementation: ResourceImplementation;
}

export const registry: Record<ResourceKind, Registered> = {
  customModel: { resource: CustomModel, implementation: customModelProvider },
  customField: { resource: CustomField, implementation: customFieldProvider },
  record: { resource: OdooRecord, implementation: recordProvider },
  recordSet: { resource: RecordSet, implementation: recordSetProvider },
  database: { resource: Database, implementation: databaseProvider },
  upgradeRequest: { resource: UpgradeRequest, implementation: upgradeRequestProvider },
  module: { resource: Module, implementation: moduleProvider },
  settings: { resource: Settings, implementation: settingsProvider },
};

/** Every kind, in the registry's order. */
export const kinds = Object.keys(registry) as ResourceKind[];

/** The kind of a type token of the state ("pulumi-nodejs:dynamic/odoo:Record" → "record"), if it is one of ours. */
export function kindOf(token: string): ResourceKind | undefined {
  return kinds.find((kind) => typeToken(kind) === token);
}
