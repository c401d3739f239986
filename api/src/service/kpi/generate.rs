//! The benchmark's province-year (issue 17): dossiers with their whole event log — filed,
//! received, processed, some late and apologised for, finished, paid (some online), rated,
//! complained about — written as the service would have written them, with their index facts
//! from the same [`facts::compute`], so `motcua kpi rebuild` afterwards finds nothing to change.
//!
//! Deterministic for a seed; due dates and complaint deadlines come from the core's calendar
//! rules. Development databases only (the CLI refuses production).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, TimeZone};
use motcua_core::calendar::WorkingCalendar;
use motcua_core::deadline::{
    self, DEFAULT_CUTOFF, DueRequest, DurationUnit, Pauses, ProcessingTime, VN_OFFSET,
};
use motcua_core::dossier::{Channel, Status};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, NotSet,
    Set, TransactionTrait,
};
use serde_json::json;

use super::facts::{self, Event, Extra};
use crate::clock::vn;
use crate::db::entities::{
    agency, attachment, dossier, dossier_history, feedback, payment, satisfaction_survey,
};
use crate::error::ApiError;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many dossiers.
    pub dossiers: u64,
    /// The year they are filed in (events after `now` are left to happen).
    pub year: i32,
    /// The random seed.
    pub seed: u64,
    /// Give every commune of the province a People's Committee and a police desk first.
    pub every_commune: bool,
    /// Unix seconds: nothing happens after it.
    pub now: i64,
}

/// What was generated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated {
    /// Dossiers.
    pub dossiers: u64,
    /// Rows of every table written (dossiers, history, facts, payments, documents, surveys,
    /// complaints).
    pub rows: u64,
    /// Agencies added for communes that had none.
    pub agencies_added: u64,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("generator: {e}"))
}

/// A procedure that can be filed.
#[derive(Debug, Clone)]
struct Procedure {
    code: String,
    version_id: i64,
    agency_type: String,
    online: bool,
    /// Processing time in working days.
    days: u32,
    /// Its fee (0: none).
    fee: i64,
}

/// One commune's desks.
#[derive(Debug, Clone)]
struct Commune {
    unit: String,
    /// The agencies in it by type.
    by_type: BTreeMap<String, i64>,
    /// Where dossiers are filed (the People's Committee's one-stop desk).
    desk: i64,
}

/// Agencies: the communes', and the province's by type.
struct Province {
    communes: Vec<Commune>,
    provincial: BTreeMap<String, (i64, String)>,
    codes: BTreeMap<i64, String>,
}

