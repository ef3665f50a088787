"use strict";
// A tiny linter: every .js file in this package (outside node_modules) must
// use spaces, not tabs, have no trailing whitespace and end with a newline.
const fs = require("node:fs");
const path = require("node:path");

function jsFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...jsFiles(full));
    else if (entry.name.endsWith(".js")) found.push(full);
  }
  return found.sort();
}

const problems = [];
const files = jsFiles(__dirname);
for (const file of files) {
  const rel = path.relative(__dirname, file);
  const text = fs.readFileSync(file, "utf8");
  if (text.length > 0 && !text.endsWith("\n")) problems.push(`${rel}: no newline at end of file`);
  text.split("\n").forEach((line, i) => {
    if (line.includes("\t")) problems.push(`${rel}:${i + 1}: tab`);
    if (/[ \t]+$/.test(line)) problems.push(`${rel}:${i + 1}: trailing whitespace`);
  });
}

for (const p of problems) console.error(p);
if (problems.length > 0) {
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`lint: ${files.length} files clean`);
