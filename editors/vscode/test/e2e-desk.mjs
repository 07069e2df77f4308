// The end-to-end test's block for name spellings checked against the desk's other stories
// (issue 16), kept apart from e2e.mjs so the two merge cleanly. e2e.mjs calls `setupDesk` to
// write two earlier stories (desk/monday.md, desk/tuesday.md: "Denys Shmyhal") and a draft
// that writes "Shmygal", and, in its editor session, `deskCase` with its helpers: once the
// workspace index is built the finding appears in the Problems panel with the desk's spelling
// and count, and Ctrl+. → "Change all … in this draft" rewrites the two names and nothing else.

import * as fs from "node:fs";
import * as path from "node:path";

export const DESK_DRAFT = "brussels.md";
const MONDAY =
  "# Grid holds\n\nPrime Minister Denys Shmyhal said on Monday that the grid would hold. Shmyhal spoke in Kyiv.\n\n“We are ready,” Shmyhal said.\n";
const TUESDAY = "# Lviv visit\n\nDenys Shmyhal visited Lviv on Tuesday. Officials said Shmyhal was tired.\n";
const DRAFT =
  "# Brussels trip\n\nDenys Shmygal will travel to Brussels on Friday. Aides said Shmygal would meet officials there.\n";

/** Write the desk's stories and the draft into the workspace. @param {string} ws */
export function setupDesk(ws) {
  fs.mkdirSync(path.join(ws, "desk"), { recursive: true });
  fs.writeFileSync(path.join(ws, "desk", "monday.md"), MONDAY);
  fs.writeFileSync(path.join(ws, "desk", "tuesday.md"), TUESDAY);
  fs.writeFileSync(path.join(ws, DESK_DRAFT), DRAFT);
}

/**
 * @param {{ws: string, openFile: (n: string) => Promise<void>, focusEditor: () => Promise<void>,
 *   showProblems: () => Promise<void>, problems: (f: string, c: string) => Promise<string[]>,
 *   goTo: (l: number, c?: number) => Promise<void>, quickFixMenu: () => Promise<string[]>,
 *   chooseFix: (t: string) => Promise<void>, saveAndRead: (f: string) => Promise<string>,
 *   waitFor: <T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs?: number) => Promise<T>,
 *   check: (c: unknown, m: string) => void, lineCol: (t: string, n: string) => {line: number, column: number},
 *   squiggles: () => Promise<{error: number, warning: number, info: number, hint: number}>,
 *   log: (m: string) => void}} h
 */
export async function deskCase(h) {
  const file = path.join(h.ws, DESK_DRAFT);
  await h.openFile(DESK_DRAFT);
  await h.focusEditor();
  await h.showProblems();
  // The Problems panel lists a marker's related locations (here, the desk's files) as rows under
  // it, so count the squiggles for the two findings and read the first row for the message.
  const found = await h.waitFor(
    "the desk's spelling in the draft",
    () => h.problems(DESK_DRAFT, "name-spelling"),
    (v) => v.length >= 1,
    30000,
  );
  h.check(
    found[0].includes("‘Shmygal’: the desk's other stories spell it ‘Shmyhal’ (5 times in 2 files)") && found[0].includes("[Ln 3, Col 7]"),
    `${DESK_DRAFT}: the finding names the desk's spelling and its count: ${JSON.stringify(found)}`,
  );
  await h.focusEditor();
  const marks = await h.waitFor("two information squiggles", () => h.squiggles(), (s) => s.info === 2, 10000);
  h.check(marks.warning === 0 && marks.error === 0, `both spellings in the draft are marked, as information: ${JSON.stringify(marks)}`);
  const at = h.lineCol(DRAFT, "Shmygal");
  await h.focusEditor();
  await h.goTo(at.line, at.column + 2);
  const offered = await h.quickFixMenu();
  h.log(`   quick fixes on the desk's name: ${JSON.stringify(offered)}`);
  const all = "Change all 2 ‘Shmygal’ in this draft to ‘Shmyhal’";
  h.check(offered.some((t) => t.includes(all)), `Ctrl+. offers "${all}"`);
  h.check(
    offered.some((t) => t.includes("Accept ‘Shmygal’ as this desk's spelling")),
    "and \"Accept ‘Shmygal’ as this desk's spelling\"",
  );
  await h.chooseFix(all);
  const after = await h.saveAndRead(file);
  h.check(after === DRAFT.replaceAll("Shmygal", "Shmyhal"), `applying it rewrites the two names and nothing else: ${after}`);
  await h.waitFor("the desk's findings to go", () => h.squiggles(), (s) => s.info === 0, 20000);
  h.check(true, "and the findings go");
}
