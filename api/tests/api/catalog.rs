//! The catalogue through GraphQL: search, pagination, a procedure's detail, languages.

use motcua_api::config::Mode;
use serde_json::json;

use crate::helpers::{TestApp, databases};

const SEARCH: &str = "query($q: String, $first: Int, $after: String, $level: String) {
  procedures(search: $q, first: $first, after: $after, level: $level) {
    edges { cursor node { code name level onlineMode } }
    pageInfo { hasNextPage endCursor }
  }
}";

#[actix_web::test]
async fn search_ignores_case_and_diacritics() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        for q in ["ho chieu", "HỘ CHIẾU", "  Hộ   chiếu "] {
            let r = app.graphql(SEARCH, json!({ "q": q }), false).await;
            let codes: Vec<&str> = r["data"]["procedures"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["code"].as_str().unwrap())
                .collect();
            assert_eq!(codes, ["1.001456"], "{db} {q}: {r}");
        }
        let r = app
            .graphql(SEARCH, json!({ "q": "dang ky thuong tru" }), false)
            .await;
        let names: Vec<&str> = r["data"]["procedures"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap())
            .collect();
        assert!(
            names.iter().any(|n| n.contains("Đăng ký thường trú")),
            "{db}: {r}"
        );
    }
}

#[actix_web::test]
async fn pages_follow_the_cursor_without_gaps_or_repeats() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let r = app
                .graphql(SEARCH, json!({ "first": 7, "after": after }), false)
                .await;
            let page = &r["data"]["procedures"];
            for e in page["edges"].as_array().unwrap() {
                seen.push(e["node"]["code"].as_str().unwrap().to_owned());
            }
            if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                break;
            }
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        let mut sorted = seen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(seen, sorted, "{db}");
        assert_eq!(seen.len(), 20, "{db}");
    }
}

#[actix_web::test]
async fn filters_by_level() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let r = app
            .graphql(SEARCH, json!({ "level": "PROVINCE", "first": 50 }), false)
            .await;
        let edges = r["data"]["procedures"]["edges"].as_array().unwrap();
        assert!(!edges.is_empty(), "{db}: {r}");
        assert!(
            edges.iter().all(|e| e["node"]["level"] == "PROVINCE"),
            "{db}: {r}"
        );
    }
}

#[actix_web::test]
async fn a_procedure_comes_with_its_form_fees_times_and_components_in_either_language() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let q = "query($code: String!) { procedure(code: $code) {
            code name version processingTime { inPerson { value unit } online { value unit } sameDayCutoff }
            components { id name required } form fees } }";
        let vi = app.graphql(q, json!({ "code": "2.000815" }), false).await;
        let p = &vi["data"]["procedure"];
        assert_eq!(
            p["name"], "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            "{db}: {vi}"
        );
        assert_eq!(p["processingTime"]["inPerson"]["unit"], "WORKING_DAYS");
        assert_eq!(p["processingTime"]["sameDayCutoff"], "15:00");
        assert_eq!(p["form"]["form"], "2.000815");
        assert_eq!(p["fees"]["versions"][0]["version"], "TT226-2016");
        assert!(
            p["components"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["required"] == true)
        );
        let en = app.graphql(q, json!({ "code": "2.000815" }), true).await;
        assert_eq!(
            en["data"]["procedure"]["name"],
            "Certified copy from the original of a paper or document"
        );
    }
}

#[actix_web::test]
async fn an_unknown_procedure_is_not_found_with_a_code_in_the_callers_language() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let q = "{ procedure(code: \"9.999999\") { code } }";
        let vi = app.graphql(q, json!({}), false).await;
        assert_eq!(
            vi["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{db}: {vi}"
        );
        assert_eq!(vi["errors"][0]["message"], "Không tìm thấy.");
        let en = app.graphql(q, json!({}), true).await;
        assert_eq!(en["errors"][0]["message"], "Not found.");
    }
}

