//! The crate's modules form layers, and no module reaches up a layer (issue 13 item 2):
//!
//! text → core data → document model → language layer → facts and sources → rules → config
//! → engine → server / CLI.
//!
//! This test reads `src/**/*.rs`, collects every path a module names (`use` trees, `crate::…`
//! and `super::…` paths in code; test code left out), resolves each to the module that defines
//! the item (following `pub use` re-exports, which are not dependencies of their own) and fails
//! on any edge from a lower layer to a higher one, so an import circle between layers cannot
//! come back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path prefix → layer (the longest prefix decides). Lower numbers are lower layers.
const LAYERS: &[(&str, u8, &str)] = &[
    ("text", 0, "text"),
    ("analysis::finding", 1, "core data"),
    ("analysis::normalize", 1, "core data"),
    ("analysis::cache", 1, "core data"),
    ("analysis::quoted", 1, "core data"),
    ("analysis::document", 2, "document model"),
    ("analysis::suppress", 2, "document model"),
    ("analysis::lang", 3, "language layer"),
    ("analysis::sources", 4, "facts and sources"),
    ("analysis::rules", 5, "rules"),
    ("config", 6, "config"),
    ("analysis", 7, "engine"),
    ("", 8, "server / CLI"),
];

fn layer(module: &str) -> (u8, &'static str) {
    LAYERS
        .iter()
        .filter(|(p, _, _)| p.is_empty() || module == *p || module.starts_with(&format!("{p}::")))
        .max_by_key(|(p, _, _)| p.len())
        .map(|&(_, n, name)| (n, name))
        .unwrap()
}

struct Module {
    file: PathBuf,
    /// Code with comments and `#[cfg(test)]` items removed.
    code: String,
}

fn modules(src: &Path) -> BTreeMap<String, Module> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(src).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                let code = strip_tests(&strip_comments(&std::fs::read_to_string(&p).unwrap()));
                out.insert(parts.join("::"), Module { file: p, code });
            }
        }
    }
    // Files that are test modules (`#[cfg(test)] mod tests;`) are not part of the graph.
    let mut test_files: Vec<PathBuf> = Vec::new();
    for md in out.values() {
        let raw = strip_comments(&std::fs::read_to_string(&md.file).unwrap());
        let dir = md.file.parent().unwrap();
        let stem = md.file.file_stem().unwrap().to_string_lossy().into_owned();
        let own_dir = if matches!(stem.as_str(), "mod" | "lib" | "main") {
            dir.to_path_buf()
        } else {
            dir.join(&stem)
        };
        for (name, path) in test_mod_decls(&raw) {
            match path {
                Some(p) => test_files.push(dir.join(p)),
                None => {
                    test_files.push(own_dir.join(format!("{name}.rs")));
                    test_files.push(own_dir.join(&name));
                }
            }
        }
    }
    out.retain(|_, md| !test_files.iter().any(|t| md.file.starts_with(t)));
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c as char);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1] as char);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else {
            if c == b'"' && !(i > 0 && b[i - 1] == b'\'') {
                in_str = true;
            }
            // Keep bytes as they are (only ASCII matters for paths).
            out.push(if c.is_ascii() { c as char } else { ' ' });
            i += 1;
        }
    }
    out
}

