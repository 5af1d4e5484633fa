// Before a build: removes from bin/ what tsc made of sources that are gone (a module moved into a
// folder of its own leaves its old bin/x.js, which Node would load before bin/x/index.js). Only
// those files go, so that processes running from bin/ meanwhile (CI's Odoo launchers) are not touched.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const bin = path.join(root, "bin");
const OUTPUT = /(\.d\.ts|\.js\.map|\.js)$/;

function prune(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(file);
      continue;
    }
    if (!OUTPUT.test(entry.name)) continue;
    const source = path.join(root, path.relative(bin, file)).replace(OUTPUT, ".ts");
    if (!fs.existsSync(source)) fs.rmSync(file);
  }
}

prune(bin);