#[actix_web::test]
async fn the_working_calendar_is_the_cores_with_names_and_sources() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let q = "query($y: Int!, $r: Boolean) { workingCalendar(year: $y, rulesOnly: $r) { daysOff { date reason } makeUpDays sources } }";
    let r = app.graphql(q, json!({ "y": 2026 }), false).await;
    let cal = &r["data"]["workingCalendar"];
    let dates: Vec<&str> = cal["daysOff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert!(
        dates.contains(&"2026-01-02") && dates.contains(&"2026-11-24"),
        "{r}"
    );
    assert_eq!(cal["makeUpDays"], json!(["2026-01-10", "2026-08-22"]));
    assert!(
        cal["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().contains("9441/TB-BNV"))
    );
    assert_eq!(cal["daysOff"][0]["reason"], "Tết Dương lịch");
    let rules = app.graphql(q, json!({ "y": 2026, "r": true }), true).await;
    assert_eq!(
        rules["data"]["workingCalendar"]["daysOff"]
            .as_array()
            .unwrap()
            .len(),
        13,
        "{rules}"
    );
    assert_eq!(
        rules["data"]["workingCalendar"]["daysOff"][0]["reason"],
        "New Year's Day"
    );
    let bad = app.graphql(q, json!({ "y": 2300 }), false).await;
    assert_eq!(
        bad["errors"][0]["extensions"]["code"], "INVALID_INPUT",
        "{bad}"
    );
}

#[actix_web::test]
async fn instances_starting_at_once_seed_the_catalogue_exactly_once() {
    use motcua_api::db::entities::{procedure, procedure_version};
    use sea_orm::{EntityTrait, PaginatorTrait};
    let file = std::env::temp_dir().join(format!("motcua-seed-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let mut urls = vec![format!("sqlite://{}?mode=rwc", file.display())];
    urls.extend(
        databases()
            .into_iter()
            .filter(|u| u.starts_with("postgres")),
    );
    let catalog =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
    for url in urls {
        let url = crate::helpers::fresh(&url).await;
        let a = motcua_api::db::connect_and_migrate(&url).await.unwrap();
        let b = motcua_api::db::connect_and_migrate(&url).await.unwrap();
        let (x, y) = tokio::join!(
            motcua_api::service::catalog::seed(&a, &catalog, "2026-11-23"),
            motcua_api::service::catalog::seed(&b, &catalog, "2026-11-23"),
        );
        assert_eq!(x.unwrap() + y.unwrap(), 20, "{url}");
        assert_eq!(
            procedure::Entity::find().count(&a).await.unwrap(),
            20,
            "{url}"
        );
        assert_eq!(
            procedure_version::Entity::find().count(&a).await.unwrap(),
            20,
            "{url}"
        );
    }
    let _ = std::fs::remove_file(&file);
}

#[actix_web::test]
async fn provinces_and_the_demo_provinces_communes_are_listed() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let q = "query($p: String, $s: String) { administrativeUnits(parent: $p, search: $s) { code name kind parentCode } }";
        let provinces = app.graphql(q, json!({}), false).await;
        let list = provinces["data"]["administrativeUnits"].as_array().unwrap();
        assert_eq!(list.len(), 34, "{db}: {provinces}");
        assert!(
            list.iter()
                .any(|u| u["code"] == "01" && u["name"] == "Thành phố Hà Nội")
        );
        let communes = app.graphql(q, json!({ "p": "20" }), false).await;
        let list = communes["data"]["administrativeUnits"].as_array().unwrap();
        assert_eq!(list.len(), 65, "{db}");
        assert!(
            list.iter()
                .all(|u| u["parentCode"] == "20" && u["code"].as_str().unwrap().len() == 5)
        );
        let found = app.graphql(q, json!({ "s": "ha noi" }), true).await;
        assert_eq!(
            found["data"]["administrativeUnits"][0]["name"], "Ha Noi City",
            "{db}: {found}"
        );
    }
}
