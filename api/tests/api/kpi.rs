//! The Decision 766 index from the event log (issue 17): counts of a ward's month, every
//! drill-down adding up to its headline, and who may see what.

use serde_json::{Value, json};

use crate::helpers::*;

const INDEX: &str = "query($s: IndexScope!, $p: String!) { qualityIndex(scope: $s, period: $p) {
  totalCenti grade colour groups { group scoreCenti indicators { code numerator denominator scoreCenti } } } }";
const ITEMS: &str = "query($s: IndexScope!, $p: String!, $i: String!, $part: IndexPart!) {
  qualityIndexItems(scope: $s, period: $p, indicator: $i, part: $part) { dossierId code weight } }";

/// This month in Vietnam, as the index takes it.
fn this_month() -> String {
    chrono::Utc::now()
        .with_timezone(&motcua_core::deadline::VN_OFFSET)
        .format("%Y-%m")
        .to_string()
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
                    let items = r["data"]["qualityIndexItems"]
                        .as_array()
                        .unwrap_or_else(|| panic!("{r}"));
                    let total: i64 = items.iter().map(|x| x["weight"].as_i64().unwrap()).sum();
                    assert_eq!(
                        total,
                        i[key].as_i64().unwrap(),
                        "{db}: {} {part}",
                        i["code"]
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
            r["data"]["qualityIndexItems"][0]["dossierId"],
            done.as_str(),
            "{r}"
        );

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

        // A closed period computed again gives the same figures.
        let (_, again) = app
            .call(Some(&leader), INDEX, json!({ "s": scope, "p": month }))
            .await;
        assert_eq!(again["data"]["qualityIndex"], index, "{db}");
    }
}