/// Remove every item under `#[cfg(test)]` (a `mod x;` line, or an item up to its closing brace).
fn strip_tests(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let semi = after.find(';').unwrap_or(after.len());
        let brace = after.find('{').unwrap_or(after.len());
        if semi < brace {
            rest = &after[(semi + 1).min(after.len())..];
            continue;
        }
        let mut depth = 0usize;
        let mut end = after.len();
        for (k, ch) in after.char_indices().skip(brace) {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// `#[cfg(test)] mod name;` declarations, with their `#[path]` when given.
fn test_mod_decls(s: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("#[cfg(test)]") {
        let mut after = rest[i + "#[cfg(test)]".len()..].trim_start();
        let mut path = None;
        if let Some(p) = after.strip_prefix("#[path = \"")
            && let Some(end) = p.find('"')
        {
            path = Some(p[..end].to_string());
            after = p[end..].trim_start_matches(['"', ']']).trim_start();
        }
        let after = after.strip_prefix("pub(crate) ").unwrap_or(after);
        if let Some(m) = after.strip_prefix("mod ") {
            let name: String = m
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if m[name.len()..].trim_start().starts_with(';') {
                out.push((name, path));
            }
        }
        rest = &rest[i + 1..];
    }
    out
}

/// The paths of one `use` tree (`a::{b, c::{d as e, *}}`), each with its local name.
fn expand_use(tree: &str) -> Vec<(Vec<String>, String)> {
    fn go(prefix: &[String], s: &str, out: &mut Vec<(Vec<String>, String)>) {
        let s = s.trim();
        if let Some(open) = s.find('{') {
            let mut base = prefix.to_vec();
            base.extend(
                s[..open]
                    .split("::")
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from),
            );
            let inner = &s[open + 1..s.rfind('}').unwrap()];
            let (mut depth, mut start) = (0, 0);
            for (k, ch) in inner.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        go(&base, &inner[start..k], out);
                        start = k + 1;
                    }
                    _ => {}
                }
            }
            go(&base, &inner[start..], out);
        } else if !s.is_empty() {
            let (path, alias) = match s.split_once(" as ") {
                Some((p, a)) => (p.trim(), Some(a.trim())),
                None => (s, None),
            };
            let mut full = prefix.to_vec();
            full.extend(path.split("::").map(|x| x.trim().to_string()));
            if full.last().is_some_and(|l| l == "self") {
                full.pop();
            }
            let name = alias
                .map(String::from)
                .unwrap_or_else(|| full.last().cloned().unwrap_or_default());
            out.push((full, name));
        }
    }
    let mut out = Vec::new();
    go(&[], tree, &mut out);
    out
}

/// `use` statements of a module: (public re-export?, tree).
fn use_statements(code: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let b = code.as_bytes();
    let mut i = 0;
    while let Some(k) = code[i..].find("use ") {
        let at = i + k;
        let word_start = at == 0 || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_');
        i = at + 4;
        if !word_start {
            continue;
        }
        let line_start = code[..at].rfind(['\n', ';', '{', '}']).map_or(0, |p| p + 1);
        let before = code[line_start..at].trim();
        let public = before.starts_with("pub");
        if !(before.is_empty() || public) {
            continue;
        }
        let Some(end) = code[at..].find(';') else {
            break;
        };
        out.push((public, code[at + 4..at + end].to_string()));
        i = at + end;
    }
    out
}

/// Absolute module path of a path written in module `m` (`crate::`, `super::`, `self::` or a
/// child module's name); `None` for external crates and std.
fn absolute(m: &str, path: &[String], mods: &BTreeMap<String, Module>) -> Option<Vec<String>> {
    let mut here: Vec<String> = if m.is_empty() {
        Vec::new()
    } else {
        m.split("::").map(String::from).collect()
    };
    let first = path.first()?.as_str();
    match first {
        "crate" => Some(path[1..].to_vec()),
        "super" | "self" => {
            let mut k = 0;
            while k < path.len() && (path[k] == "super" || path[k] == "self") {
                if path[k] == "super" {
                    here.pop();
                }
                k += 1;
            }
            here.extend(path[k..].iter().cloned());
            Some(here)
        }
        _ => {
            let mut child = here.clone();
            child.push(first.to_string());
            if mods.contains_key(&child.join("::")) {
                child.extend(path[1..].iter().cloned());
                Some(child)
            } else {
                None
            }
        }
    }
}

struct Graph {
    mods: BTreeMap<String, Module>,
    /// (module, local name) → the absolute path it re-exports.
    reexports: BTreeMap<(String, String), Vec<String>>,
}

impl Graph {
    fn new(mods: BTreeMap<String, Module>) -> Self {
        let mut reexports = BTreeMap::new();
        for (m, md) in &mods {
            for (public, tree) in use_statements(&md.code) {
                if !public {
                    continue;
                }
                for (path, name) in expand_use(&tree) {
                    if let Some(abs) = absolute(m, &path, &mods) {
                        reexports.insert((m.clone(), name), abs);
                    }
                }
            }
        }
        Graph { mods, reexports }
    }

