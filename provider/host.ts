import { customFieldProvider } from "./resources/custom-field";
import { customModelProvider } from "./resources/custom-model";
import { databaseProvider } from "./resources/database";
import { moduleProvider } from "./resources/module";
import { recordProvider } from "./resources/record";
import { settingsProvider } from "./resources/settings";
import { upgradeRequestProvider } from "./resources/upgrade-request";
import type { ResourceImplementation } from "./internal/resource";
import type { ResourceKind } from "./stub";

// What the serialized provider stubs load at run time inside Pulumi's provider host
// (see stub.ts): the implementation of every resource kind.

export const resources: Record<ResourceKind, ResourceImplementation> = {
  customModel: customModelProvider,
  customField: customFieldProvider,
  record: recordProvider,
  database: databaseProvider,
  upgradeRequest: upgradeRequestProvider,
  module: moduleProvider,
  settings: settingsProvider,
};
