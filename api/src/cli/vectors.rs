//! `motcua vectors`: the native conformance-vector runner (`../shared/vectors/README.md`).

use motcua_core::ops::vectors::{self, Report};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `motcua vectors`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Vector files, or folders searched recursively for `*.json` in sorted path order.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Expands the arguments into files: a folder means every `*.json` in it and its subfolders.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        let mut found = Vec::new();
        for entry in entries {
            if entry.is_dir() {
                collect(&entry, &mut found)?;
            } else if entry.extension().is_some_and(|e| e == "json") {
                found.push(entry);
            }
        }
        found.sort();
        files.extend(found);
    } else {
        files.push(path.to_path_buf());
    }
    Ok(())
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    let mut broken = 0usize;
    for path in &args.paths {
        if let Err(e) = collect(path, &mut files) {
            eprintln!("{}: cannot read: {e}", path.display());
            broken += 1;
        }
    }
    let mut total = Report::default();
    for file in &files {
        let report = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|text| vectors::check_text(&text).map_err(|e| e.to_string()));
        match report {
            Ok(report) => {
                for f in &report.failed {
                    println!("FAIL {} ({})", f.id, file.display());
                    println!("  expected: {}", f.expected);
                    println!("  actual:   {}", f.actual);
                }
                total.passed += report.passed;
                total.failed.extend(report.failed);
            }
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                broken += 1;
            }
        }
    }
    if broken > 0 {
        eprintln!("{broken} file(s) could not be read or parsed");
    }
    println!("{} passed, {} failed", total.passed, total.failed.len());
    Ok(if total.failed.is_empty() && broken == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
