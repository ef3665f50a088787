export type Style = "plain" | "shout";

/** A greeting for one name. */
export function greet(name: string, style: Style = "plain"): string {
  const text = `Hello, ${name.trim() || "world"}!`;
  return style === "shout" ? text.toUpperCase() : text;
}

/** One greeting per name, joined with newlines, in the order given. */
export function greetAll(names: readonly string[], style: Style = "plain"): string {
  return names.map((n) => greet(n, style)).join("\n");
}

/** The initials of a full name: "Ada Lovelace" -> "A.L." */
export function initials(fullName: string): string {
  return fullName
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + ".")
    .join("");
}
