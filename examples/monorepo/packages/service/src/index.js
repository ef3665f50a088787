"use strict";
const { greet, initials } = require("@example/greet");

/** Answers one request path: /hello/NAME or /initials/NAME. */
function handle(requestPath) {
  const [, route, ...rest] = requestPath.split("/");
  const name = decodeURIComponent(rest.join("/"));
  if (route === "hello") {
    return { status: 200, body: greet(name) };
  }
  if (route === "initials") {
    return { status: 200, body: initials(name) };
  }
  return { status: 404, body: "not found" };
}

module.exports = { handle };
