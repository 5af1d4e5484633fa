// pulumi-odoo: Odoo custom models and fields, records, modules, settings, databases and upgrades as Pulumi resources.
// The table of contents: every resource class, and the type token each one registers under.

export { CustomModel, type CustomModelArgs, type AccessRule } from "./resources/custom-model";
export { CustomField, type CustomFieldArgs, type FieldType, FIELD_TYPES } from "./resources/custom-field";
export type { SelectionOption } from "./internal/selection";
export { OdooRecord as Record, type RecordArgs, type RecordValue } from "./resources/record";
export { ref, type OdooRef } from "./resources/record/values";
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

export const resourceTypes = {
  "pulumi-nodejs:dynamic/odoo:CustomModel": "CustomModel",
  "pulumi-nodejs:dynamic/odoo:CustomField": "CustomField",
  "pulumi-nodejs:dynamic/odoo:Record": "Record",
  "pulumi-nodejs:dynamic/odoo:Database": "Database",
  "pulumi-nodejs:dynamic/odoo:UpgradeRequest": "UpgradeRequest",
  "pulumi-nodejs:dynamic/odoo:Module": "Module",
  "pulumi-nodejs:dynamic/odoo:Settings": "Settings",
} as const;
