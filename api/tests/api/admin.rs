//! The catalogue and calendar administration: who may do what (an authorization matrix by role
//! and agency), the core's check of new versions, publication by effective date, the audited
//! calendar, global IDs and `node`, on SQLite and PostgreSQL.

use motcua_api::config::Mode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{CITIZEN, TestApp, code, databases};

const CREATE: &str = "mutation($c: String!, $d: JSON!) { createProcedureVersion(procedureCode: $c, definition: $d) {
  procedureVersion { id procedureCode version published effectiveFrom } userErrors { path code message } } }";
const PUBLISH: &str =
    "mutation($id: ID!, $from: String!) { publishProcedureVersion(id: $id, effectiveFrom: $from) {
  procedureVersion { id published effectiveFrom } userErrors { path code } } }";

fn definition(code: &str, version: &str) -> Value {
    let path = format!(
        "{}/../catalog/procedures/{code}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut d: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    d["form"]["version"] = json!(version);
    d
}

fn today() -> String {
    motcua_api::clock::today()
}

#[actix_web::test]
async fn who_may_create_a_procedure_version_by_role_and_agency() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let mut tokens = vec![("anonymous", None)];
        for login in [
            CITIZEN,
            "4900234569",
            "tiepnhan.dongkinh",
            "chuyenvien.dongkinh",
            "lanhdao.dongkinh",
            "quantri.dongkinh",
            "quantri.congan",
            "quantri.tinh",
        ] {
            tokens.push((login, Some(app.login(login).await.0)));
        }
        // 1.001456 (passport) belongs to the provincial police alone; 1.001193 (birth) to every
        // commune, so no commune may change it for the others: only the province (Z3).
        let matrix: [(&str, &[&str]); 2] = [
            ("1.001456", &["quantri.congan", "quantri.tinh"]),
            ("1.001193", &["quantri.tinh"]),
        ];
        for (procedure, allowed) in matrix {
            for (who, token) in &tokens {
                let version = format!("2027.{}", who.replace('.', "-"));
                let (_, r) = app
                    .call(
                        token.as_deref(),
                        CREATE,
                        json!({ "c": procedure, "d": definition(procedure, &version) }),
                    )
                    .await;
                let expected = if allowed.contains(who) {
                    ""
                } else if token.is_none() {
                    "UNAUTHENTICATED"
                } else {
                    "FORBIDDEN"
                };
                assert_eq!(code(&r), expected, "{db}: {who} on {procedure}: {r}");
                if expected.is_empty() {
                    let v = &r["data"]["createProcedureVersion"]["procedureVersion"];
                    assert_eq!(v["version"], version.as_str(), "{db}: {r}");
                    assert_eq!(v["published"], false);
                }
            }
        }
    }
}

