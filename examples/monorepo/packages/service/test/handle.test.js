"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");

const { greet } = require("@example/greet");
const { handle } = require("../src/index.js");

test("hello route greets the decoded name", () => {
  assert.deepEqual(handle("/hello/Ada%20Lovelace"), { status: 200, body: "Hello, Ada Lovelace!" });
  assert.equal(handle("/hello/").body, greet(""));
});

test("initials route", () => {
  assert.deepEqual(handle("/initials/Grace%20Brewster%20Hopper"), { status: 200, body: "G.B.H." });
});

test("unknown route is a 404", () => {
  assert.equal(handle("/nope/x").status, 404);
});
