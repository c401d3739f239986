//! `schema.graphql` is what `motcua export-schema` prints: a change to the schema must come with
//! its regenerated file in the same commit.

#[test]
fn the_committed_schema_has_not_drifted() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql")).unwrap();
    assert!(
        committed == motcua_api::cli::serve::sdl(),
        "schema.graphql is stale: run `cargo run -q -p motcua-api -- export-schema > schema.graphql`"
    );
}