    /// The module defining the item an absolute path names.
    fn resolve(&self, path: &[String], depth: usize) -> Option<String> {
        for n in (0..=path.len()).rev() {
            let m = path[..n].join("::");
            if !self.mods.contains_key(&m) {
                continue;
            }
            if let Some(next) = path.get(n)
                && let Some(target) = self.reexports.get(&(m.clone(), next.clone()))
                && depth < 8
            {
                let mut full = target.clone();
                full.extend(path[n + 1..].iter().cloned());
                return self.resolve(&full, depth + 1).or(Some(m));
            }
            return Some(m);
        }
        None
    }

    /// Every (module, dependency, what was named) edge, ancestors of a module excepted when the
    /// item is a submodule declaration.
    fn edges(&self) -> BTreeSet<(String, String, String)> {
        let mut out = BTreeSet::new();
        for (m, md) in &self.mods {
            let mut paths: Vec<Vec<String>> = Vec::new();
            for (_, tree) in use_statements(&md.code) {
                paths.extend(expand_use(&tree).into_iter().map(|(p, _)| p));
            }
            // Paths written inline in code.
            for start in ["crate::", "super::"] {
                let mut i = 0;
                while let Some(k) = md.code[i..].find(start) {
                    let at = i + k;
                    i = at + start.len();
                    let b = md.code.as_bytes();
                    if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
                        continue;
                    }
                    let tail: String = md.code[at..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    if tail.ends_with("::") {
                        continue; // a `use` tree's prefix (`crate::a::{…}`), read above
                    }
                    paths.push(
                        tail.split("::")
                            .filter(|x| !x.is_empty())
                            .map(String::from)
                            .collect(),
                    );
                }
            }
            for p in paths {
                let Some(abs) = absolute(m, &p, &self.mods) else {
                    continue;
                };
                let Some(dep) = self.resolve(&abs, 0) else {
                    continue;
                };
                if dep != *m {
                    out.insert((m.clone(), dep, abs.join("::")));
                }
            }
        }
        out
    }
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    Graph::new(modules(&src))
}

#[test]
fn no_module_reaches_up_a_layer() {
    let g = graph();
    assert!(g.mods.len() > 40, "read the crate's modules");
    let mut bad = Vec::new();
    for (m, dep, named) in g.edges() {
        let (lm, nm) = layer(&m);
        let (ld, nd) = layer(&dep);
        if ld > lm {
            bad.push(format!(
                "{m} ({nm}) uses {named}, defined in {dep} ({nd}, a higher layer)"
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "modules reaching up a layer:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checker_sees_the_edges_it_must() {
    let g = graph();
    let edges = g.edges();
    let has = |m: &str, d: &str| edges.iter().any(|(a, b, _)| a == m && b == d);
    // A re-export is followed to the defining module...
    assert!(has("analysis::rules::duplicate", "analysis::finding"));
    assert!(!has("analysis::rules::duplicate", "analysis"));
    // ...and ordinary uses are seen, with `super::` and brace groups.
    assert!(has("analysis", "analysis::rules"));
    assert!(has("config", "analysis::rules::settings"));
    assert!(has("analysis::document::chunks", "analysis::cache"));
    assert_eq!(layer("analysis::rules::quote::para").1, "rules");
    assert_eq!(layer("analysis").1, "engine");
    assert_eq!(layer("server::store").1, "server / CLI");
    // An upward edge would be caught: the engine uses rules, so rules using it is flagged.
    let (lr, _) = layer("analysis::rules::duplicate");
    let (le, _) = layer("analysis::memo");
    assert!(le > lr);
}

#[test]
fn use_trees_expand() {
    let got = expand_use("crate::a::{b, c::{d as e, F}, self}");
    let names: Vec<String> = got
        .iter()
        .map(|(p, n)| format!("{}={n}", p.join("::")))
        .collect();
    assert_eq!(
        names,
        [
            "crate::a::b=b",
            "crate::a::c::d=e",
            "crate::a::c::F=F",
            "crate::a=a"
        ]
    );
}
