import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { CustomField, customFieldProvider } from "./resources/custom-field";
import { inputsSchema as customFieldInputs } from "./resources/custom-field/inputs";
import { CustomModel, customModelProvider } from "./resources/custom-model";
import { inputsSchema as customModelInputs } from "./resources/custom-model/inputs";
import { Database, databaseProvider } from "./resources/database";
import { inputsSchema as databaseInputs } from "./resources/database/inputs";
import { Module, moduleProvider, inputsSchema as moduleInputs } from "./resources/module";
import { OdooRecord, recordProvider, inputsSchema as recordInputs } from "./resources/record";
import { RecordSet, recordSetProvider } from "./resources/record-set";
import { inputsSchema as recordSetInputs } from "./resources/record-set/inputs";
import { Settings, settingsProvider, inputsSchema as settingsInputs } from "./resources/settings";
import { UpgradeRequest, upgradeRequestProvider } from "./resources/upgrade-request";
import { inputsSchema as upgradeRequestInputs } from "./resources/upgrade-request/inputs";
import type { ResourceImplementation } from "./internal/resource";
import { type ResourceKind, typeToken } from "./stub";

// Every resource kind's class, implementation and input schema, keyed by the kinds of stub.ts (the
// compiler holds the two lists together). The provider host (host.ts), the provider plugin
// (plugin/), its schema's generator, the package's table of contents (index.ts) and the tests read
// it; a new resource is one line here.

interface Registered {
  /** The class a program instantiates. */
  resource: abstract new (...args: never[]) => pulumi.CustomResource;
  /** What the provider host runs for it. */
  implementation: ResourceImplementation;
  /** What its check accepts: the plugin's schema is generated from it (tools/generate-schema.ts). */
  inputs: () => z.ZodType;
}

export const registry: Record<ResourceKind, Registered> = {
  customModel: { resource: CustomModel, implementation: customModelProvider, inputs: customModelInputs },
  customField: { resource: CustomField, implementation: customFieldProvider, inputs: customFieldInputs },
  record: { resource: OdooRecord, implementation: recordProvider, inputs: recordInputs },
  recordSet: { resource: RecordSet, implementation: recordSetProvider, inputs: recordSetInputs },
  database: { resource: Database, implementation: databaseProvider, inputs: databaseInputs },
  upgradeRequest: { resource: UpgradeRequest, implementation: upgradeRequestProvider, inputs: upgradeRequestInputs },
  module: { resource: Module, implementation: moduleProvider, inputs: moduleInputs },
  settings: { resource: Settings, implementation: settingsProvider, inputs: settingsInputs },
};

/** Every kind, in the registry's order. */
export const kinds = Object.keys(registry) as ResourceKind[];

/** The kind of a type token of the state ("pulumi-nodejs:dynamic/odoo:Record" → "record"), if it is one of ours. */
export function kindOf(token: string): ResourceKind | undefined {
  return kinds.find((kind) => typeToken(kind) === token);
}
