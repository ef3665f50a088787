import { greetAll, initials, Style } from "@example/greet";

export interface Options {
  style: Style;
  names: string[];
}

/** Reads the command line: `[--shout] NAME...`. */
export function parseArgs(argv: readonly string[]): Options {
  const style: Style = argv.includes("--shout") ? "shout" : "plain";
  const names = argv.filter((a) => !a.startsWith("--"));
  return { style, names: names.length > 0 ? names : ["world"] };
}

/** What the command prints: the greetings, then the initials of every name. */
export function render(options: Options): string {
  const tags = options.names.map(initials).join(" ");
  return `${greetAll(options.names, options.style)}\n(${tags})\n`;
}