async fn load_province(
    db: &DatabaseConnection,
    every_commune: bool,
) -> Result<(Province, u64), ApiError> {
    let mut agencies = crate::service::agencies::list(db, None, None, None).await?;
    let province = agencies
        .iter()
        .find(|a| a.level == "PROVINCE")
        .ok_or_else(|| internal("no provincial agency: seed the catalogue first"))?
        .clone();
    let mut added = 0;
    if every_commune {
        let units = crate::service::units::list(db, Some(&province.unit_code), None).await?;
        let suffix = province.code.rsplit('.').next().unwrap_or("H00").to_owned();
        let mut taken: std::collections::BTreeSet<String> =
            agencies.iter().map(|a| a.code.clone()).collect();
        for (k, u) in units.iter().enumerate() {
            for (kind, name, group) in [
                ("COMMUNE_PEOPLES_COMMITTEE", "Ủy ban nhân dân", 61),
                ("COMMUNE_POLICE", "Công an", 62),
            ] {
                if agencies
                    .iter()
                    .any(|a| a.unit_code == u.code && a.agency_type == kind)
                {
                    continue;
                }
                let code = format!("{:03}.{group:02}.{:02}.{suffix}", 100 + k / 100, k % 100);
                if !taken.insert(code.clone()) {
                    continue;
                }
                let row = agency::ActiveModel {
                    id: NotSet,
                    code: Set(code),
                    name_vi: Set(format!("{name} {}", u.name)),
                    name_en: Set(format!("{} {}", kind.replace('_', " "), u.name_en)),
                    agency_type: Set(kind.to_owned()),
                    level: Set("COMMUNE".to_owned()),
                    unit_code: Set(u.code.clone()),
                    parent_id: Set(Some(province.id)),
                };
                agencies.push(row.insert(db).await?);
                added += 1;
            }
        }
    }
    let mut communes: BTreeMap<String, Commune> = BTreeMap::new();
    let mut provincial = BTreeMap::new();
    for a in &agencies {
        if a.level == "COMMUNE" {
            let c = communes.entry(a.unit_code.clone()).or_insert(Commune {
                unit: a.unit_code.clone(),
                by_type: BTreeMap::new(),
                desk: a.id,
            });
            c.by_type.insert(a.agency_type.clone(), a.id);
            if a.agency_type == "COMMUNE_PEOPLES_COMMITTEE" {
                c.desk = a.id;
            }
        } else {
            provincial
                .entry(a.agency_type.clone())
                .or_insert((a.id, a.unit_code.clone()));
        }
    }
    let codes = agencies.iter().map(|a| (a.id, a.code.clone())).collect();
    Ok((
        Province {
            communes: communes.into_values().collect(),
            provincial,
            codes,
        },
        added,
    ))
}

async fn load_procedures(db: &DatabaseConnection) -> Result<Vec<Procedure>, ApiError> {
    // The latest published version of each procedure.
    let mut latest: BTreeMap<String, crate::db::entities::procedure_version::Model> =
        BTreeMap::new();
    for v in crate::db::entities::procedure_version::Entity::find()
        .all(db)
        .await?
    {
        if v.published && latest.get(&v.procedure_code).is_none_or(|l| l.id < v.id) {
            latest.insert(v.procedure_code.clone(), v);
        }
    }
    let mut out = Vec::new();
    for p in crate::db::entities::procedure::Entity::find()
        .all(db)
        .await?
    {
        let Some(v) = latest.get(&p.code) else {
            continue;
        };
        let definition: serde_json::Value = serde_json::from_str(&v.definition).unwrap_or_default();
        let days = definition
            .pointer("/processing_time/in_person/value")
            .and_then(serde_json::Value::as_u64)
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| (1..=60).contains(d))
            .unwrap_or(5);
        let fee = definition
            .pointer("/fees/versions/0/items/0/amount/fixed")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0);
        out.push(Procedure {
            code: p.code.clone(),
            version_id: v.id,
            agency_type: p.agency_type.clone(),
            online: p.online_mode != "NONE",
            days,
            fee,
        });
    }
    if out.is_empty() {
        return Err(internal("no procedures: seed the catalogue first"));
    }
    Ok(out)
}

/// Every dossier of one batch, with its rows.
#[derive(Default)]
struct Batch {
    dossiers: Vec<dossier::ActiveModel>,
    history: Vec<dossier_history::ActiveModel>,
    facts: Vec<facts::Row>,
    payments: Vec<payment::ActiveModel>,
    attachments: Vec<attachment::ActiveModel>,
    surveys: Vec<satisfaction_survey::ActiveModel>,
    complaints: Vec<feedback::ActiveModel>,
}

impl Batch {
    fn rows(&self) -> u64 {
        (self.dossiers.len()
            + self.history.len()
            + self.facts.len()
            + self.payments.len()
            + self.attachments.len()
            + self.surveys.len()
            + self.complaints.len()) as u64
    }

