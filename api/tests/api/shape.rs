//! The shape partners integrate against, over real HTTP on SQLite and PostgreSQL: dossiers found
//! through `node(id:)` by those who may see them only (G5), statuses, channels and deadline states
//! as enums with the national codes beside them, lists as Relay connections whose pages neither
//! skip nor repeat, and agencies resolved for a whole page at once.

use motcua_api::config::Mode;
use serde_json::{Value, json};
use std::collections::HashSet;

use crate::helpers::{CITIZEN, TestApp, code, databases, file, file_and_receive};

const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on Dossier { code status statusCode
  channel channelCode deadlineState receivingAgency { code } competentAgency { code } } } }";

#[actix_web::test]
async fn a_dossier_is_a_node_with_enums_for_those_who_may_see_it() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (citizen, _) = app.login(CITIZEN).await;
        let (stranger, _) = app.login("chuyenvien.congan").await;
        let id = file(&app, &clerk, "2.000815", "shape-node").await;
        let (_, r) = app.call(Some(&clerk), NODE, json!({ "id": id })).await;
        let node = &r["data"]["node"];
        assert_eq!(node["status"], "SUBMITTED", "{db}: {r}");
        assert_eq!(node["statusCode"], 1, "{db}: {r}");
        assert_eq!(node["channel"], "IN_PERSON", "{db}: {r}");
        assert_eq!(node["channelCode"], 1, "{db}: {r}");
        assert_eq!(node["deadlineState"], "ON_TRACK", "{db}: {r}");
        assert_eq!(
            node["receivingAgency"]["code"], node["competentAgency"]["code"],
            "{db}: a ward procedure stays in the ward: {r}"
        );
        // The applicant sees it too; an official of another agency reads NOT_FOUND (G5).
        let (_, r) = app.call(Some(&citizen), NODE, json!({ "id": id })).await;
        assert_eq!(r["data"]["node"]["status"], "SUBMITTED", "{db}: {r}");
        let (_, r) = app.call(Some(&stranger), NODE, json!({ "id": id })).await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        // Filters take the enum; an unknown name is refused with a stable code.
        let (_, r) = app
            .call(
                Some(&clerk),
                "{ intakeQueue(status: [SUBMITTED]) { nodes { status } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            r["data"]["intakeQueue"]["nodes"][0]["status"], "SUBMITTED",
            "{db}: {r}"
        );
        let (_, r) = app
            .call(
                Some(&clerk),
                "{ intakeQueue(status: [LOST]) { nodes { status } } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&r), "INVALID_INPUT", "{db}: {r}");
    }
}

const NOTICES: &str = "query($after: String) { myNotifications(first: 2, after: $after) {
  edges { cursor node { id kind } } pageInfo { hasNextPage endCursor } } }";

#[actix_web::test]
async fn notifications_page_without_gaps_or_repeats() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (citizen, _) = app.login(CITIZEN).await;
        for n in 0..3 {
            file_and_receive(&app, &clerk, &format!("shape-page-{n}")).await;
        }
        let mut seen = HashSet::new();
        let mut after = Value::Null;
        let mut pages = 0;
        loop {
            let (_, r) = app
                .call(Some(&citizen), NOTICES, json!({ "after": after }))
                .await;
            let page = &r["data"]["myNotifications"];
            let edges = page["edges"]
                .as_array()
                .unwrap_or_else(|| panic!("{db}: {r}"));
            assert!(edges.len() <= 2, "{db}: {r}");
            for e in edges {
                assert!(
                    seen.insert(e["node"]["id"].to_string()),
                    "{db}: repeated {e}"
                );
            }
            pages += 1;
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        // Three receipts at least (the citizen's account is verified: desk dossiers reach it).
        assert!(seen.len() >= 3, "{db}: {} notifications", seen.len());
        assert!(pages >= 2, "{db}: {pages} pages");
        let (_, r) = app
            .call(Some(&citizen), NOTICES, json!({ "after": "not-a-cursor" }))
            .await;
        assert_eq!(code(&r), "INVALID_INPUT", "{db}: {r}");
    }
}
