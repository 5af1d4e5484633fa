// pulumi-odoo: Odoo custom models and fields, records, modules, settings, databases and upgrades as Pulumi resources.
// The table of contents: every resource class, and the type token each one registers under.

export { CustomModel, type CustomModelArgs, type AccessRule } from "./resources/custom-model";
export { CustomField, type CustomFieldArgs, type FieldType, FIELD_TYPES } from "./resources/custom-field";
export type { SelectionOption } from "./internal/selection";
export { OdooRecord as Record, type RecordArgs, type RecordValue } from "./resources/record";
export { RecordSet, type RecordSetArgs } from "./resources/record-set";
export { ref, type OdooRef } from "./values";
export { csv, type CsvOptions, type CsvValue } from "./values/csv";
export { ModelUi, type ModelUiArgs } from "./resources/model-ui";
export { getRecord, getRecords, type GetRecordArgs, type GetRecordsArgs } from "./data-sources";
export { Database, type DatabaseArgs } from "./resources/database";
export { backupDatabase, type BackupDatabaseArgs } from "./backup";
export { Module, type ModuleArgs } from "./resources/module";
export { Settings, type SettingsArgs, type SettingsValue } from "./resources/settings";
export { UpgradeRequest, type UpgradeRequestArgs } from "./resources/upgrade-request";
export { DbManagerClient } from "./dbmanager/db-manager-client";
export type { ConnectionArgs, ConnectionInput } from "./config";
export { OdooClient, type Connection } from "./client/odoo-client";
export { OdooError, OdooApiError, isOdooError, type OdooErrorCode } from "./client/errors";
import { kinds } from "./registry";
import { RESOURCE_NAMES, type ResourceKind, typeToken } from "./stub";

/** The type token of every resource class in the state, and the class's name: {"pulumi-nodejs:dynamic/odoo:Record": "Record", …}. */
export const resourceTypes = Object.fromEntries(kinds.map((kind) => [typeToken(kind), RESOURCE_NAMES[kind]])) as {
  [K in ResourceKind as `pulumi-nodejs:dynamic/odoo:${(typeof RESOURCE_NAMES)[K]}`]: (typeof RESOURCE_NAMES)[K];
};
