//! The officials' queues over real HTTP on SQLite and PostgreSQL: a specialist's work inbox holds
//! what their agency holds now — after a hand-over the dossier moves to the receiving agency's
//! inbox — the counts beside each queue follow, and applicants have no inbox (G5, V5).

use motcua_api::config::Mode;
use serde_json::{Value, json};

use crate::helpers::{CITIZEN, TestApp, act, code, databases, file, file_and_receive, me};

const INBOX: &str = "query($s: DeadlineState) { workInbox(deadlineState: $s) { nodes { uuid status
  deadlineState applicantIdNumber } } queueCounts { intake onTrack dueSoon overdue } }";

async fn inbox(app: &TestApp, token: &str, state: Value) -> Value {
    let (_, r) = app.call(Some(token), INBOX, json!({ "s": state })).await;
    r
}

fn uuids(r: &Value) -> Vec<String> {
    r["data"]["workInbox"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|n| n["uuid"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_dossier_moves_between_inboxes_with_its_hand_over() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (police, _) = app.login("chuyenvien.congan").await;
        let (citizen, _) = app.login(CITIZEN).await;
        let received = file_and_receive(&app, &clerk, "queue-1").await;
        let _waiting = file(&app, &clerk, "2.000815", "queue-2").await;
        let uuid = |id: &str| motcua_api::graphql::ids::decode(id).unwrap().1;

        // The ward's specialist holds the received dossier; the clerk's desk has one waiting.
        let r = inbox(&app, &specialist, Value::Null).await;
        assert_eq!(uuids(&r), vec![uuid(&received)], "{db}: {r}");
        assert_eq!(r["data"]["queueCounts"]["onTrack"], 1, "{db}: {r}");
        assert_eq!(r["data"]["queueCounts"]["intake"], 0, "{db}: {r}");
        let node = &r["data"]["workInbox"]["nodes"][0];
        assert_eq!(node["deadlineState"], "ON_TRACK", "{db}: {r}");
        assert!(
            node["applicantIdNumber"].as_str().unwrap().contains('*'),
            "{db}: masked: {r}"
        );
        let r = inbox(&app, &specialist, json!("OVERDUE")).await;
        assert!(uuids(&r).is_empty(), "{db}: {r}");
        let (_, r) = app
            .call(Some(&clerk), "{ queueCounts { intake } }", json!({}))
            .await;
        assert_eq!(r["data"]["queueCounts"]["intake"], 1, "{db}: {r}");

        // Handed over to the provincial police: it leaves the ward's inbox for the police's.
        assert!(
            uuids(&inbox(&app, &police, Value::Null).await).is_empty(),
            "{db}"
        );
        let r = act(&app, &specialist, "startProcessing", &received, 2, "").await;
        assert_eq!(r["dossier"]["status"], "PROCESSING", "{db}: {r}");
        let police_id = me(&app, &police).await;
        let r = act(
            &app,
            &specialist,
            "handOverDossier",
            &received,
            3,
            &format!("input: {{ toUserId: \"{police_id}\" }}"),
        )
        .await;
        assert_eq!(r["dossier"]["version"], 4, "{db}: {r}");
        assert!(
            uuids(&inbox(&app, &specialist, Value::Null).await).is_empty(),
            "{db}"
        );
        let r = inbox(&app, &police, Value::Null).await;
        assert_eq!(uuids(&r), vec![uuid(&received)], "{db}: {r}");
        assert_eq!(r["data"]["queueCounts"]["onTrack"], 1, "{db}: {r}");

        // Applicants and clerks have no work inbox.
        for token in [&citizen, &clerk] {
            let (_, r) = app
                .call(Some(token), "{ workInbox { nodes { uuid } } }", json!({}))
                .await;
            assert_eq!(code(&r), "FORBIDDEN", "{db}: {r}");
        }
    }
}

const SEARCH: &str =
    "query($t: String!) { searchDossiers(text: $t) { nodes { uuid code applicantIdNumber } } }";

async fn found(app: &TestApp, token: &str, text: &str) -> Value {
    let (_, r) = app.call(Some(token), SEARCH, json!({ "t": text })).await;
    r
}

#[actix_web::test]
async fn officials_find_dossiers_of_their_agencies_by_code_id_number_or_name() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (police, _) = app.login("chuyenvien.congan").await;
        let (citizen, _) = app.login(CITIZEN).await;
        let id = file(&app, &clerk, "2.000815", "search-1").await;
        let uuid = motcua_api::graphql::ids::decode(&id).unwrap().1;
        let (_, r) = app
            .call(
                Some(&clerk),
                "query($id: ID!) { dossier(id: $id) { code } }",
                json!({ "id": id }),
            )
            .await;
        let code_text = r["data"]["dossier"]["code"].as_str().unwrap().to_owned();

        // By the ID number as a person says it (spaces), by the code, and by the applicant's name
        // typed without diacritics, in any case and word order: found, masked.
        for text in [
            format!(" {CITIZEN} "),
            code_text.clone(),
            "nguyen thi lan".to_owned(),
            "LAN Nguyễn".to_owned(),
        ] {
            let r = found(&app, &clerk, &text).await;
            let nodes = r["data"]["searchDossiers"]["nodes"]
                .as_array()
                .unwrap_or_else(|| panic!("{db}: {r}"));
            assert!(
                nodes.iter().any(|n| n["uuid"] == uuid.as_str()),
                "{db}: {text}: {r}"
            );
            assert!(
                nodes
                    .iter()
                    .all(|n| n["applicantIdNumber"].as_str().unwrap().contains('*'))
            );
        }
        // LIKE's wildcards are taken literally: they match no name.
        for text in ["%%", "__", "n%n"] {
            let r = found(&app, &clerk, text).await;
            assert_eq!(
                r["data"]["searchDossiers"]["nodes"],
                json!([]),
                "{db}: {text}: {r}"
            );
        }
        // Another agency's official finds nothing of the ward's, by number or name; applicants
        // cannot search.
        for text in [CITIZEN, "nguyen thi lan"] {
            let r = found(&app, &police, text).await;
            assert_eq!(r["data"]["searchDossiers"]["nodes"], json!([]), "{db}: {r}");
        }
        assert_eq!(
            code(&found(&app, &citizen, CITIZEN).await),
            "FORBIDDEN",
            "{db}"
        );
        assert_eq!(
            code(&found(&app, &clerk, "   ").await),
            "INVALID_INPUT",
            "{db}"
        );
    }
}
