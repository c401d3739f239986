//! Raw statements that sea-orm's query builder cannot express portably (atomic upserts with
//! `RETURNING`, counters), written once with `?` placeholders.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, Statement, Value};

/// A statement for the connection's database: `?` placeholders become `$1, $2, …` on PostgreSQL.
pub fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    Statement::from_sql_and_values(backend, placeholders(backend, sql), values)
}

/// `?` → `$n` for PostgreSQL (the statements here hold no `?` inside string literals).
fn placeholders(backend: DbBackend, sql: &str) -> String {
    if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    }
}

/// Whether a write failed on a unique index: another request (or instance) wrote the same key
/// first, which callers answer as "exists already" rather than as a failure.
#[must_use]
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Keyset paging: the rows that come after the cursor `(at, id)` in a list sorted by `at_col`
/// then `id_col`, newest first (`descending`) or oldest first.
pub fn past_cursor<C: ColumnTrait>(
    (at_col, id_col): (C, C),
    (at, id): &(i64, String),
    descending: bool,
) -> Condition {
    let (beyond, tie) = if descending {
        (at_col.lt(*at), id_col.lt(id.as_str()))
    } else {
        (at_col.gt(*at), id_col.gt(id.as_str()))
    };
    Condition::any()
        .add(beyond)
        .add(Condition::all().add(at_col.eq(*at)).add(tie))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_on_postgres() {
        assert_eq!(
            placeholders(DbBackend::Postgres, "SELECT ? + ?"),
            "SELECT $1 + $2"
        );
        assert_eq!(placeholders(DbBackend::Sqlite, "SELECT ?"), "SELECT ?");
    }
}
