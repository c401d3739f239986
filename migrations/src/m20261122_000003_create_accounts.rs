//! Agencies, accounts, roles, sessions and refresh tokens, external identities, login rate limits,
//! working-calendar adjustments and the append-only audit log.
//!
//! Times in these tables are Unix seconds (`BIGINT`): compared in SQL, identical on both databases.

use sea_orm_migration::prelude::*;

use crate::columns::{big, big_null, id, text, text_null};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// Creates the account tables.
#[derive(Debug, DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
    Code,
    NameVi,
    NameEn,
    AgencyType,
    Level,
    UnitCode,
    ParentId,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Kind,
    Login,
    FullName,
    Phone,
    Email,
    PasswordHash,
    MustChangePassword,
    Disabled,
    AuthzVersion,
    FailedLogins,
    LockedUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserRoles {
    Table,
    Id,
    UserId,
    Role,
    AgencyId,
}

#[derive(DeriveIden)]
enum IdentityLinks {
    Table,
    Issuer,
    Subject,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    Kid,
    IssuedAt,
    ExpiresAt,
    UsedAt,
    UsedByClient,
}

#[derive(DeriveIden)]
enum RateLimits {
    Table,
    Key,
    WindowStart,
    Count,
}

#[derive(DeriveIden)]
enum CalendarAdjustments {
    Table,
    Date,
    Kind,
    NameVi,
    NameEn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    Action,
    ObjectType,
    ObjectId,
    Detail,
    Outcome,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agencies::Table)
                    .if_not_exists()
                    .col(id(Agencies::Id))
                    .col(text(Agencies::Code).unique_key().to_owned())
                    .col(text(Agencies::NameVi))
                    .col(text(Agencies::NameEn))
                    .col(text(Agencies::AgencyType))
                    .col(text(Agencies::Level))
                    .col(text(Agencies::UnitCode))
                    .col(big_null(Agencies::ParentId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .if_not_exists()
                    .col(id(Users::Id))
                    .col(text(Users::Kind))
                    .col(text(Users::Login).unique_key().to_owned())
                    .col(text(Users::FullName))
                    .col(text_null(Users::Phone))
                    .col(text_null(Users::Email))
                    .col(text_null(Users::PasswordHash))
                    .col(
                        ColumnDef::new(Users::MustChangePassword)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(
                        ColumnDef::new(Users::Disabled)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(big(Users::AuthzVersion).default(1).to_owned())
                    .col(big(Users::FailedLogins).default(0).to_owned())
                    .col(big_null(Users::LockedUntil))
                    .col(big(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserRoles::Table)
                    .if_not_exists()
                    .col(id(UserRoles::Id))
                    .col(big(UserRoles::UserId))
                    .col(text(UserRoles::Role))
                    .col(big_null(UserRoles::AgencyId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRoles::Table, UserRoles::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserRoles::Table, UserRoles::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("user_roles_unique")
                    .table(UserRoles::Table)
                    .col(UserRoles::UserId)
                    .col(UserRoles::Role)
                    .col(UserRoles::AgencyId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdentityLinks::Table)
                    .if_not_exists()
                    .col(text(IdentityLinks::Issuer))
                    .col(text(IdentityLinks::Subject))
                    .col(big(IdentityLinks::UserId))
                    .col(big(IdentityLinks::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdentityLinks::Issuer)
                            .col(IdentityLinks::Subject),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IdentityLinks::Table, IdentityLinks::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .if_not_exists()
                    .col(text(Sessions::Id).primary_key().to_owned())
                    .col(big(Sessions::UserId))
                    .col(big(Sessions::CreatedAt))
                    .col(big(Sessions::ExpiresAt))
                    .col(big_null(Sessions::RevokedAt))
                    .col(text_null(Sessions::RevokedReason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sessions_user")
                    .table(Sessions::Table)
                    .col(Sessions::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .if_not_exists()
                    .col(id(RefreshTokens::Id))
                    .col(text(RefreshTokens::SessionId))
                    .col(text(RefreshTokens::TokenHash).unique_key().to_owned())
                    .col(text(RefreshTokens::Kid))
                    .col(big(RefreshTokens::IssuedAt))
                    .col(big(RefreshTokens::ExpiresAt))
                    .col(big_null(RefreshTokens::UsedAt))
                    .col(text_null(RefreshTokens::UsedByClient))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshTokens::Table, RefreshTokens::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RateLimits::Table)
                    .if_not_exists()
                    .col(text(RateLimits::Key).primary_key().to_owned())
                    .col(big(RateLimits::WindowStart))
                    .col(big(RateLimits::Count))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarAdjustments::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(CalendarAdjustments::Date)
                            .string_len(10)
                            .not_null()
                            .primary_key(),
                    )
                    .col(text(CalendarAdjustments::Kind))
                    .col(text(CalendarAdjustments::NameVi))
                    .col(text(CalendarAdjustments::NameEn))
                    .col(big(CalendarAdjustments::CreatedBy))
                    .col(big(CalendarAdjustments::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(id(AuditLog::Id))
                    .col(big(AuditLog::At))
                    .col(big_null(AuditLog::ActorUserId))
                    .col(text(AuditLog::Action))
                    .col(text(AuditLog::ObjectType))
                    .col(text(AuditLog::ObjectId))
                    .col(text(AuditLog::Detail))
                    .col(text(AuditLog::Outcome))
                    .to_owned(),
            )
            .await?;
        // The audit log is append-only for the application (SECURITY.md V5): the database itself
        // aborts UPDATE and DELETE.
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log \
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END; \
                     CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log \
                     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
                )
                .await?;
            }
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     RAISE EXCEPTION 'audit_log is append-only'; END; $$; \
                     DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log; \
                     CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log \
                     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();",
                )
                .await?;
            }
            _ => {}
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            CalendarAdjustments::Table.into_iden(),
            RateLimits::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            IdentityLinks::Table.into_iden(),
            UserRoles::Table.into_iden(),
            Users::Table.into_iden(),
            Agencies::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
