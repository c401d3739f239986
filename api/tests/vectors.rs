//! The native vector runner, run as a user runs it: the `motcua vectors` binary on real folders.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn motcua(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn summary(stdout: &str) -> (usize, usize) {
    let line = stdout.lines().last().unwrap();
    let mut parts = line.split(' ');
    let passed = parts.next().unwrap().parse().unwrap();
    let failed = parts.nth(1).unwrap().parse().unwrap();
    (passed, failed)
}

#[test]
fn every_shared_vector_passes_natively() {
    let shared = root().join("../shared/vectors");
    assert!(
        shared.is_dir(),
        "../shared/vectors must sit beside the checkout"
    );
    let (ok, stdout, stderr) = motcua(&["vectors", "../shared/vectors"]);
    assert!(ok, "{stdout}\n{stderr}");
    let (passed, failed) = summary(&stdout);
    assert!(passed >= 279, "{stdout}");
    assert_eq!(failed, 0);
}

#[test]
fn every_project_vector_passes_natively() {
    let (ok, stdout, stderr) = motcua(&["vectors", "tests/vectors"]);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(summary(&stdout).0 > 0);
}

#[test]
fn a_failing_case_is_printed_and_fails_the_run() {
    let dir = tempdir("failing");
    std::fs::write(
        dir.join("a.json"),
        r#"{"suite": "x", "cases": [
            {"id": "wrong-on-purpose", "op": "lunar.from_solar", "input": {"date": "2020-01-25"},
             "expect": {"day": 2}},
            {"id": "right", "op": "lunar.from_solar", "input": {"date": "2020-01-25"},
             "expect": {"day": 1}}]}"#,
    )
    .unwrap();
    std::fs::write(dir.join("ignored.txt"), "not json").unwrap();
    let (ok, stdout, _) = motcua(&["vectors", dir.to_str().unwrap()]);
    assert!(!ok);
    assert!(stdout.contains("wrong-on-purpose"), "{stdout}");
    assert_eq!(summary(&stdout), (1, 1));
}

#[test]
fn an_unknown_op_is_a_failure_not_a_skip() {
    let dir = tempdir("unknown-op");
    std::fs::write(
        dir.join("a.json"),
        r#"{"cases": [{"id": "u", "op": "fee.teleport", "input": {}, "expect": {}}]}"#,
    )
    .unwrap();
    let (ok, stdout, _) = motcua(&["vectors", dir.to_str().unwrap()]);
    assert!(!ok);
    assert_eq!(summary(&stdout), (0, 1));
}

#[test]
fn unreadable_and_malformed_files_fail_with_a_clear_error() {
    let dir = tempdir("malformed");
    std::fs::write(dir.join("broken.json"), "{\"cases\": [").unwrap();
    let (ok, stdout, stderr) = motcua(&["vectors", dir.to_str().unwrap(), "no/such/file.json"]);
    assert!(!ok);
    assert!(stderr.contains("broken.json: not valid JSON"), "{stderr}");
    assert!(
        stderr.contains("no/such/file.json: cannot read"),
        "{stderr}"
    );
    assert_eq!(summary(&stdout), (0, 0));
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("motcua-vectors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