#[actix_web::test]
async fn the_core_checks_a_new_version_and_publication_follows_the_effective_date() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (admin, _) = app.login("quantri.tinh").await;
        // Refused by the core, with the JSON Pointer of the fault.
        let mut bad = definition("1.001456", "2027.1");
        bad["form"]["schema"]["properties"]["bogus"] =
            json!({ "type": "string", "format": "not-a-format" });
        let (_, r) = app
            .call(Some(&admin), CREATE, json!({ "c": "1.001456", "d": bad }))
            .await;
        let errors = &r["data"]["createProcedureVersion"]["userErrors"];
        assert_eq!(errors[0]["code"], "UNKNOWN_FORMAT", "{db}: {r}");
        assert!(
            errors[0]["message"]
                .as_str()
                .unwrap()
                .contains("/form/schema/properties/bogus"),
            "{r}"
        );
        // Samples that disagree with the form are refused too.
        let mut bad = definition("1.001456", "2027.1");
        bad["samples"]["valid"] = json!({});
        let (_, r) = app
            .call(Some(&admin), CREATE, json!({ "c": "1.001456", "d": bad }))
            .await;
        assert_eq!(
            r["data"]["createProcedureVersion"]["userErrors"][0]["code"], "SAMPLE_MISMATCH",
            "{db}: {r}"
        );
        // Another procedure's definition under this code.
        let (_, r) = app
            .call(
                Some(&admin),
                CREATE,
                json!({ "c": "1.001456", "d": definition("1.001193", "2027.1") }),
            )
            .await;
        assert_eq!(
            r["data"]["createProcedureVersion"]["userErrors"][0]["code"], "MISMATCH",
            "{db}: {r}"
        );
        // Unknown procedure.
        let (_, r) = app
            .call(
                Some(&admin),
                CREATE,
                json!({ "c": "9.999999", "d": definition("1.001456", "2027.1") }),
            )
            .await;
        assert_eq!(code(&r), "NOT_FOUND");
        // A good version, then a second one with the same name.
        let (_, r) = app
            .call(
                Some(&admin),
                CREATE,
                json!({ "c": "1.001456", "d": definition("1.001456", "2027.1") }),
            )
            .await;
        let id = r["data"]["createProcedureVersion"]["procedureVersion"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, r) = app
            .call(
                Some(&admin),
                CREATE,
                json!({ "c": "1.001456", "d": definition("1.001456", "2027.1") }),
            )
            .await;
        assert_eq!(
            r["data"]["createProcedureVersion"]["userErrors"][0]["code"],
            "VERSION_EXISTS"
        );
        let current = || async {
            app.graphql(
                "{ procedure(code: \"1.001456\") { version } }",
                json!({}),
                false,
            )
            .await["data"]["procedure"]["version"]
                .clone()
        };
        let before = current().await;
        assert_ne!(before, "2027.1");
        // Publication: not in the past; a future date does not change today's version.
        let (_, r) = app
            .call(
                Some(&admin),
                PUBLISH,
                json!({ "id": id, "from": "2020-01-01" }),
            )
            .await;
        assert_eq!(
            r["data"]["publishProcedureVersion"]["userErrors"][0]["code"], "DATE_IN_PAST",
            "{db}: {r}"
        );
        let (_, r) = app
            .call(
                Some(&admin),
                PUBLISH,
                json!({ "id": id, "from": "31/12/2026" }),
            )
            .await;
        assert_eq!(
            r["data"]["publishProcedureVersion"]["userErrors"][0]["code"],
            "INVALID_DATE"
        );
        let (_, r) = app
            .call(
                Some(&admin),
                PUBLISH,
                json!({ "id": id, "from": "2199-01-01" }),
            )
            .await;
        assert_eq!(
            r["data"]["publishProcedureVersion"]["procedureVersion"]["published"], true,
            "{db}: {r}"
        );
        assert_eq!(current().await, before);
        let (_, r) = app
            .call(Some(&admin), PUBLISH, json!({ "id": id, "from": today() }))
            .await;
        assert_eq!(
            r["data"]["publishProcedureVersion"]["userErrors"][0]["code"],
            "ALREADY_PUBLISHED"
        );
        // A version published from today is the current one at once.
        let (_, r) = app
            .call(
                Some(&admin),
                CREATE,
                json!({ "c": "1.001456", "d": definition("1.001456", "2027.2") }),
            )
            .await;
        let id2 = r["data"]["createProcedureVersion"]["procedureVersion"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, r) = app
            .call(Some(&admin), PUBLISH, json!({ "id": id2, "from": today() }))
            .await;
        assert_eq!(
            r["data"]["publishProcedureVersion"]["procedureVersion"]["effectiveFrom"],
            today().as_str(),
            "{r}"
        );
        assert_eq!(current().await, "2027.2");
        // The versions list and the version node: only for those who manage the procedure.
        let (_, r) = app
            .call(
                Some(&admin),
                "{ procedureVersions(code: \"1.001456\") { version published } }",
                json!({}),
            )
            .await;
        assert_eq!(
            r["data"]["procedureVersions"].as_array().unwrap().len(),
            3,
            "{db}: {r}"
        );
        let (dongkinh, _) = app.login("quantri.dongkinh").await;
        let (_, r) = app
            .call(
                Some(&dongkinh),
                "{ procedureVersions(code: \"1.001456\") { version } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&r), "FORBIDDEN");
        let node = "query($id: ID!) { node(id: $id) { id ... on ProcedureVersion { version } } }";
        let (_, r) = app.call(Some(&admin), node, json!({ "id": id2 })).await;
        assert_eq!(r["data"]["node"]["version"], "2027.2", "{db}: {r}");
        for token in [Some(dongkinh.as_str()), None] {
            let (_, r) = app.call(token, node, json!({ "id": id2 })).await;
            assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        }
    }
}

