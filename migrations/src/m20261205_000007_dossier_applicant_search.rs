//! The applicant's name folded for search (lower case, without diacritics, `motcua_core::text::fold`)
//! so that officials find "Nguyễn Văn An" by typing "nguyen van an". The dossiers filed before
//! the column are folded here, once, with the core's own fold (a pure function, no IO).

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
    ApplicantName,
    ApplicantSearch,
}

#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dossiers::Table)
                    .add_column(
                        ColumnDef::new(Dossiers::ApplicantSearch)
                            .text()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let select = Query::select()
            .columns([Dossiers::Id, Dossiers::ApplicantName])
            .from(Dossiers::Table)
            .to_owned();
        for row in db.query_all(&select).await? {
            let id: String = row.try_get("", "id")?;
            let name: String = row.try_get("", "applicant_name")?;
            let update = Query::update()
                .table(Dossiers::Table)
                .value(Dossiers::ApplicantSearch, motcua_core::text::fold(&name))
                .and_where(Expr::col(Dossiers::Id).eq(id))
                .to_owned();
            db.execute(&update).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dossiers::Table)
                    .drop_column(Dossiers::ApplicantSearch)
                    .to_owned(),
            )
            .await
    }
}
