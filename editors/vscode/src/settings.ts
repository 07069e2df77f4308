// What the server receives of the `copydesk` settings section.
//
// The section also holds settings that belong to the client alone (`server.*`, `trace.*`).
// The server warns about keys it does not know, so those are removed before anything is sent,
// whether in `initializationOptions` or in answer to `workspace/configuration`. Rule settings
// are passed through as they are: a new rule threshold needs only a new entry in package.json.

/** Top-level keys of the `copydesk` section that the extension keeps to itself. */
export const CLIENT_ONLY_KEYS: readonly string[] = ["server", "trace"];

export const SECTION = "copydesk";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A plain JSON copy of `value` without the client-only keys. */
export function serverSettings(value: unknown): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return (value ?? null) as Json;
  }
  // WorkspaceConfiguration objects carry methods (get, has, inspect, update): JSON drops them.
  const copy = JSON.parse(JSON.stringify(value)) as { [key: string]: Json };
  for (const key of CLIENT_ONLY_KEYS) {
    delete copy[key];
  }
  return copy;
}

/**
 * Filter one answer to `workspace/configuration`. `section` is what the server asked for:
 * `copydesk` gets the filtered section, the whole configuration (no section) gets a filtered
 * `copydesk` entry, and anything more specific is passed through.
 */
export function filterConfigurationItem(section: string | undefined, value: unknown): unknown {
  if (section === SECTION) {
    return serverSettings(value);
  }
  if (section === undefined && value !== null && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (SECTION in v) {
      return { ...v, [SECTION]: serverSettings(v[SECTION]) };
    }
  }
  return value;
}

/** `copydesk.server.logLevel` → `RUST_LOG`. The server's own crate at that level, others warn. */
export function rustLog(level: string): string {
  const allowed = ["error", "warn", "info", "debug", "trace"];
  const l = allowed.includes(level) ? level : "info";
  return l === "error" || l === "warn" ? l : `warn,copydesk=${l}`;
}
