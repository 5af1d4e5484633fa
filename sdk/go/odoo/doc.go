// Infrastructure as code for Odoo: custom models and fields, records, databases and upgrades as Pulumi resources
package odoo
