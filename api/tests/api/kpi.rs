//! The Decision 766 index from the event log (issue 17): counts of a ward's month, every
//! drill-down adding up to its headline, and who may see what.

use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::*;

const INDEX: &str = "query($s: IndexScope!, $p: String!) { qualityIndex(scope: $s, period: $p) {
  totalCenti grade colour groups { group scoreCenti indicators { code numerator denominator scoreCenti } } } }";
const ITEMS: &str =
    "query($s: IndexScope!, $p: String!, $i: String!, $part: IndexPart!, $o: Int, $f: Int) {
  qualityIndexItems(scope: $s, period: $p, indicator: $i, part: $part, offset: $o, first: $f) {
    count weight items { dossierId code weight } } }";
const REPORT: &str = "query($p: String!) { qualityReport(period: $p) { period
  province { totalCenti } agencies { kind agencyId unitCode name index { totalCenti } }
  communes { kind unitCode name index { totalCenti groups { indicators { code numerator denominator } } } } } }";

/// This month in Vietnam, as the index takes it.
fn this_month() -> String {
    chrono::Utc::now()
        .with_timezone(&motcua_core::deadline::VN_OFFSET)
        .format("%Y-%m")
        .to_string()
}

async fn calendar(app: &TestApp) -> motcua_core::calendar::WorkingCalendar {
    let spec = motcua_api::service::calendar::spec::spec(&app.db, false)
        .await
        .unwrap();
    motcua_core::calendar::WorkingCalendar::new(&spec).unwrap()
}

fn indicator<'a>(index: &'a Value, code: &str) -> &'a Value {
    index["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["indicators"].as_array().unwrap().iter())
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("no {code}"))
}

