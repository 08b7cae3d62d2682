//! `nianbao lsp` driven by a real client: headless Neovim runs tests/nvim/e2e.lua against the
//! built binary (diagnostics, a code action applied with Neovim's own workspace-edit code,
//! the diagnostic gone after the change, hover, symbols, shutdown).
//!
//! Without `nvim` on the PATH the test writes "SKIPPED: nvim not found" to stderr (where
//! `cargo test` shows it) and passes, unless NIANBAO_REQUIRE_E2E=1 (as in CI), when it fails.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn nvim_available() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Write a line to the process's stderr itself: libtest captures what `print!` and `eprint!`
/// write in a test and shows it only when the test fails, so a skip announced with them is
/// never seen.
fn notice(message: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{message}");
    let _ = stderr.flush();
}

#[test]
fn neovim_applies_a_quick_fix() {
    if !nvim_available() {
        if std::env::var("NIANBAO_REQUIRE_E2E").is_ok_and(|v| v == "1") {
            panic!("nvim not found, and NIANBAO_REQUIRE_E2E=1");
        }
        notice("SKIPPED: nvim not found");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("nianbao-nvim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("datong-eco-2023.txt");
    std::fs::copy(root.join("tests/corpus/datong-eco-2023.txt"), &file).unwrap();
    let result = dir.join("result.txt");
    let _ = std::fs::remove_file(&result);

    let mut child = Command::new("nvim")
        .args(["--headless", "--noplugin", "-u", "NONE", "-i", "NONE", "-n"])
        .arg("-c")
        .arg(format!(
            "luafile {}",
            root.join("tests/nvim/e2e.lua").display()
        ))
        .current_dir(&dir)
        .env("NIANBAO_BIN", env!("CARGO_BIN_EXE_nianbao"))
        .env("NIANBAO_README", root.join("editors/neovim/README.md"))
        // The README's configuration runs `nianbao` from the PATH: the binary under test.
        .env("PATH", path_with_binary())
        .env("NIANBAO_FILE", &file)
        .env("NIANBAO_RESULT", &result)
        .env("NIANBAO_LOG", "warn")
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .env("XDG_CACHE_HOME", &dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let report =
        std::fs::read_to_string(&result).unwrap_or_else(|_| "(no result file)".to_string());
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use std::io::Read;
        let _ = e.read_to_string(&mut stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let status = status.unwrap_or_else(|| panic!("nvim timed out\n{report}\n{stderr}"));
    assert!(
        status.success() && report.starts_with("PASS"),
        "nvim: {status}\n{report}\n{stderr}"
    );
    println!("{report}");
}

/// Without nvim the skip shows in the output of a passing run, and NIANBAO_REQUIRE_E2E=1 makes
/// it a failure: this test binary run again on the Neovim test, with an empty PATH.
#[test]
fn a_missing_nvim_is_reported() {
    let empty = std::env::temp_dir().join(format!("nianbao-no-nvim-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let run = |require: &str| {
        Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "neovim_applies_a_quick_fix", "--test-threads=1"])
            .env("PATH", &empty)
            .env("NIANBAO_REQUIRE_E2E", require)
            .stdin(Stdio::null())
            .output()
            .expect("run the test binary")
    };
    let skipped = run("0");
    let required = run("1");
    let _ = std::fs::remove_dir_all(&empty);
    let text = |o: &std::process::Output| {
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    assert!(skipped.status.success(), "{}", text(&skipped));
    assert!(
        String::from_utf8_lossy(&skipped.stderr).contains("SKIPPED: nvim not found"),
        "{}",
        text(&skipped)
    );
    assert!(!required.status.success(), "{}", text(&required));
    assert!(
        text(&required).contains("nvim not found, and NIANBAO_REQUIRE_E2E=1"),
        "{}",
        text(&required)
    );
}

/// `PATH` with the built binary's folder first.
fn path_with_binary() -> std::ffi::OsString {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_nianbao"));
    let dir = bin.parent().expect("the binary's folder").to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&rest)))
        .expect("a valid PATH")
}
