//! Workflows and transactions, between the GraphQL resolvers and the database.

pub mod accounts;
pub mod agencies;
pub mod attachments;
pub mod audit;
pub mod cache;
pub mod calendar;
pub mod catalog;
pub mod demo;
pub mod dossier;
pub mod events;
pub mod feedback;
pub mod forms;
pub mod identity;
pub mod inbox;
pub mod jobs;
pub mod kpi;
pub mod notify;
pub mod officials;
pub mod outbox;
pub mod payments;
pub mod printing;
pub mod problem;
pub mod rate_limit;
pub mod satisfaction;
pub mod sql;
pub mod units;

/// The repository's `catalog/` (procedures, administrative units, the demo province), built into
/// the binary: `motcua serve` seeds from it when the configured folder is the default and absent,
/// so the binary starts from any working directory.
static BUILT_IN: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/../catalog");

/// The JSON documents a seed reads: `(file name, text)` of the `*.json` files directly in `dir`,
/// sorted by name. When `dir` does not exist and is the setting's default (`catalog/<sub>`, a path
/// relative to the checkout), the built-in copy of `catalog/<sub>` is read; any other missing
/// folder is an error naming the setting.
///
/// # Errors
/// A missing or unreadable folder or file.
pub fn json_documents(
    dir: &std::path::Path,
    setting: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    use anyhow::Context;
    if !dir.is_dir() {
        let built_in = dir
            .strip_prefix("catalog")
            .ok()
            .filter(|_| dir.is_relative())
            .and_then(|sub| BUILT_IN.get_dir(sub));
        let Some(built_in) = built_in else {
            anyhow::bail!(
                "{setting}={}: no such folder (leave {setting} unset to use the copy built into motcua)",
                dir.display()
            );
        };
        let mut docs: Vec<(String, String)> = built_in
            .files()
            .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
            .filter_map(|f| {
                let name = f.path().file_name()?.to_string_lossy().into_owned();
                Some((name, f.contents_utf8()?.to_owned()))
            })
            .collect();
        docs.sort();
        return Ok(docs);
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("{setting}: cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((name, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::json_documents;
    use std::path::Path;

    #[test]
    fn a_missing_default_folder_reads_the_built_in_catalogue() {
        // Tests run in api/, where `catalog/procedures` does not exist.
        let docs = json_documents(Path::new("catalog/procedures"), "MOTCUA_CATALOG").unwrap();
        assert!(docs.len() >= 20, "{} procedures", docs.len());
        assert!(docs.windows(2).all(|w| w[0].0 < w[1].0), "sorted by name");
        let units = json_documents(Path::new("catalog/units"), "MOTCUA_UNITS").unwrap();
        assert!(units.iter().any(|(name, _)| name == "provinces.json"));
    }

    #[test]
    fn a_missing_folder_that_was_set_is_an_error_naming_the_setting() {
        let e = json_documents(Path::new("/nowhere/procedures"), "MOTCUA_CATALOG").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("MOTCUA_CATALOG=/nowhere/procedures"),
            "{text}"
        );
        assert!(json_documents(Path::new("catalog/nothing"), "MOTCUA_CATALOG").is_err());
    }
}
