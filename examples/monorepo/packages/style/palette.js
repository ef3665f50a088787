"use strict";

/** Terminal colours used by the example tools. */
module.exports = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  green: "\u001b[32m",
};