#[actix_web::test]
async fn a_wards_month_counted_from_its_events_and_every_count_drilled_down() {
    for db in databases() {
        let app = TestApp::spawn(&db, motcua_api::config::Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let (citizen, _) = app.login(CITIZEN).await;
        // One returned on time and rated; one paid at the desk; one filed and not received.
        let done = file(&app, &clerk, "2.000815", "kpi-1").await;
        act(&app, &clerk, "receiveDossier", &done, 1, "").await;
        act(&app, &specialist, "startProcessing", &done, 2, "").await;
        act(&app, &leader, "resolveDossier", &done, 3, "").await;
        act(&app, &clerk, "returnResult", &done, 4, "").await;
        let (_, r) = app
            .call(
                Some(&citizen),
                "mutation($i: RateDossierInput!) { rateDossier(input: $i) { survey { points } } }",
                json!({ "i": { "dossierId": done, "indicators": [2, 2, 2, 2, 2, 2, 2, 2, 1],
                    "convenience": "SATISFIED", "overall": "UNSATISFIED" } }),
            )
            .await;
        assert_eq!(r["data"]["rateDossier"]["survey"]["points"], 17, "{r}");
        let paid = file(&app, &clerk, "2.000815", "kpi-2").await;
        act(&app, &clerk, "receiveDossier", &paid, 1, "").await;
        act(&app, &specialist, "startProcessing", &paid, 2, "").await;
        act(&app, &specialist, "requestPayment", &paid, 3, "").await;
        let (_, d) = app
            .call(
                Some(&clerk),
                "query($id: ID!) { dossier(id: $id) { feeTotal } }",
                json!({ "id": paid }),
            )
            .await;
        let fee = d["data"]["dossier"]["feeTotal"].as_i64().unwrap();
        let r = act(
            &app,
            &clerk,
            "recordPayment",
            &paid,
            4,
            &format!("amount: {fee}, receiptNumber: \"BL-K1\""),
        )
        .await;
        assert_eq!(r["dossier"]["status"], "PROCESSING", "{db}: {r}");
        file(&app, &clerk, "2.000815", "kpi-3").await;

        let agency = app.agency_id("000.00.51.H42").await;
        let scope = json!({ "kind": "AGENCY", "agencyId": agency });
        let month = this_month();
        let (_, r) = app
            .call(Some(&leader), INDEX, json!({ "s": scope, "p": month }))
            .await;
        let index = r["data"]["qualityIndex"].clone();
        assert!(index.is_object(), "{db}: {r}");
        let counts = |code: &str| {
            let i = indicator(&index, code);
            (
                i["numerator"].as_i64().unwrap(),
                i["denominator"].as_i64().unwrap(),
            )
        };
        assert_eq!(counts("ONLINE_SHARE"), (0, 3), "{db}");
        assert_eq!(
            counts("TRANSPARENCY_INTAKE"),
            (2, 3),
            "{db}: received the same day"
        );
        assert_eq!(counts("PROGRESS_ON_TIME"), (1, 1), "{db}");
        assert_eq!(counts("ELECTRONIC_RESULTS"), (0, 1), "{db}");
        assert_eq!(counts("SATISFACTION_OVERALL"), (0, 1), "{db}");
        assert_eq!(counts("SATISFACTION_INDICATORS"), (17, 18), "{db}");
        assert_eq!(counts("SATISFACTION_CONVENIENCE"), (1, 1), "{db}");
        assert_eq!(counts("ONLINE_PAYMENT"), (0, 1), "{db}");
        assert_eq!(indicator(&index, "PROGRESS_ON_TIME")["scoreCenti"], 2000);
        // Nothing to judge: N/A, not zero.
        assert_eq!(counts("TRANSPARENCY_COMPLAINTS"), (0, 0));
        assert!(indicator(&index, "TRANSPARENCY_COMPLAINTS")["scoreCenti"].is_null());
        // The same figures from the core's op on the same counts.
        let facts = json!({
            "filed": 3, "received_timely": 2, "received": 2, "finished": 1, "finished_on_time": 1,
            "finished_with_result": 1, "surveys": 1, "survey_points": 17, "convenience_satisfied": 1,
            "fee_paid": 1,
            "procedures_online": counts("ONLINE_PROCEDURES").1,
            "digitised": counts("DIGITISED_DOSSIERS").0,
        });
        let core = motcua_core::ops::call("kpi.index", &json!({ "facts": facts })).unwrap();
        assert_eq!(
            index["totalCenti"], core["total_centi"],
            "{db}: {index} vs {core}"
        );

        // Every count is the total of what is behind it.
        for g in index["groups"].as_array().unwrap() {
            for i in g["indicators"].as_array().unwrap() {
                for (part, key) in [("NUMERATOR", "numerator"), ("DENOMINATOR", "denominator")] {
                    let (_, r) = app
                        .call(
                            Some(&leader),
                            ITEMS,
                            json!({ "s": scope, "p": month, "i": i["code"], "part": part }),
                        )
                        .await;
                    let page = &r["data"]["qualityIndexItems"];
                    let items = page["items"].as_array().unwrap_or_else(|| panic!("{r}"));
                    let total: i64 = items.iter().map(|x| x["weight"].as_i64().unwrap()).sum();
                    assert_eq!(
                        total,
                        i[key].as_i64().unwrap(),
                        "{db}: {} {part}",
                        i["code"]
                    );
                    assert_eq!(page["weight"], i[key], "{db}: {r}");
                    assert_eq!(
                        page["count"].as_u64(),
                        Some(items.len() as u64),
                        "{db}: {r}"
                    );
                }
            }
        }
        let (_, r) = app
            .call(
                Some(&leader),
                ITEMS,
                json!({ "s": scope, "p": month, "i": "PROGRESS_ON_TIME", "part": "NUMERATOR" }),
            )
            .await;
        assert_eq!(
            r["data"]["qualityIndexItems"]["items"][0]["dossierId"],
            done.as_str(),
            "{r}"
        );
        // Pages: one item at a time, from an offset; a page too large or negative is refused.
        let (_, r) = app
            .call(
                Some(&leader),
                ITEMS,
                json!({ "s": scope, "p": month, "i": "ONLINE_SHARE", "part": "DENOMINATOR", "o": 1, "f": 1 }),
            )
            .await;
        let page = &r["data"]["qualityIndexItems"];
        assert_eq!(
            (
                page["count"].as_i64(),
                page["items"].as_array().map(Vec::len)
            ),
            (Some(3), Some(1)),
            "{r}"
        );
        for (o, f) in [(-1, 10), (0, 0), (0, 501)] {
            let (_, r) = app
                .call(
                    Some(&leader),
                    ITEMS,
                    json!({ "s": scope, "p": month, "i": "ONLINE_SHARE", "part": "DENOMINATOR", "o": o, "f": f }),
                )
                .await;
            assert_eq!(code(&r), "INVALID_INPUT", "{o} {f}: {r}");
        }

        // Who sees what: the ward's own people; leaders for the province; nobody else.
        let (_, r) = app
            .call(Some(&citizen), INDEX, json!({ "s": scope, "p": month }))
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");
        let (other, _) = app.login("tiepnhan.tamthanh").await;
        let (_, r) = app
            .call(Some(&other), INDEX, json!({ "s": scope, "p": month }))
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");
        let province = json!({ "kind": "PROVINCE" });
        let (_, r) = app
            .call(
                Some(&specialist),
                INDEX,
                json!({ "s": province, "p": month }),
            )
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");
        let (_, r) = app
            .call(Some(&leader), INDEX, json!({ "s": province, "p": month }))
            .await;
        assert!(r["data"]["qualityIndex"]["groups"].is_array(), "{r}");
        for bad in ["2026-13", "26", ""] {
            let (_, r) = app
                .call(Some(&leader), INDEX, json!({ "s": scope, "p": bad }))
                .await;
            assert_eq!(code(&r), "INVALID_INPUT", "{bad}: {r}");
        }
        // The commune of the ward: the same dossiers (filed to its unit).
        let (_, r) = app
            .call(Some(&leader), "{ agencies { code unitCode } }", json!({}))
            .await;
        let unit = r["data"]["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == "000.00.51.H42")
            .unwrap()["unitCode"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, r) = app
            .call(
                Some(&leader),
                INDEX,
                json!({ "s": { "kind": "COMMUNE", "unitCode": unit }, "p": month }),
            )
            .await;
        let commune = r["data"]["qualityIndex"].clone();
        assert_eq!(
            indicator(&commune, "ONLINE_SHARE")["denominator"],
            3,
            "{db}: {r}"
        );
        // The report: every agency and commune from one reading, each as asked alone.
        let (_, r) = app.call(Some(&leader), REPORT, json!({ "p": month })).await;
        let report = &r["data"]["qualityReport"];
        assert!(report["province"].is_object(), "{db}: {r}");
        let ward = report["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["agencyId"] == agency)
            .unwrap_or_else(|| panic!("{r}"));
        assert_eq!(ward["index"]["totalCenti"], index["totalCenti"], "{db}");
        let mine = report["communes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["unitCode"] == unit.as_str())
            .unwrap_or_else(|| panic!("{r}"));
        assert_eq!(mine["index"]["totalCenti"], commune["totalCenti"], "{db}");
        assert!(mine["name"].as_str().unwrap().contains("Đông Kinh"), "{r}");
        assert_eq!(
            report["agencies"].as_array().unwrap().len(),
            r["data"]["qualityReport"]["agencies"]
                .as_array()
                .unwrap()
                .len()
        );
        // An agency's clerk: no province, their own agency and commune only.
        let (_, r) = app.call(Some(&clerk), REPORT, json!({ "p": month })).await;
        let own = &r["data"]["qualityReport"];
        assert!(own["province"].is_null(), "{db}: {r}");
        let ids: Vec<&Value> = own["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["agencyId"])
            .collect();
        assert_eq!(ids, vec![&Value::String(agency.clone())], "{db}: {r}");
        assert_eq!(own["communes"].as_array().unwrap().len(), 1, "{db}: {r}");
        assert_eq!(
            own["communes"][0]["index"]["totalCenti"], commune["totalCenti"],
            "{db}: {r}"
        );
        let (_, r) = app
            .call(Some(&citizen), REPORT, json!({ "p": month }))
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");
        // The spreadsheet, read back: the total and each indicator's counts as on the page.
        let get = |path: String, token: Option<String>| {
            let app = &app;
            async move {
                let mut r = app.client.get(format!("{}{path}", app.address));
                if let Some(t) = token {
                    r = r.bearer_auth(t);
                }
                let r = r.send().await.unwrap();
                (r.status().as_u16(), r.bytes().await.unwrap())
            }
        };
        let query = format!("?scope=AGENCY&agency={agency}&period={month}");
        let (status, xlsx) = get(format!("/kpi/index.xlsx{query}"), Some(leader.clone())).await;
        assert_eq!(status, 200, "{db}");
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
        let sheet = book.worksheet_range("Chi so 766").unwrap();
        let cell =
            |row: &[calamine::Data], i: usize| row.get(i).cloned().unwrap_or(calamine::Data::Empty);
        let rows: Vec<Vec<calamine::Data>> = sheet.rows().map(<[calamine::Data]>::to_vec).collect();
        let total = cell(&rows[1], 1);
        match index["totalCenti"].as_i64() {
            Some(t) => assert_eq!(total, calamine::Data::Float(t as f64 / 100.0), "{db}"),
            None => assert_eq!(total, calamine::Data::Empty, "{db}"),
        }
        let share = rows
            .iter()
            .find(|r| cell(r, 1) == calamine::Data::String("ONLINE_SHARE".to_owned()))
            .unwrap();
        assert_eq!(
            (cell(share, 5), cell(share, 6)),
            (calamine::Data::Float(0.0), calamine::Data::Float(3.0))
        );
        let (status, csv) = get(format!("/kpi/index.csv{query}"), Some(leader.clone())).await;
        assert_eq!(status, 200);
        let csv = String::from_utf8(csv.to_vec()).unwrap();
        assert!(
            csv.contains("PROGRESS_ON_TIME") && csv.contains("Tiến độ giải quyết"),
            "{csv}"
        );
        assert_eq!(
            get(format!("/kpi/index.xlsx{query}"), Some(citizen.clone()))
                .await
                .0,
            404
        );
        assert_eq!(get(format!("/kpi/index.xlsx{query}"), None).await.0, 401);
        assert_eq!(
            get(format!("/kpi/index.pdf{query}"), Some(leader.clone()))
                .await
                .0,
            400
        );

        // Open data: the province and every agency, counts and points only, for anyone.
        let (status, body) = get(format!("/open-data/index.json?period={month}"), None).await;
        assert_eq!(status, 200, "{db}");
        let open: Value = serde_json::from_slice(&body).unwrap();
        let ward = open["agencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["agency"] == "000.00.51.H42")
            .unwrap();
        assert_eq!(
            ward["index"]["total_centi"], index["totalCenti"],
            "{db}: {open}"
        );
        let text = open.to_string();
        let (_, d) = app
            .call(
                Some(&clerk),
                "query($id: ID!) { dossier(id: $id) { code applicantName } }",
                json!({ "id": done }),
            )
            .await;
        for private in [
            &d["data"]["dossier"]["code"],
            &d["data"]["dossier"]["applicantName"],
        ] {
            assert!(
                !text.contains(private.as_str().unwrap()),
                "{db}: {private} in open data"
            );
        }
        // Asked at once: computed one at a time per instance, each period once, every answer
        // whole (the year thrice: one computation, two answers kept).
        let year = &month[..4];
        let asked = [
            year.to_owned(),
            year.to_owned(),
            format!("{year}-Q1"),
            year.to_owned(),
            format!("{year}-01"),
        ];
        let answers = futures_util::future::join_all(
            asked
                .iter()
                .map(|p| get(format!("/open-data/index.json?period={p}"), None)),
        )
        .await;
        for (p, (status, _)) in asked.iter().zip(&answers) {
            assert_eq!(*status, 200, "{db}: open data for {p}");
        }
        assert_eq!(answers[0].1, answers[1].1, "{db}");
        assert_eq!(answers[0].1, answers[3].1, "{db}");
        assert_ne!(answers[0].1, answers[2].1, "{db}");

        // A closed period computed again gives the same figures, and the facts recomputed from
        // the event log are the ones kept.
        let (_, again) = app
            .call(Some(&leader), INDEX, json!({ "s": scope, "p": month }))
            .await;
        assert_eq!(again["data"]["qualityIndex"], index, "{db}");
        let calendar = calendar(&app).await;
        let rebuilt = motcua_api::service::kpi::facts::rebuild(&app.db, &calendar)
            .await
            .unwrap();
        assert_eq!(rebuilt.written, 0, "{db}: {rebuilt:?}");
        assert!(rebuilt.checked >= 3, "{db}: {rebuilt:?}");
    }
}

/// The facts counted in the database against the core's rules applied dossier by dossier, on a
/// generated province (every commune with its desks): the year, a quarter and this month, the
/// province and each agency; and the generator's event log rebuilds to the same facts.
#[actix_web::test]
async fn generated_province_counted_in_the_database_as_the_core_judges_each_dossier() {
    use motcua_api::service::kpi::{Period, Scope, Window, counts, facts, generate};
    use motcua_core::kpi::{Facts, events};
    for db in databases() {
        let app = TestApp::spawn(&db, motcua_api::config::Mode::Development).await;
        let calendar = calendar(&app).await;
        let now = motcua_api::auth::now();
        let today = chrono::Utc::now().with_timezone(&motcua_core::deadline::VN_OFFSET);
        let year: i32 = today.format("%Y").to_string().parse().unwrap();
        let options = generate::Options {
            dossiers: 3000,
            year,
            seed: 17,
            every_commune: true,
            now,
        };
        let g = generate::generate(&app.db, &calendar, &options, |_| {})
            .await
            .unwrap();
        assert_eq!(g.dossiers, 3000);
        assert!(g.agencies_added > 100, "{db}: {g:?}");
        let rebuilt = facts::rebuild(&app.db, &calendar).await.unwrap();
        assert_eq!((rebuilt.checked, rebuilt.written), (3000, 0), "{db}");
        // A database from before the facts were kept: the missing rows are written at start-up.
        use sea_orm::ConnectionTrait;
        app.db
            .execute_unprepared(
                "DELETE FROM dossier_facts WHERE dossier_id IN \
                 (SELECT dossier_id FROM dossier_facts ORDER BY dossier_id DESC LIMIT 250)",
            )
            .await
            .unwrap();
        assert_eq!(
            facts::catch_up(&app.db, &calendar).await.unwrap(),
            250,
            "{db}"
        );
        assert_eq!(
            facts::catch_up(&app.db, &calendar).await.unwrap(),
            0,
            "{db}"
        );
        assert_eq!(
            facts::rebuild(&app.db, &calendar).await.unwrap().written,
            0,
            "{db}"
        );

        let rows = facts::stored(&app.db).await.unwrap();
        let complaints = motcua_api::db::entities::feedback::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert!(
            !complaints.is_empty(),
            "{db}: the generator files complaints"
        );
        let vn = motcua_api::clock::vn;
        let quarter = today
            .format("%m")
            .to_string()
            .parse::<u32>()
            .unwrap()
            .div_ceil(3);
        for label in [
            format!("{year}"),
            format!("{year}-Q{quarter}"),
            today.format("%Y-%m").to_string(),
        ] {
            let period = Period::parse(&label).unwrap();
            let (s, e) = (period.start.timestamp(), period.end.timestamp());
            let as_of = vn(now).min(period.end);
            // The core's judgement of each dossier, counted here.
            let judge = |keep: &dyn Fn(&facts::Row) -> bool| {
                let mut f = Facts::default();
                let inside = |t: Option<i64>| t.is_some_and(|t| t >= s && t < e);
                for r in rows.iter().filter(|r| keep(r)) {
                    let filed = inside(Some(r.filed_at));
                    let received = inside(r.received_at);
                    let finished = inside(r.finished_at);
                    let open_overdue = r.received_at.is_some_and(|t| t < e)
                        && r.finished_at.is_none_or(|t| t >= e)
                        && r.due_at.is_some_and(|d| events::open_overdue(vn(d), as_of));
                    let late = (finished && r.late) || open_overdue;
                    for (name, yes) in [
                        ("filed", filed),
                        ("filed_online", filed && r.online),
                        ("received_timely", filed && r.received_in_time),
                        ("received", received),
                        ("digitised", received && r.digitised),
                        ("finished", finished),
                        ("finished_on_time", finished && !r.late),
                        ("open_overdue", open_overdue),
                        ("late", late),
                        (
                            "late_apologised",
                            late && r.apologised_at.is_some_and(|t| t < e),
                        ),
                        ("finished_with_result", finished && r.with_result),
                        (
                            "results_electronic",
                            finished && r.with_result && r.result_electronic,
                        ),
                        ("fee_paid", inside(r.paid_at)),
                        ("fee_paid_online", inside(r.paid_at) && r.paid_online),
                    ] {
                        f.add(name, u64::from(yes));
                    }
                }
                f
            };
            let window = Window::new(&period, now);
            let all = counts::breakdown(&app.db, &Scope::Province, window)
                .await
                .unwrap();
            // Read in parts (page ranges of one snapshot on PostgreSQL), the same counts.
            let parts = counts::breakdown_in_parts(&app.db, &Scope::Province, window, 1)
                .await
                .unwrap();
            assert_eq!(parts, all, "{db} {label}: read in parts");
            let expected = judge(&|_| true);
            let names = [
                "filed",
                "filed_online",
                "received_timely",
                "received",
                "digitised",
                "finished",
                "finished_on_time",
                "open_overdue",
                "late",
                "late_apologised",
                "finished_with_result",
                "results_electronic",
                "fee_paid",
                "fee_paid_online",
            ];
            for name in names {
                assert_eq!(
                    all.total.get(name),
                    expected.get(name),
                    "{db} {label}: {name}"
                );
            }
            assert!(
                expected.filed > 0 && expected.finished > 0,
                "{db} {label}: {expected:?} of {}",
                rows.len()
            );
            // Complaints: due in the period so far, answered by the core's on_time.
            let due: Vec<_> = complaints
                .iter()
                .filter(|c| c.resolve_by >= s && c.resolve_by < as_of.timestamp())
                .collect();
            let on_time = due
                .iter()
                .filter(|c| {
                    c.answered_at
                        .is_some_and(|a| events::on_time(vn(a), vn(c.resolve_by)))
                })
                .count() as u64;
            assert_eq!(
                (all.total.complaints_due, all.total.complaints_on_time),
                (due.len() as u64, on_time),
                "{db} {label}"
            );
            // Each agency alone, and as a line of the province's report.
            for (id, line) in all.agencies.iter().filter(|(_, f)| f.filed > 0).take(5) {
                let alone = counts::breakdown(&app.db, &Scope::Agency(*id), window)
                    .await
                    .unwrap()
                    .total;
                assert_eq!(&alone, line, "{db} {label}: agency {id}");
                let expected = judge(&|r| r.competent_agency_id == *id);
                for name in names {
                    assert_eq!(
                        line.get(name),
                        expected.get(name),
                        "{db} {label} {id}: {name}"
                    );
                }
            }
            // The communes' lines add up to the province's dossiers.
            let filed: u64 = all.communes.values().map(|f| f.filed).sum();
            assert_eq!(filed, all.total.filed, "{db} {label}");
            // A page from the middle of a long list is the list's own slice.
            let page = counts::behind(&app.db, &Scope::Province, window, &[("filed", 1)], 10, 5)
                .await
                .unwrap();
            assert_eq!(page.count, all.total.filed, "{db} {label}");
            assert_eq!(
                page.items.len(),
                5.min(all.total.filed.saturating_sub(10) as usize)
            );
        }
    }
}
