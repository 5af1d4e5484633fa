import type { ExportOrigin } from "./program";

// The files beside an exported program: a Pulumi project that compiles, and what to do next.

/** The project's files by name. */
export function projectFiles(program: string, origin: ExportOrigin): Record<string, string> {
  const name = `odoo-${origin.database.replace(/[^A-Za-z0-9_.-]+/g, "-")}`.slice(0, 100);
  return {
    "index.ts": program,
    "Pulumi.yaml": `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n`,
    "tsconfig.json": `${JSON.stringify(
      { compilerOptions: { strict: true, target: "ES2020", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true } },
      null,
      2,
    )}\n`,
    "package.json": `${JSON.stringify(
      {
        name,
        private: true,
        main: "index.ts",
        dependencies: { "@pulumi/pulumi": "^3.248.0", "pulumi-odoo": "^0.1.0" },
        devDependencies: { "@types/node": "^20", typescript: "^5" },
      },
      null,
      2,
    )}\n`,
    "README.md": readme(name, origin),
  };
}

function readme(name: string, origin: ExportOrigin): string {
  return `# ${name}

What database '${origin.database}' at ${origin.url} held on ${origin.at}, as a Pulumi program
(\`pulumi-odoo export\`). Its first \`pulumi up\` takes everything over and changes nothing; every
resource is protected.

\`\`\`bash
npm install
pulumi stack init prod
pulumi config set odoo:url ${origin.url}
pulumi config set odoo:database ${origin.database}
pulumi config set --secret odoo:apiKey <API key>
pulumi preview        # takes over: nothing to create in Odoo
pulumi up --yes
pulumi preview --expect-no-changes
\`\`\`

The same program on another stack whose \`odoo:*\` names an empty database makes the same
configuration there.
`;
}