#[actix_web::test]
async fn calendar_days_are_set_by_the_province_audited_and_used() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (admin, _) = app.login("quantri.tinh").await;
        const SET: &str = "mutation($d: String!, $off: Boolean!) { setCalendarDay(date: $d, dayOff: $off, reasonVi: \"Nghỉ do bão số 3\", reasonEn: \"Typhoon Yagi closure\") {
          calendarDay { date kind reason } userErrors { code } } }";
        for login in ["quantri.dongkinh", "tiepnhan.dongkinh", CITIZEN] {
            let (t, _) = app.login(login).await;
            let (_, r) = app
                .call(Some(&t), SET, json!({ "d": "2026-12-01", "off": true }))
                .await;
            assert_eq!(code(&r), "FORBIDDEN", "{db}: {login}: {r}");
        }
        let (_, r) = app
            .call(Some(&admin), SET, json!({ "d": "2026-12-32", "off": true }))
            .await;
        assert_eq!(
            r["data"]["setCalendarDay"]["userErrors"][0]["code"],
            "INVALID_DATE"
        );
        let (_, r) = app
            .call(Some(&admin), SET, json!({ "d": "2026-12-01", "off": true }))
            .await;
        assert_eq!(
            r["data"]["setCalendarDay"]["calendarDay"]["kind"], "DAY_OFF",
            "{db}: {r}"
        );
        let r = app
            .graphql("{ workingCalendar(year: 2026) { daysOff { date reason } } calendarAdjustments { date kind } }", json!({}), false)
            .await;
        let days = r["data"]["workingCalendar"]["daysOff"].as_array().unwrap();
        assert!(
            days.iter().any(|d| d["date"] == "2026-12-01"),
            "{db}: the extra day off is part of the calendar: {r}"
        );
        assert_eq!(
            r["data"]["calendarAdjustments"],
            json!([{ "date": "2026-12-01", "kind": "DAY_OFF" }])
        );
        // Change it to a working day, then remove it: three audit rows, which cannot be altered.
        app.call(
            Some(&admin),
            SET,
            json!({ "d": "2026-12-01", "off": false }),
        )
        .await;
        let (_, r) = app
            .call(
                Some(&admin),
                "mutation { removeCalendarDay(date: \"2026-12-01\") { removed } }",
                json!({}),
            )
            .await;
        assert_eq!(r["data"]["removeCalendarDay"]["removed"], true);
        let backend = app.db.get_database_backend();
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT action FROM audit_log WHERE object_type = 'CalendarDay' ORDER BY id",
            ))
            .await
            .unwrap();
        let actions: Vec<String> = rows
            .iter()
            .map(|r| r.try_get("", "action").unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "CALENDAR_DAY_SET",
                "CALENDAR_DAY_SET",
                "CALENDAR_DAY_REMOVED"
            ],
            "{db}"
        );
        for sql in [
            "UPDATE audit_log SET outcome = 'X'",
            "DELETE FROM audit_log",
        ] {
            let result = app.db.execute_unprepared(sql).await;
            assert!(result.is_err(), "{db}: the audit log accepted {sql}");
        }
    }
}

#[actix_web::test]
async fn global_ids_resolve_through_node_and_bad_ids_read_as_missing_g5() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let r = app
            .graphql("{ procedures(first: 1) { edges { node { id code } } } agencies(level: \"PROVINCE\") { id code name } administrativeUnits { id code } }", json!({}), false)
            .await;
        let procedure = &r["data"]["procedures"]["edges"][0]["node"];
        let agency = &r["data"]["agencies"][0];
        let unit = &r["data"]["administrativeUnits"][0];
        const NODE: &str = "query($id: ID!) { node(id: $id) { id __typename ... on ProcedureDetail { code } ... on Agency { code name } ... on AdministrativeUnit { code } } }";
        for (object, typename) in [
            (procedure, "ProcedureDetail"),
            (agency, "Agency"),
            (unit, "AdministrativeUnit"),
        ] {
            let r = app
                .graphql(NODE, json!({ "id": object["id"] }), false)
                .await;
            assert_eq!(r["data"]["node"]["__typename"], typename, "{db}: {r}");
            assert_eq!(r["data"]["node"]["code"], object["code"], "{db}: {r}");
            assert_eq!(r["data"]["node"]["id"], object["id"]);
        }
        let r = app
            .graphql(
                "query($id: ID!) { agency(id: $id) { code name } }",
                json!({ "id": agency["id"] }),
                true,
            )
            .await;
        assert_eq!(
            r["data"]["agency"]["name"], "Lang Son Provincial People's Committee",
            "{r}"
        );
        for bad in [
            "",
            "bm9uZQ",
            "QWdlbmN5Ojk5OTk5",
            "QWdlbmN5OmFiYw",
            "!!",
            "VXNlcjox",
        ] {
            let r = app.graphql(NODE, json!({ "id": bad }), false).await;
            assert_eq!(code(&r), "NOT_FOUND", "{db}: {bad}: {r}");
        }
        // Agencies: search without diacritics, by unit; procedures an agency is competent for.
        let r = app
            .graphql(
                "{ agencies(search: \"cong an dong kinh\") { code } }",
                json!({}),
                false,
            )
            .await;
        assert_eq!(
            r["data"]["agencies"],
            json!([{ "code": "000.01.51.H42" }]),
            "{db}: {r}"
        );
        let police = app.agency_id("000.00.12.H42").await;
        let r = app
            .graphql(
                "query($a: ID) { procedures(agencyId: $a, first: 50) { edges { node { code } } } }",
                json!({ "a": police }),
                false,
            )
            .await;
        let codes: Vec<&str> = r["data"]["procedures"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["1.001456", "2.000200", "3.000333", "3.000346"],
            "{db}: {r}"
        );
    }
}
