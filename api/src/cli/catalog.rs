//! `motcua catalog check [DIR]`: loads every procedure of the catalogue and checks its samples, so
//! a provincial team editing forms and fees sees problems before deploying them.

use motcua_core::catalog::Procedure;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `motcua catalog`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Load every `*.json` procedure in DIR (default `catalog/procedures`) and check its samples.
    Check {
        /// The folder of procedure files.
        #[arg(default_value = "catalog/procedures")]
        dir: PathBuf,
    },
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Command::Check { dir } = &args.command;
    let files = crate::service::json_documents(dir, "the folder")?;
    let (mut ok, mut bad) = (0, 0);
    for (file, text) in &files {
        let problems: Vec<String> = match serde_json::from_str(text)
            .map_err(|e| format!("not JSON: {e}"))
            .and_then(|v| Procedure::load(&v).map_err(|e| e.to_string()))
        {
            Ok(p) => {
                let mut problems = p.check_samples();
                if file.strip_suffix(".json") != Some(p.code.as_str()) {
                    problems.push(format!("the file name should be {}.json", p.code));
                }
                if problems.is_empty() {
                    println!("ok    {}  {}", p.code, p.name.vi);
                }
                problems
            }
            Err(e) => vec![e],
        };
        if problems.is_empty() {
            ok += 1;
        } else {
            bad += 1;
            println!("FAIL  {file}");
            for p in problems {
                println!("      {p}");
            }
        }
    }
    println!("{ok} passed, {bad} failed");
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
