//! `copydesk check --fix` is all or nothing: it writes atomically (temporary file + rename),
//! and when anything goes wrong it changes no file at all.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const PARA: &str =
    "The committee will publish its full findings on the inquiry early next year, officials said.";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_copydesk")
}

fn tempdir(name: &str) -> PathBuf {
    crate::common::tempdir("rel-cli", name)
}

fn with_copy(extra: &str) -> String {
    format!("{PARA}\n\n{extra}\n\n{PARA}\n")
}

/// Every file in `dir` (recursively) with its contents (lossy) or its link target.
fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_symlink() {
                let to = std::fs::read_link(e.path()).unwrap();
                out.push((e.path(), format!("-> {}", to.display())));
            } else {
                let bytes = std::fs::read(e.path()).unwrap();
                out.push((e.path(), String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    out.sort();
    out
}

/// The files are as they were (named, not dumped, when they are not).
#[track_caller]
fn assert_unchanged(dir: &Path, before: &[(PathBuf, String)], what: &str) {
    let after = snapshot(dir);
    let changed: Vec<_> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(
        changed.is_empty() && after.len() == before.len(),
        "{what}: files changed or appeared: {changed:?} ({} before, {} after)",
        before.len(),
        after.len()
    );
}

fn check_fix(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(bin())
        .current_dir(dir)
        .arg("check")
        .arg("--fix")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_non_utf8_file_among_several_means_exit_2_and_no_file_changed() {
    let dir = tempdir("non-utf8");
    std::fs::write(dir.join("a.txt"), with_copy("First.")).unwrap();
    std::fs::write(dir.join("b.md"), with_copy("Second.")).unwrap();
    std::fs::write(dir.join("c.txt"), b"Latin-1 caf\xe9 text\n\xff\xfe").unwrap();
    std::fs::write(dir.join("d.txt"), with_copy("Fourth.")).unwrap();
    let before = snapshot(&dir);
    for args in [
        &["."][..],
        &["a.txt", "b.md", "c.txt", "d.txt"],
        &["d.txt", "c.txt"],
    ] {
        let (code, err) = check_fix(&dir, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("c.txt") && err.contains("UTF-8"), "{err}");
        assert_unchanged(&dir, &before, &format!("{args:?}"));
    }
}

#[test]
fn a_missing_file_or_a_broken_config_means_exit_2_and_no_file_changed() {
    let dir = tempdir("missing");
    std::fs::write(dir.join("a.txt"), with_copy("First.")).unwrap();
    let before = snapshot(&dir);
    let (code, err) = check_fix(&dir, &["a.txt", "nope.txt"]);
    assert_eq!(code, 2, "{err}");
    assert_unchanged(&dir, &before, "missing file");
    std::fs::write(dir.join("copydesk.toml"), "[duplicate-paragraph\n").unwrap();
    let before = snapshot(&dir);
    let (code, err) = check_fix(&dir, &["a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("copydesk.toml:1:"), "{err}");
    assert_unchanged(&dir, &before, "broken config");
}

#[test]
fn a_successful_fix_leaves_no_temporary_files_and_keeps_permissions() {
    let dir = tempdir("success");
    let a = dir.join("a.txt");
    std::fs::write(&a, with_copy("First.")).unwrap();
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, err) = check_fix(&dir, &["a.txt"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        format!("{PARA}\n\nFirst.\n")
    );
    assert_eq!(
        std::fs::metadata(&a).unwrap().permissions().mode() & 0o777,
        0o640
    );
    let names: Vec<_> = snapshot(&dir).into_iter().map(|(p, _)| p).collect();
    assert_eq!(names, vec![a]);
}

/// A write that fails part-way (here: the file-size limit is hit while the second file is
/// written) must leave every file as it was, including the first one.
#[test]
fn a_write_that_fails_part_way_changes_no_file() {
    let dir = tempdir("partial");
    // Small enough to be written under the limit...
    std::fs::write(dir.join("a.txt"), with_copy("First.")).unwrap();
    // ...and one whose fixed text is larger than 512 bytes.
    let long = "Long filler sentence for a paragraph that will stay in place. ".repeat(20);
    std::fs::write(dir.join("b.txt"), with_copy(&long)).unwrap();
    let before = snapshot(&dir);
    // SIGXFSZ ignored, so the write fails with EFBIG instead of killing the process.
    let out = Command::new("sh")
        .current_dir(&dir)
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 1 && exec '{}' check --fix a.txt b.txt",
            bin()
        ))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("b.txt"), "{err}");
    assert_unchanged(&dir, &before, "b.txt failed");
}

#[test]
fn fixing_through_a_symlink_fixes_the_target_and_keeps_the_link() {
    let dir = tempdir("symlink");
    std::fs::create_dir_all(dir.join("real")).unwrap();
    let target = dir.join("real/draft.txt");
    std::fs::write(&target, with_copy("First.")).unwrap();
    let link = dir.join("draft.txt");
    std::os::unix::fs::symlink("real/draft.txt", &link).unwrap();
    let (code, err) = check_fix(&dir, &["draft.txt"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a copy"
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        format!("{PARA}\n\nFirst.\n")
    );
}

#[test]
fn a_file_with_a_long_name_can_be_fixed() {
    let dir = tempdir("long-name");
    // 250 bytes: legal, but a temporary name built from it would not be.
    let name = format!("{}.txt", "n".repeat(246));
    std::fs::write(dir.join(&name), with_copy("First.")).unwrap();
    let (code, err) = check_fix(&dir, &[&name]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join(&name)).unwrap(),
        format!("{PARA}\n\nFirst.\n")
    );
}
