//! The `motcua` binary: a thin shell over the library's commands.

use std::process::ExitCode;

fn main() -> ExitCode {
    motcua_api::cli::main()
}
