//! The core stays pure: no files, no async, no protocol in `syntax`, `format`, `report`,
//! `rules`, `fix`, `config` and the other core modules; only the adapters (`cli`, `lsp`,
//! `project`) touch the world.

use std::path::Path;

const CORE: &[&str] = &[
    "src/syntax",
    "src/report",
    "src/rules",
    "src/format.rs",
    "src/fix.rs",
    "src/config.rs",
    "src/diagnostic.rs",
    "src/text.rs",
    "src/lib.rs",
];
const FORBIDDEN: &[&str] = &[
    "std::fs",
    "tokio",
    "tower_lsp_server",
    "ls_types",
    "std::io::std",
];

fn files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            files(&e.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn the_core_does_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for c in CORE {
        files(&root.join(c), &mut all);
    }
    assert!(all.len() > 10);
    let mut bad = Vec::new();
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap();
        // Tests beside the code may use what they like.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for word in FORBIDDEN {
            if code.contains(word) {
                bad.push(format!("{}: {word}", f.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
