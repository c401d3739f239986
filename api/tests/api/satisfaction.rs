//! Satisfaction surveys (issue 17): once per dossier, by its applicant, once the dossier is over,
//! every problem of an answer at once, kept with the officials who acted on it.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::*;

const RATE: &str = "mutation($i: RateDossierInput!) { rateDossier(input: $i) {
  survey { points convenience overall comment indicators } userErrors { path code message } } }";

async fn rate(app: &TestApp, token: &str, input: Value) -> Value {
    let (_, r) = app.call(Some(token), RATE, json!({ "i": input })).await;
    r
}

#[actix_web::test]
async fn a_returned_dossier_is_rated_once_by_its_applicant() {
    for db in databases() {
        let app = TestApp::spawn(&db, motcua_api::config::Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let (citizen, _) = app.login(CITIZEN).await;
        let (other, _) = app.login(CITIZEN_B).await;
        let id = file(&app, &clerk, "2.000815", "rate-1").await;
        let good = json!({ "dossierId": id, "indicators": [2, 2, 1, 2, 2, 2, 2, 1, 2],
            "convenience": "SATISFIED", "overall": "VERY_SATISFIED", "comment": "Cán bộ nhiệt tình" });
        let (_, r) = app
            .call(
                Some(&citizen),
                "{ satisfactionIndicators { code name } }",
                json!({}),
            )
            .await;
        assert_eq!(
            r["data"]["satisfactionIndicators"]
                .as_array()
                .unwrap()
                .len(),
            9,
            "{r}"
        );

        // Not before the result is returned.
        act(&app, &clerk, "receiveDossier", &id, 1, "").await;
        let r = rate(&app, &citizen, good.clone()).await;
        assert_eq!(
            user_error_codes(&r, "rateDossier"),
            ["NOT_FINISHED"],
            "{db}: {r}"
        );
        act(&app, &specialist, "startProcessing", &id, 2, "").await;
        act(&app, &leader, "resolveDossier", &id, 3, "").await;
        let r = act(&app, &clerk, "returnResult", &id, 4, "").await;
        assert_eq!(r["dossier"]["status"], "RETURNED", "{db}: {r}");

        // The result's notification invites the applicant to rate it (SMS and e-mail go out
        // through the outbox with the same text).
        let (_, n) = app
            .call(
                Some(&citizen),
                "{ myNotifications(first: 20) { nodes { kind body } } }",
                json!({}),
            )
            .await;
        let returned = n["data"]["myNotifications"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kind"] == "RETURNED")
            .cloned()
            .unwrap_or_else(|| panic!("{db}: {n}"));
        assert!(
            returned["body"]
                .as_str()
                .unwrap()
                .contains("đánh giá mức độ hài lòng"),
            "{returned}"
        );

        // Another citizen does not see it; an official is not its applicant.
        let r = rate(&app, &other, good.clone()).await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");
        let r = rate(&app, &clerk, good.clone()).await;
        assert_eq!(
            user_error_codes(&r, "rateDossier"),
            ["NOT_APPLICANT"],
            "{r}"
        );
        // Every problem of an answer at once (the core's check).
        let mut bad = good.clone();
        bad["indicators"] = json!([2, 3, 1, 2, 2, 2, 2, 1]);
        bad["comment"] = json!("x".repeat(1001));
        let r = rate(&app, &citizen, bad).await;
        assert_eq!(
            user_error_codes(&r, "rateDossier"),
            ["COUNT", "SCORE", "INVALID_COMMENT"],
            "{db}: {r}"
        );
        assert_eq!(
            r["data"]["rateDossier"]["userErrors"][1]["path"],
            json!(["input", "indicators", "1"])
        );

        let query =
            "query($id: ID!) { dossier(id: $id) { canRate satisfaction { points overall } } }";
        let (_, d) = app.call(Some(&citizen), query, json!({ "id": id })).await;
        assert_eq!(d["data"]["dossier"]["canRate"], true, "{d}");
        let r = rate(&app, &citizen, good.clone()).await;
        assert_eq!(
            r["data"]["rateDossier"]["survey"]["points"], 16,
            "{db}: {r}"
        );
        // Once.
        let r = rate(&app, &citizen, good.clone()).await;
        assert_eq!(
            user_error_codes(&r, "rateDossier"),
            ["ALREADY_RATED"],
            "{db}: {r}"
        );
        let (_, d) = app.call(Some(&citizen), query, json!({ "id": id })).await;
        assert_eq!(d["data"]["dossier"]["canRate"], false);
        assert_eq!(
            d["data"]["dossier"]["satisfaction"]["overall"],
            "VERY_SATISFIED"
        );
        // The agency's leader sees it on the dossier.
        let (_, d) = app.call(Some(&leader), query, json!({ "id": id })).await;
        assert_eq!(d["data"]["dossier"]["satisfaction"]["points"], 16, "{d}");
        assert_eq!(d["data"]["dossier"]["canRate"], false);

        // Kept with the officials who acted on the dossier (clerk, specialist, leader).
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT officials, unit_code FROM satisfaction_surveys",
            ))
            .await
            .unwrap()
            .unwrap();
        let officials: Vec<i64> =
            serde_json::from_str(&row.try_get::<String>("", "officials").unwrap()).unwrap();
        assert_eq!(officials.len(), 3, "{db}: {officials:?}");
        assert!(!row.try_get::<String>("", "unit_code").unwrap().is_empty());
    }
}
