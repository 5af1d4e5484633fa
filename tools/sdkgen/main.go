// pulumi-odoo-sdkgen SCHEMA LANGUAGE OUT: writes the SDK of a Pulumi package schema in one
// language (python, nodejs, go) with the code generators of the Pulumi release we build the CLI
// from. `pulumi package gen-sdk` asks the language host to generate, and the hosts these machines
// can build (sdk/v3 v3.68.0, see test/pulumi-cli/build.ts) predate that: this calls the same
// generators the newer hosts call. Built beside the CLI and cached with it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-odoo-sdkgen SCHEMA LANGUAGE OUT")
		os.Exit(2)
	}
	if err := generate(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-odoo-sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func generate(schemaPath, language, out string) error {
	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noOtherPackages{}, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	var files map[string][]byte
	loader := noOtherPackages{}
	switch language {
	case "python":
		files, err = python.GeneratePackage("pulumi-odoo", pkg, nil, loader)
	case "nodejs":
		files, err = nodejs.GeneratePackage("pulumi-odoo", pkg, nil, nil, false, loader)
	case "go":
		files, err = gogen.GeneratePackage("pulumi-odoo", pkg, nil)
	default:
		return fmt.Errorf("no generator for %q: python, nodejs or go", language)
	}
	if err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// noOtherPackages is the loader of a schema that names no other package (ours names none).
type noOtherPackages struct{}

func (noOtherPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema names package %q: only odoo's own types are known", name)
}

func (l noOtherPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (noOtherPackages) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema names package %q: only odoo's own types are known", name)
}

func (l noOtherPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}