    async fn write(self, db: &DatabaseConnection) -> Result<(), ApiError> {
        let txn = db.begin().await?;
        // A statement's parameters stay under SQLite's 32,766.
        for chunk in self.dossiers.chunks(400) {
            dossier::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        for chunk in self.history.chunks(2000) {
            dossier_history::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        facts::write(&txn, &self.facts).await?;
        for chunk in self.payments.chunks(800) {
            payment::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        for chunk in self.attachments.chunks(1500) {
            attachment::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        for chunk in self.surveys.chunks(1000) {
            satisfaction_survey::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        for chunk in self.complaints.chunks(800) {
            feedback::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

fn uuid(rng: &mut fastrand::Rng) -> String {
    let n = rng.u128(..);
    let n = (n & !(0xf << 76)) | (0x4 << 76);
    let n = (n & !(0x3 << 62)) | (0x2 << 62);
    let h = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn at(t: DateTime<FixedOffset>) -> i64 {
    t.timestamp()
}

/// A PDF of `component` attached to dossier `dossier` (a scanned document, or the result).
fn pdf(id: String, owner: i64, dossier: &str, component: &str, at: i64) -> attachment::ActiveModel {
    attachment::Model {
        storage_key: format!("generated/{dossier}/{id}"),
        id,
        owner_user_id: owner,
        dossier_id: Some(dossier.to_owned()),
        component_id: Some(component.to_owned()),
        content_type: "application/pdf".to_owned(),
        size: 100_000,
        sha256: "0".repeat(64),
        original_name: format!("{}.pdf", component.to_lowercase()),
        created_at: at,
    }
    .into_active_model()
    .reset_all()
}

/// The history row of a move.
fn event(
    id: &str,
    t: i64,
    actor: i64,
    action: &str,
    from: Status,
    to: Status,
) -> dossier_history::ActiveModel {
    dossier_history::ActiveModel {
        id: NotSet,
        dossier_id: Set(id.to_owned()),
        at: Set(t),
        actor_user_id: Set(Some(actor)),
        role: Set("OFFICIAL".to_owned()),
        action: Set(action.to_owned()),
        from_status: Set(from.as_str().to_owned()),
        to_status: Set(to.as_str().to_owned()),
        reason: Set(None),
        detail: Set("{}".to_owned()),
    }
}

/// Generates `o.dossiers` dossiers of `o.year` in batches, calling `progress` after each with
/// the number written so far.
///
/// # Errors
/// A database failure; an empty catalogue.
pub async fn generate(
    db: &DatabaseConnection,
    calendar: &WorkingCalendar,
    o: &Options,
    progress: impl Fn(u64),
) -> Result<Generated, ApiError> {
    let (province, agencies_added) = load_province(db, o.every_commune).await?;
    let procedures = load_procedures(db).await?;
    let user: i64 = db
        .query_one_raw(crate::service::sql::statement(
            db,
            "SELECT id FROM users ORDER BY id LIMIT 1",
            Vec::new(),
        ))
        .await?
        .ok_or_else(|| internal("no account to file as: seed the demo accounts first"))?
        .try_get("", "id")?;
    let start = VN_OFFSET
        .with_ymd_and_hms(o.year, 1, 1, 0, 0, 0)
        .single()
        .ok_or_else(|| internal("year"))?;
    let end = VN_OFFSET
        .with_ymd_and_hms(o.year + 1, 1, 1, 0, 0, 0)
        .single()
        .ok_or_else(|| internal("year"))?;
    let span = (at(end).min(o.now) - at(start)).max(86_400);
    let mut rng = fastrand::Rng::with_seed(o.seed);
    let mut out = Generated {
        agencies_added,
        ..Generated::default()
    };
    let mut batch = Batch::default();
    for n in 0..o.dossiers {
        let (Some(commune), Some(p)) = (rng.choice(&province.communes), rng.choice(&procedures))
        else {
            return Err(internal("no commune with a desk: seed the agencies first"));
        };
        // Commune procedures are decided in the commune; the others by the provincial agency,
        // through the province's public service centre.
        let (competent, receiving) = match commune.by_type.get(&p.agency_type) {
            Some(id) => (*id, commune.desk),
            None => match province.provincial.get(&p.agency_type) {
                Some((id, _)) => (
                    *id,
                    province
                        .provincial
                        .get("PUBLIC_SERVICE_CENTER")
                        .map_or(commune.desk, |(c, _)| *c),
                ),
                None => (commune.desk, commune.desk),
            },
        };
        let channel = match rng.u8(..100) {
            0..55 if p.online => Channel::Online,
            55..58 => Channel::Postal,
            _ => Channel::InPerson,
        };
        // Filed in office hours mostly; online filings at any hour.
        let day = at(start) + rng.i64(0..span) / 86_400 * 86_400;
        let filed = if channel == Channel::Online {
            day + rng.i64(0..86_400)
        } else {
            day + rng.i64(7 * 3600 + 1800..16 * 3600 + 1800)
        };
        let id = uuid(&mut rng);
        let code = format!(
            "{}-{}-{:07}",
            province
                .codes
                .get(&receiving)
                .map_or("000.00.00.H00", String::as_str),
            vn(filed).format("%y%m%d"),
            n
        );
        let mut d = dossier::Model {
            id: id.clone(),
            code: Some(code),
            procedure_code: p.code.clone(),
            procedure_version_id: p.version_id,
            applicant_user_id: Some(user),
            applicant_name: "Nguyễn Văn Thử".to_owned(),
            applicant_search: "nguyen van thu".to_owned(),
            applicant_id_number: format!("0{:011}", rng.u64(..100_000_000_000)),
            filed_by_user_id: user,
            channel: i64::from(channel.national_code()),
            receiving_agency_id: receiving,
            competent_agency_id: competent,
            status: Status::Submitted.as_str().to_owned(),
            status_code: i64::from(Status::Submitted.national_code()),
            form_data: "{}".to_owned(),
            fee_total: Some(p.fee),
            fee_quote: None,
            submitted_at: Some(filed),
            received_at: None,
            due_at: None,
            due_detail: None,
            supplement_count: 0,
            redate_count: 0,
            missing: None,
            version: 1,
            created_at: filed,
            updated_at: filed,
            handling_agency_id: None,
            handler_user_id: None,
            paused_since: None,
            pauses: None,
            deadline_state: "ON_TRACK".to_owned(),
            original_due_at: None,
            payment_amount: None,
            paid_at: None,
            payment_ref: None,
            result_attachment_id: None,
            return_method: None,
            intake_by: Some(
                motcua_core::kpi::events::intake_deadline(calendar, vn(filed))
                    .map_err(internal)?
                    .timestamp(),
            ),
        };
        let mut events = vec![(filed, "SUBMIT", Status::Draft, Status::Submitted)];
        let mut documents = false;
        let mut paid_online = false;
        let mut status = Status::Submitted;
        let mut last = filed;
        // Intake: most the same or the next working day; a few refused.
        let received = filed
            + if rng.u8(..100) < 90 {
                rng.i64(600..20 * 3600)
            } else {
                rng.i64(86_400..5 * 86_400)
            };
        if rng.u8(..100) < 2 && received <= o.now {
            events.push((received, "REFUSE", status, Status::Refused));
            status = Status::Refused;
            last = received;
        } else if received <= o.now {
            events.push((received, "RECEIVE", status, Status::Received));
            status = Status::Received;
            last = received;
            d.received_at = Some(received);
            if channel != Channel::Online && rng.bool() {
                documents = true;
                batch
                    .attachments
                    .push(pdf(uuid(&mut rng), user, &id, "TP1", received));
            }
            let due = deadline::due(
                &DueRequest {
                    received_at: vn(received),
                    duration: ProcessingTime {
                        unit: DurationUnit::WorkingDays,
                        value: p.days,
                    },
                    same_day_cutoff: DEFAULT_CUTOFF,
                    pauses: Pauses::default(),
                },
                calendar,
            )
            .map_err(internal)?
            .due_at;
            d.due_at = Some(due.to_rfc3339());
            let due = at(due);
            let started = received + rng.i64(600..4 * 3600);
            if started <= o.now {
                events.push((started, "START_PROCESSING", status, Status::Processing));
                status = Status::Processing;
                last = started;
            }
            // The fee, after intake; some paid through a gateway.
            if p.fee > 0 && status == Status::Processing {
                let paid = started + rng.i64(600..2 * 86_400);
                if paid <= o.now {
                    d.payment_amount = Some(p.fee);
                    d.paid_at = Some(paid);
                    d.payment_ref = Some(format!("BL{n:09}"));
                    if channel == Channel::Online || rng.u8(..100) < 30 {
                        paid_online = true;
                        batch.payments.push(payment::ActiveModel {
                            id: NotSet,
                            reference: Set(format!("G{n:011}")),
                            dossier_id: Set(id.clone()),
                            open_dossier_id: Set(None),
                            agency_id: Set(competent),
                            provider: Set("VNPAY".to_owned()),
                            amount: Set(p.fee),
                            lines: Set("[]".to_owned()),
                            status: Set("PAID".to_owned()),
                            payer_name: Set("Nguyễn Văn Thử".to_owned()),
                            created_by: Set(user),
                            idempotency_key: Set(format!("gen-{n}")),
                            created_at: Set(paid - 120),
                            updated_at: Set(paid),
                            paid_at: Set(Some(paid)),
                            gateway_txn: Set(Some(format!("{n}"))),
                            gateway_code: Set(Some("00".to_owned())),
                            receipt_number: Set(Some(format!("BL{n:09}"))),
                            next_query_at: Set(None),
                            query_count: Set(0),
                            query_lease_until: Set(None),
                            refunded_amount: Set(0),
                        });
                    }
                }
            }
            // Most are finished on time; some late, half of those apologised for first.
            let window = (due - started).max(3600);
            let finished = if rng.u8(..100) < 92 {
                started + rng.i64(window / 5..window)
            } else {
                due + rng.i64(3600..10 * 86_400)
            };
            if finished > due && finished <= o.now && rng.bool() {
                let apology = (due - 86_400).max(started + 60);
                let new_due = due + 5 * 86_400;
                events.push((apology, "APOLOGIZE_AND_REDATE", status, status));
                d.original_due_at = d.due_at.clone();
                d.due_at = Some(vn(new_due).to_rfc3339());
                d.redate_count = 1;
            }
            if status == Status::Processing && finished <= o.now {
                let end = match rng.u8(..100) {
                    0..3 => Status::Stopped,
                    3..6 => Status::Withdrawn,
                    _ => Status::Resolved,
                };
                let action = match end {
                    Status::Stopped => "STOP",
                    Status::Withdrawn => "WITHDRAW",
                    _ => "RESOLVE",
                };
                events.push((finished, action, status, end));
                status = end;
                last = finished;
                if end == Status::Resolved {
                    if rng.u8(..100) < 60 {
                        let file = uuid(&mut rng);
                        d.result_attachment_id = Some(file.clone());
                        batch
                            .attachments
                            .push(pdf(file, user, &id, "KET_QUA", finished));
                    }
                    let returned = finished + rng.i64(600..3 * 86_400);
                    if returned <= o.now {
                        events.push((returned, "RETURN_RESULT", status, Status::Returned));
                        status = Status::Returned;
                        last = returned;
                        d.return_method = Some(
                            if d.result_attachment_id.is_some() {
                                "ONLINE"
                            } else {
                                "DESK"
                            }
                            .to_owned(),
                        );
                        let rated = returned + rng.i64(600..3 * 86_400);
                        if rng.u8(..100) < 20 && rated <= o.now {
                            let points = rng.i64(9..=18);
                            let answer = |r: u8| match r {
                                0..70 => "SATISFIED",
                                70..90 => "VERY_SATISFIED",
                                _ => "UNSATISFIED",
                            };
                            batch.surveys.push(satisfaction_survey::ActiveModel {
                                id: NotSet,
                                dossier_id: Set(id.clone()),
                                user_id: Set(user),
                                receiving_agency_id: Set(receiving),
                                competent_agency_id: Set(competent),
                                unit_code: Set(commune.unit.clone()),
                                officials: Set("[]".to_owned()),
                                indicators: Set(json!({}).to_string()),
                                points: Set(points),
                                convenience: Set(answer(rng.u8(..100)).to_owned()),
                                overall: Set(answer(rng.u8(..100)).to_owned()),
                                comment: Set(None),
                                created_at: Set(rated),
                            });
                        }
                    }
                }
            }
            // A complaint now and then, answered mostly in time.
            if rng.u16(..1000) < 2 && received + 86_400 <= o.now {
                let filed_c = received + 86_400;
                let dl =
                    motcua_core::feedback::deadlines(calendar, vn(filed_c)).map_err(internal)?;
                let answered = filed_c
                    + if rng.u8(..100) < 85 {
                        rng.i64(3600..(at(dl.resolve_by) - filed_c).max(7200))
                    } else {
                        at(dl.resolve_by) + rng.i64(3600..5 * 86_400)
                    };
                let answered = (answered <= o.now).then_some(answered);
                batch.complaints.push(feedback::ActiveModel {
                    id: NotSet,
                    about: Set("DOSSIER".to_owned()),
                    reference: Set(d.code.clone().unwrap_or_default()),
                    dossier_id: Set(Some(id.clone())),
                    agency_id: Set(competent),
                    user_id: Set(Some(user)),
                    name: Set("Nguyễn Văn Thử".to_owned()),
                    phone: Set(None),
                    email: Set(None),
                    subject: Set("Hỏi tiến độ hồ sơ".to_owned()),
                    content: Set("Đề nghị cho biết tiến độ giải quyết hồ sơ.".to_owned()),
                    status: Set(if answered.is_some() { "ANSWERED" } else { "RECEIVED" }.to_owned()),
                    received_at: Set(filed_c),
                    refuse_by: Set(at(dl.refuse_by)),
                    info_by: Set(at(dl.request_info_by)),
                    resolve_by: Set(at(dl.resolve_by)),
                    answered_at: Set(answered),
                    answered_by: Set(answered.map(|_| user)),
                    answer: Set(answered.map(|_| "Hồ sơ đang được giải quyết đúng hạn.".to_owned())),
                    publish_by: Set(None),
                    published_at: Set(None),
                    public_text: Set(None),
                    client_ip: Set(None),
                    ..Default::default()
                });
            }
        }
        d.status = status.as_str().to_owned();
        d.status_code = i64::from(status.national_code());
        d.updated_at = last;
        d.version = i64::try_from(events.len()).unwrap_or(1);
        events.sort_by_key(|e| e.0);
        let log: Vec<Event> = events
            .iter()
            .map(|(t, action, _, to)| Event {
                at: *t,
                action: (*action).to_owned(),
                to_status: to.as_str().to_owned(),
            })
            .collect();
        let extra = Extra {
            documents,
            paid_online,
            intake_by: d.intake_by,
        };
        batch.facts.extend(facts::compute(&d, &log, extra));
        for (t, action, from, to) in events {
            batch.history.push(event(&id, t, user, action, from, to));
        }
        batch.dossiers.push(d.into_active_model().reset_all());
        out.dossiers += 1;
        if batch.dossiers.len() >= 2000 {
            out.rows += batch.rows();
            std::mem::take(&mut batch).write(db).await?;
            progress(out.dossiers);
        }
    }
    out.rows += batch.rows();
    batch.write(db).await?;
    progress(out.dossiers);
    Ok(out)
}
