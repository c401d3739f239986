//! Every procedure of the demo catalogue (`catalog/procedures`) loads, and its samples behave.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use motcua_core::catalog::Procedure;
use std::path::PathBuf;

fn entries() -> Vec<(PathBuf, serde_json::Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let v = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p, v)
        })
        .collect()
}

#[test]
fn every_catalogue_procedure_loads_and_its_samples_behave() {
    let entries = entries();
    assert!(!entries.is_empty());
    let mut problems = Vec::new();
    for (path, value) in &entries {
        match Procedure::load(value) {
            Ok(p) => {
                let stem = path.file_stem().unwrap().to_string_lossy();
                if p.code != stem {
                    problems.push(format!(
                        "{}: code {} differs from the file name",
                        path.display(),
                        p.code
                    ));
                }
                for problem in p.check_samples() {
                    problems.push(format!("{}: {problem}", path.display()));
                }
            }
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
