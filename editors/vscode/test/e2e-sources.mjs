// The end-to-end test's block for quotations checked against the reporter's recordings
// (issue 15), kept apart from e2e.mjs so the two merge cleanly. e2e.mjs copies
// test/fixtures/sources/ and test/fixtures/budget.md into the workspace (`setupSources`) and,
// in its editor session, calls `sourcesCase` with its helpers: the misquote appears in the
// Problems panel with the transcript and the speaker, and Ctrl+. → "Use the source's wording"
// restores the recording's words and nothing else.

import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
export const SOURCES_DRAFT = "budget.md";

/** Copy the transcript (under sources/) and the draft into the workspace. @param {string} ws */
export function setupSources(ws) {
  fs.mkdirSync(path.join(ws, "sources"), { recursive: true });
  fs.copyFileSync(path.join(fixtures, "sources", "council-meeting.vtt"), path.join(ws, "sources", "council-meeting.vtt"));
  fs.copyFileSync(path.join(fixtures, SOURCES_DRAFT), path.join(ws, SOURCES_DRAFT));
}

/**
 * @param {{ws: string, openFile: (n: string) => Promise<void>, focusEditor: () => Promise<void>,
 *   showProblems: () => Promise<void>, problems: (f: string, c: string) => Promise<string[]>,
 *   goTo: (l: number, c?: number) => Promise<void>, quickFixMenu: () => Promise<string[]>,
 *   chooseFix: (t: string) => Promise<void>, saveAndRead: (f: string) => Promise<string>,
 *   waitFor: <T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs?: number) => Promise<T>,
 *   check: (c: unknown, m: string) => void, lineCol: (t: string, n: string) => {line: number, column: number},
 *   log: (m: string) => void}} h
 */
export async function sourcesCase(h) {
  const file = path.join(h.ws, SOURCES_DRAFT);
  const before = fs.readFileSync(file, "utf8");
  await h.openFile(SOURCES_DRAFT);
  await h.focusEditor();
  await h.showProblems();
  const found = await h.waitFor("a misquote in the draft", () => h.problems(SOURCES_DRAFT, "misquote"), (v) => v.length === 1, 30000);
  h.check(
    found[0].includes("council-meeting.vtt 00:41:07, Dana Whitlock") && found[0].includes("where the recording has"),
    `${SOURCES_DRAFT}: the misquote names the transcript and the speaker: ${found[0]}`,
  );
  const at = h.lineCol(before, "million");
  await h.focusEditor();
  await h.goTo(at.line, at.column + 2);
  const offered = await h.quickFixMenu();
  h.log(`   quick fixes on the misquote: ${JSON.stringify(offered)}`);
  h.check(offered.some((t) => t.includes("Use the source's wording")), "Ctrl+. on the misquote offers \"Use the source's wording\"");
  await h.chooseFix("Use the source's wording");
  const after = await h.saveAndRead(file);
  h.check(after === before.replace("a million dollars", "a billion dollars"), `applying it restores the recording's word and nothing else: ${after}`);
  await h.waitFor("the misquote to go", () => h.problems(SOURCES_DRAFT, "misquote"), (v) => v.length === 0, 20000);
  h.check(true, "and the misquote goes");
}
