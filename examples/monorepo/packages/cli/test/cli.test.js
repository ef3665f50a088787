"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const { greet } = require("@example/greet");
const { parseArgs, render } = require("../dist/format.js");

const main = path.join(__dirname, "..", "dist", "main.js");

test("parseArgs reads --shout and defaults to world", () => {
  assert.deepEqual(parseArgs([]), { style: "plain", names: ["world"] });
  assert.deepEqual(parseArgs(["--shout", "Ada"]), { style: "shout", names: ["Ada"] });
});

test("render uses the greet package", () => {
  const out = render({ style: "plain", names: ["Ada Lovelace"] });
  assert.equal(out, `${greet("Ada Lovelace")}\n(A.L.)\n`);
});

test("the bin prints greetings", () => {
  const out = execFileSync(process.execPath, [main, "--shout", "Grace Hopper", "Alan"], {
    encoding: "utf8",
  });
  assert.equal(out, "HELLO, GRACE HOPPER!\nHELLO, ALAN!\n(G.H. A.)\n");
});
