#!/usr/bin/env node
import { parseArgs, render } from "./format";

// No @types/node in this example: declare the little of `process` used here.
declare const process: {
  argv: string[];
  stdout: { write(text: string): boolean };
};

process.stdout.write(render(parseArgs(process.argv.slice(2))));
