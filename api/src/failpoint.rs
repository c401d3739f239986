//! Named points where a debug build can be made to abort, to test recovery from a crash at the
//! worst moment (a payment applied but not committed). `MOTCUA_FAILPOINTS=name,name` turns them
//! on; release builds compile them out.

/// Aborts the process when failpoint `name` is on (debug builds only).
pub fn hit(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("MOTCUA_FAILPOINTS").is_ok_and(|v| v.split(',').any(|n| n.trim() == name)) {
        eprintln!("failpoint {name}: aborting");
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
