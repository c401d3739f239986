//! Dossiers over real HTTP, on SQLite and PostgreSQL: filing from a phone with attachments,
//! intake (supplement, receive), tracking, idempotency (sequential and concurrent), the
//! authorization matrix (G5), optimistic locking (D5 at intake), upload attacks (A2, A3, A6).

use motcua_api::config::Mode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{CITIZEN, CITIZEN_B, TestApp, code, databases, sample};

/// The smallest well-formed PDF (catalogue, empty page tree, cross-reference table, trailer):
/// uploads are parsed, and a file without a trailer is refused as unreadable.
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer << /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n";

const SUBMIT: &str = "mutation($input: SubmitDossierInput!, $key: String!) { submitDossier(input: $input, idempotencyKey: $key) {
  receipt { dossierId code status submittedAt feeTotal expectedDueAt } userErrors { path code message } } }";

const DOSSIER: &str = "query($id: ID!) { dossier(id: $id) { id uuid code status statusName statusCode channel channelCode version
  applicantName applicantIdNumber dueAt missing supplementCount feeTotal
  receivingAgency { code } competentAgency { code }
  dueExplanation { dueAt countingFrom durationValue durationUnit skippedDays { date reason } pausedSeconds }
  history { action role fromStatus toStatus reason } attachments { id componentId contentType size sha256 fileName downloadPath } } }";

impl TestApp {
    async fn upload(
        &self,
        token: &str,
        dossier: &str,
        component: &str,
        name: &str,
        bytes: Vec<u8>,
        header: bool,
    ) -> (u16, Value) {
        let operations = json!({
            "query": "mutation($d: ID!, $c: String!, $f: Upload!) { uploadAttachment(dossierId: $d, componentId: $c, file: $f) { attachment { id fileName contentType sha256 size } userErrors { code } } }",
            "variables": { "d": dossier, "c": component, "f": null }
        });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.f"] }).to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        let mut r = self
            .client
            .post(format!("{}/graphql", self.address))
            .bearer_auth(token)
            .multipart(form);
        if header {
            r = r.header("x-motcua-upload", "1");
        }
        let response = r.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// A citizen's draft of 1.004194 (temporary residence) with both required documents, filed to
/// the Đông Kinh ward desk; returns (token, draft uuid).
async fn prepared_draft(app: &TestApp, login: &str) -> (String, String) {
    let (token, _) = app.login(login).await;
    let (_, r) = app
        .call(Some(&token), "mutation { createDraft(procedureCode: \"1.004194\") { dossier { uuid version formData status } userErrors { code } } }", json!({}))
        .await;
    let d = &r["data"]["createDraft"]["dossier"];
    assert_eq!(d["status"], "DRAFT", "{r}");
    let uuid = d["uuid"].as_str().unwrap().to_owned();
    for component in ["to-khai-ct01", "cho-o-hop-phap"] {
        let (status, r) = app
            .upload(&token, &uuid, component, "to khai.pdf", PDF.to_vec(), true)
            .await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(
            r["data"]["uploadAttachment"]["userErrors"],
            json!([]),
            "{r}"
        );
    }
    (token, uuid)
}

#[actix_web::test]
async fn a_citizen_files_from_a_phone_and_the_clerk_takes_it_through_intake() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (citizen, _) = app.login(CITIZEN).await;
        // The draft is prefilled from the profile.
        let (_, r) = app
            .call(
                Some(&citizen),
                "mutation { createDraft(procedureCode: \"1.004194\") { dossier { formData } } }",
                json!({}),
            )
            .await;
        let prefill = &r["data"]["createDraft"]["dossier"]["formData"]["applicant"];
        assert_eq!(prefill["full_name"], "Nguyễn Văn An", "{db}: {r}");
        assert_eq!(prefill["id_number"], CITIZEN);
        let (citizen, uuid) = prepared_draft(&app, CITIZEN).await;
        let ward = app.agency_id("000.00.51.H42").await;
        // Invalid form data: every violation at once, nothing filed.
        let mut bad = sample("1.004194");
        bad["applicant"]["id_number"] = json!("123");
        bad["stay_from"] = json!("not a date");
        let input = json!({ "dossierId": uuid, "procedureCode": "1.004194", "receivingAgencyId": ward, "formData": bad });
        let (_, r) = app
            .call(
                Some(&citizen),
                SUBMIT,
                json!({ "input": input, "key": "k-bad" }),
            )
            .await;
        let errors = r["data"]["submitDossier"]["userErrors"]
            .as_array()
            .unwrap()
            .clone();
        assert!(errors.len() >= 2, "{db}: {r}");
        assert!(
            errors
                .iter()
                .any(|e| e["path"] == json!(["formData", "applicant", "id_number"])),
            "{db}: {r}"
        );
        // A good submission.
        let input = json!({ "dossierId": uuid, "procedureCode": "1.004194", "receivingAgencyId": ward, "formData": sample("1.004194") });
        let (_, r) = app
            .call(
                Some(&citizen),
                SUBMIT,
                json!({ "input": input, "key": "k-1" }),
            )
            .await;
        let receipt = r["data"]["submitDossier"]["receipt"].clone();
        let code_text = receipt["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {r}"))
            .to_owned();
        let today = motcua_api::clock::today().replace('-', "");
        assert_eq!(
            code_text,
            format!("000.00.51.H42-{}-0001", &today[2..]),
            "{db}"
        );
        assert_eq!(receipt["status"], "SUBMITTED");
        assert!(
            receipt["expectedDueAt"]
                .as_str()
                .unwrap()
                .ends_with("+07:00")
        );
        // The clerk's queue has it; the clerk asks for a supplement, listing what is missing.
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (_, q) = app
            .call(Some(&clerk), "{ intakeQueue { edges { node { uuid code status applicantName competentAgency { code } } } } }", json!({}))
            .await;
        let edges = q["data"]["intakeQueue"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), 1, "{db}: {q}");
        assert_eq!(
            edges[0]["node"]["competentAgency"]["code"], "000.01.51.H42",
            "routed to the ward police"
        );
        let (_, r) = app
            .call(Some(&clerk), "mutation($id: ID!) { requestSupplement(id: $id, version: 2, reason: \"Thiếu giấy tờ\", missing: []) { dossier { status } userErrors { code } } }", json!({ "id": uuid }))
            .await;
        assert_eq!(
            r["data"]["requestSupplement"]["userErrors"][0]["code"], "MISSING_LIST_REQUIRED",
            "{db}: {r}"
        );
        let (_, r) = app
            .call(Some(&clerk), "mutation($id: ID!) { requestSupplement(id: $id, version: 2, reason: \"\", missing: [\"x\"]) { userErrors { code } } }", json!({ "id": uuid }))
            .await;
        assert_eq!(
            r["data"]["requestSupplement"]["userErrors"][0]["code"], "REASON_REQUIRED",
            "{db}: {r}"
        );
        let (_, r) = app
            .call(Some(&clerk), "mutation($id: ID!) { requestSupplement(id: $id, version: 2, reason: \"Hồ sơ chưa đủ\", missing: [\"Bản sao hợp đồng thuê nhà có chứng thực\", \"Ảnh chân dung\"]) { dossier { status version missing } userErrors { code } } }", json!({ "id": uuid }))
            .await;
        let d = &r["data"]["requestSupplement"]["dossier"];
        assert_eq!(d["status"], "SUPPLEMENT_REQUESTED", "{db}: {r}");
        assert_eq!(d["missing"].as_array().unwrap().len(), 2);
        // Only once.
        let (_, r) = app
            .call(Some(&clerk), "mutation($id: ID!) { requestSupplement(id: $id, version: 3, reason: \"Lần nữa\", missing: [\"x\"]) { userErrors { code } } }", json!({ "id": uuid }))
            .await;
        assert_eq!(
            r["data"]["requestSupplement"]["userErrors"][0]["code"], "INVALID_TRANSITION",
            "{db}: {r}"
        );
        // The citizen sees what is missing, adds a document and supplements.
        let (_, r) = app
            .call(Some(&citizen), DOSSIER, json!({ "id": uuid }))
            .await;
        assert_eq!(
            r["data"]["dossier"]["statusName"], "Yêu cầu bổ sung giấy tờ",
            "{db}: {r}"
        );
        let (status, _) = app
            .upload(
                &citizen,
                &uuid,
                "cho-o-hop-phap",
                "hop dong.pdf",
                PDF.to_vec(),
                true,
            )
            .await;
        assert_eq!(status, 200);
        let (_, r) = app
            .call(Some(&citizen), "mutation($id: ID!) { supplementDossier(id: $id, version: 3) { dossier { status version } userErrors { code } } }", json!({ "id": uuid }))
            .await;
        assert_eq!(
            r["data"]["supplementDossier"]["dossier"]["status"], "SUBMITTED",
            "{db}: {r}"
        );
        // A stale version is a conflict carrying the current one.
        let (_, r) = app
            .call(
                Some(&clerk),
                "mutation($id: ID!) { receiveDossier(id: $id, version: 3) { dossier { status } } }",
                json!({ "id": uuid }),
            )
            .await;
        assert_eq!(code(&r), "CONFLICT", "{db}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["currentVersion"], 4);
        let (_, r) = app
            .call(Some(&clerk), "mutation($id: ID!) { receiveDossier(id: $id, version: 4) { dossier { status dueAt receivedAt } userErrors { code } } }", json!({ "id": uuid }))
            .await;
        let d = &r["data"]["receiveDossier"]["dossier"];
        assert_eq!(d["status"], "RECEIVED", "{db}: {r}");
        assert!(d["dueAt"].as_str().unwrap().ends_with("+07:00"));
        // The detail: due-date explanation (3 working days), the whole history, the files.
        let (_, r) = app
            .call(Some(&citizen), DOSSIER, json!({ "id": uuid }))
            .await;
        let d = &r["data"]["dossier"];
        assert_eq!(d["dueExplanation"]["durationValue"], 3, "{db}: {r}");
        assert_eq!(d["dueExplanation"]["durationUnit"], "WORKING_DAYS");
        assert_eq!(d["dueExplanation"]["dueAt"], d["dueAt"]);
        let actions: Vec<&str> = d["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["SUBMIT", "REQUEST_SUPPLEMENT", "SUPPLEMENT", "RECEIVE"],
            "{db}"
        );
        assert_eq!(d["history"][1]["reason"], "Hồ sơ chưa đủ");
        assert_eq!(d["attachments"].as_array().unwrap().len(), 3);
        assert_eq!(d["attachments"][0]["contentType"], "application/pdf");
        // "My dossiers" lists it; the public lookup shows only status and due date.
        let (_, r) = app
            .call(
                Some(&citizen),
                "{ myDossiers(status: [\"RECEIVED\"]) { edges { node { code status } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            r["data"]["myDossiers"]["edges"][0]["node"]["code"],
            code_text.as_str(),
            "{db}: {r}"
        );
        let r = app
            .graphql("query($c: String!, $i: String!) { dossierStatus(code: $c, idNumber: $i) { code status statusName dueAt } }", json!({ "c": code_text, "i": CITIZEN }), true)
            .await;
        assert_eq!(
            r["data"]["dossierStatus"]["statusName"], "Received",
            "{db}: {r}"
        );
        let r = app
            .graphql("query($c: String!, $i: String!) { dossierStatus(code: $c, idNumber: $i) { code } }", json!({ "c": code_text, "i": CITIZEN_B }), false)
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        // The download is an attachment, with nosniff, only for those who may see the dossier.
        let url = format!(
            "{}{}",
            app.address,
            d["attachments"][0]["downloadPath"].as_str().unwrap()
        );
        let response = app
            .client
            .get(&url)
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);
        let (other, _) = app.login(CITIZEN_B).await;
        assert_eq!(
            app.client
                .get(&url)
                .bearer_auth(&other)
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    }
}

#[actix_web::test]
async fn one_key_one_dossier_sequentially_and_concurrently() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let input = json!({ "procedureCode": "2.000815", "formData": sample("2.000815") });
        let mut receipts = Vec::new();
        for _ in 0..10 {
            let (_, r) = app
                .call(
                    Some(&clerk),
                    SUBMIT,
                    json!({ "input": input, "key": "desk-1" }),
                )
                .await;
            receipts.push(r["data"]["submitDossier"]["receipt"].clone());
        }
        assert!(receipts[0]["code"].is_string(), "{db}: {:?}", receipts[0]);
        assert!(
            receipts.iter().all(|r| r == &receipts[0]),
            "{db}: {receipts:?}"
        );
        // 50 at once with a new key: one dossier, one receipt.
        let calls = (0..50).map(|_| {
            app.call(
                Some(&clerk),
                SUBMIT,
                json!({ "input": input, "key": "desk-2" }),
            )
        });
        let answers = futures_util::future::join_all(calls).await;
        let codes: std::collections::BTreeSet<String> = answers
            .iter()
            .map(|(_, r)| {
                r["data"]["submitDossier"]["receipt"]["code"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{db}: {r}"))
                    .to_owned()
            })
            .collect();
        assert_eq!(codes.len(), 1, "{db}: {codes:?}");
        // The same key with another payload is refused; another clerk's same key is their own.
        let mut other = input.clone();
        other["formData"]["total_pages"] = json!(99);
        let (_, r) = app
            .call(
                Some(&clerk),
                SUBMIT,
                json!({ "input": other, "key": "desk-1" }),
            )
            .await;
        assert_eq!(code(&r), "IDEMPOTENCY_KEY_REUSED", "{db}: {r}");
        let (clerk2, _) = app.login("tiepnhan.luongvantri").await;
        let (_, r) = app
            .call(
                Some(&clerk2),
                SUBMIT,
                json!({ "input": input, "key": "desk-1" }),
            )
            .await;
        assert!(
            r["data"]["submitDossier"]["receipt"]["code"]
                .as_str()
                .unwrap()
                .starts_with("000.00.52.H42-"),
            "{db}: {r}"
        );
        let (_, q) = app
            .call(
                Some(&clerk),
                "{ intakeQueue(first: 50) { edges { node { code channel channelCode applicantName } } } }",
                json!({}),
            )
            .await;
        let edges = q["data"]["intakeQueue"]["edges"].as_array().unwrap();
        assert_eq!(
            edges.len(),
            2,
            "{db}: exactly two dossiers at Đông Kinh: {q}"
        );
        assert_eq!(edges[0]["node"]["channelCode"], 1);
        assert_eq!(edges[0]["node"]["channel"], "IN_PERSON");
        assert!(
            edges
                .iter()
                .map(|e| e["node"]["code"].as_str().unwrap())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
                == 2
        );
        // An empty key is refused.
        let (_, r) = app
            .call(Some(&clerk), SUBMIT, json!({ "input": input, "key": " " }))
            .await;
        assert_eq!(
            r["data"]["submitDossier"]["userErrors"][0]["code"], "INVALID_IDEMPOTENCY_KEY",
            "{db}: {r}"
        );
    }
}

#[actix_web::test]
async fn who_may_see_and_act_on_a_dossier_g5() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (citizen, uuid) = prepared_draft(&app, CITIZEN).await;
        let ward = app.agency_id("000.00.51.H42").await;
        let input = json!({ "dossierId": uuid, "procedureCode": "1.004194", "receivingAgencyId": ward, "formData": sample("1.004194") });
        let (_, r) = app
            .call(
                Some(&citizen),
                SUBMIT,
                json!({ "input": input, "key": "k" }),
            )
            .await;
        let global = r["data"]["submitDossier"]["receipt"]["dossierId"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {r}"))
            .to_owned();
        let missing = "00000000-0000-4000-8000-000000000000";
        // Who sees it: the owner and the receiving clerk; everyone else gets exactly NOT_FOUND.
        let mut tokens = Vec::new();
        for login in [
            CITIZEN_B,
            "4900234569",
            "tiepnhan.luongvantri",
            "tiepnhan.hanhchinhcong",
            "quantri.dongkinh",
            "quantri.tinh",
            "chuyenvien.congan",
            "chuyenvien.dongkinh",
            "lanhdao.dongkinh",
        ] {
            tokens.push((login, app.login(login).await.0));
        }
        for (login, token) in &tokens {
            for id in [global.as_str(), uuid.as_str()] {
                let (_, r) = app.call(Some(token), DOSSIER, json!({ "id": id })).await;
                let (_, m) = app
                    .call(Some(token), DOSSIER, json!({ "id": missing }))
                    .await;
                assert_eq!(code(&r), "NOT_FOUND", "{db}: {login} saw it: {r}");
                assert_eq!(
                    r["errors"][0]["message"], m["errors"][0]["message"],
                    "{db}: {login}"
                );
                let (_, r) = app
                    .call(Some(token), "mutation($id: ID!) { receiveDossier(id: $id, version: 2) { dossier { status } } }", json!({ "id": id }))
                    .await;
                assert_eq!(code(&r), "NOT_FOUND", "{db}: {login} acted on it: {r}");
            }
        }
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        for token in [&citizen, &clerk] {
            let (_, r) = app
                .call(Some(token), DOSSIER, json!({ "id": global }))
                .await;
            assert_eq!(r["data"]["dossier"]["uuid"], uuid.as_str(), "{db}: {r}");
        }
        let (_, r) = app.call(None, DOSSIER, json!({ "id": global })).await;
        assert_eq!(code(&r), "UNAUTHENTICATED");
        // The owner cannot receive their own dossier; clerks' queues are theirs alone.
        let (_, r) = app
            .call(Some(&citizen), "mutation($id: ID!) { receiveDossier(id: $id, version: 2) { userErrors { code } } }", json!({ "id": global }))
            .await;
        assert_eq!(
            r["data"]["receiveDossier"]["userErrors"][0]["code"], "ROLE_NOT_ALLOWED",
            "{db}: {r}"
        );
        let (_, r) = app
            .call(
                Some(&citizen),
                "{ intakeQueue { edges { node { code } } } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&r), "FORBIDDEN", "{db}: {r}");
        let (_, r) = app
            .call(
                Some(&tokens[2].1),
                "{ intakeQueue { edges { node { code } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            r["data"]["intakeQueue"]["edges"],
            json!([]),
            "{db}: another ward's queue is empty: {r}"
        );
        // Another citizen cannot file into this dossier id, nor attach to it.
        let (other, _) = app.login(CITIZEN_B).await;
        let (_, r) = app
            .call(Some(&other), SUBMIT, json!({ "input": input, "key": "k" }))
            .await;
        assert_eq!(code(&r), "CONFLICT", "{db}: {r}");
        let (_, r) = app
            .upload(&other, &uuid, "to-khai-ct01", "a.pdf", PDF.to_vec(), true)
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        // Every read by an official is audited, refusals included (V5); the applicant's are not.
        let audit = |outcome: &'static str| {
            let db = app.db.clone();
            async move {
                let row = db
                    .query_one_raw(sea_orm::Statement::from_string(
                        db.get_database_backend(),
                        format!("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'DOSSIER_READ' AND outcome = '{outcome}'"),
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                row.try_get::<i64>("", "n").unwrap()
            }
        };
        assert_eq!(
            audit("NOT_FOUND").await,
            7 * 2 * 2,
            "{db}: seven officials, two ids, two missing reads each"
        );
        assert_eq!(audit("OK").await, 1, "{db}: the clerk's read");
        // Officials cannot keep drafts; applicants cannot file on a desk channel.
        let (_, r) = app
            .call(
                Some(&clerk),
                "mutation { createDraft(procedureCode: \"1.004194\") { dossier { uuid } } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&r), "FORBIDDEN");
    }
}

#[actix_web::test]
async fn a_clerk_files_at_the_desk_for_a_person_who_then_follows_it() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let mut data = sample("2.000815");
        data["applicant"]["id_number"] = json!(CITIZEN);
        data["applicant"]["full_name"] = json!("Nguyễn Văn An");
        // A tracking number is for postal filings only, and is letters, digits and hyphens.
        for (channel, tracking, expected) in [
            ("IN_PERSON", "RR123456789VN", "TRACKING_NUMBER_NOT_POSTAL"),
            ("POSTAL", "RR 1234<script>", "INVALID_TRACKING_NUMBER"),
        ] {
            let (_, r) = app
                .call(Some(&clerk), SUBMIT, json!({ "input": { "procedureCode": "2.000815", "channel": channel, "formData": data, "postalTrackingNumber": tracking }, "key": format!("post-bad-{expected}") }))
                .await;
            assert_eq!(
                r["data"]["submitDossier"]["userErrors"][0]["code"], expected,
                "{db}: {r}"
            );
            assert_eq!(
                r["data"]["submitDossier"]["userErrors"][0]["path"],
                json!(["input", "postalTrackingNumber"]),
                "{db}: {r}"
            );
        }
        let (_, r) = app
            .call(Some(&clerk), SUBMIT, json!({ "input": { "procedureCode": "2.000815", "channel": "POSTAL", "formData": data, "postalTrackingNumber": " RR123456789VN " }, "key": "post-1" }))
            .await;
        let id = r["data"]["submitDossier"]["receipt"]["dossierId"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {r}"))
            .to_owned();
        let (_, r) = app.call(Some(&clerk), DOSSIER, json!({ "id": id })).await;
        assert_eq!(r["data"]["dossier"]["channelCode"], 3, "{db}: {r}");
        let (_, h) = app
            .call(
                Some(&clerk),
                "query($id: ID!) { dossier(id: $id) { history { action detail } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            h["data"]["dossier"]["history"][0]["detail"]["postalTrackingNumber"], "RR123456789VN",
            "{db}: {h}"
        );
        assert_eq!(r["data"]["dossier"]["channel"], "POSTAL", "{db}: {r}");
        assert_eq!(r["data"]["dossier"]["applicantIdNumber"], CITIZEN);
        let (citizen, _) = app.login(CITIZEN).await;
        let (_, r) = app
            .call(
                Some(&citizen),
                "{ myDossiers { edges { node { id channel status } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            r["data"]["myDossiers"]["edges"][0]["node"]["id"],
            id.as_str(),
            "{db}: {r}"
        );
        // Same-day procedure received after 15:00 or not, the due date is a working day.
        let (_, r) = app
            .call(Some(&clerk), "mutation($id: ID!) { receiveDossier(id: $id, version: 1) { dossier { dueAt dueExplanation { durationValue skippedDays { date reason } } } } }", json!({ "id": id }))
            .await;
        assert_eq!(
            r["data"]["receiveDossier"]["dossier"]["dueExplanation"]["durationValue"], 0,
            "{db}: {r}"
        );
    }
}

#[actix_web::test]
async fn upload_attacks_are_refused_a2_a3_a6() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (citizen, uuid) = prepared_draft(&app, CITIZEN).await;
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("giay to.png", PDF.to_vec(), "EXTENSION_MISMATCH"),
            (
                "anh.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
                "UNSUPPORTED_FILE_TYPE",
            ),
            (
                "trang.html",
                b"<html><script>alert(1)</script></html>".to_vec(),
                "UNSUPPORTED_FILE_TYPE",
            ),
            (
                "polyglot.pdf",
                b"%PDF-1.4\n<html><script>alert(1)</script>".to_vec(),
                "FILE_POLYGLOT",
            ),
            (
                "js.pdf",
                b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>".to_vec(),
                "PDF_ACTIVE_CONTENT",
            ),
            ("exe.pdf", b"MZ\x90\x00".to_vec(), "UNSUPPORTED_FILE_TYPE"),
            ("rong.pdf", Vec::new(), "FILE_EMPTY"),
        ];
        for (name, bytes, expected) in cases {
            let (_, r) = app
                .upload(&citizen, &uuid, "to-khai-ct01", name, bytes, true)
                .await;
            assert_eq!(
                r["data"]["uploadAttachment"]["userErrors"][0]["code"], expected,
                "{db}: {name}: {r}"
            );
        }
        // A path-like name is kept only as a display name.
        let (_, r) = app
            .upload(
                &citizen,
                &uuid,
                "to-khai-ct01",
                "../../etc/passwd.pdf",
                PDF.to_vec(),
                true,
            )
            .await;
        assert_eq!(
            r["data"]["uploadAttachment"]["attachment"]["fileName"], "passwd.pdf",
            "{db}: {r}"
        );
        // Unknown component; no preflight header; over 10 MiB → 413 before storing.
        let (_, r) = app
            .upload(&citizen, &uuid, "khong-co", "a.pdf", PDF.to_vec(), true)
            .await;
        assert_eq!(
            r["data"]["uploadAttachment"]["userErrors"][0]["code"], "UNKNOWN_COMPONENT",
            "{db}: {r}"
        );
        let (status, _) = app
            .upload(
                &citizen,
                &uuid,
                "to-khai-ct01",
                "a.pdf",
                PDF.to_vec(),
                false,
            )
            .await;
        assert_eq!(
            status, 400,
            "{db}: a multipart post without the custom header runs nothing"
        );
        let mut big = PDF.to_vec();
        big.resize(10 * 1024 * 1024 + 10, b' ');
        let (status, _) = app
            .upload(&citizen, &uuid, "to-khai-ct01", "to.pdf", big, true)
            .await;
        assert_eq!(status, 413, "{db}");
        // At most 20 files per dossier.
        let (_, d) = app
            .call(Some(&citizen), DOSSIER, json!({ "id": uuid }))
            .await;
        let have = d["data"]["dossier"]["attachments"]
            .as_array()
            .unwrap()
            .len();
        for _ in have..20 {
            let (_, r) = app
                .upload(&citizen, &uuid, "to-khai-ct01", "a.pdf", PDF.to_vec(), true)
                .await;
            assert_eq!(
                r["data"]["uploadAttachment"]["userErrors"],
                json!([]),
                "{db}: {r}"
            );
        }
        let (_, r) = app
            .upload(&citizen, &uuid, "to-khai-ct01", "a.pdf", PDF.to_vec(), true)
            .await;
        assert_eq!(
            r["data"]["uploadAttachment"]["userErrors"][0]["code"], "TOO_MANY_FILES",
            "{db}: {r}"
        );
        // Reuse from the personal store into a new draft, without uploading.
        let (_, docs) = app
            .call(
                Some(&citizen),
                "{ myDocuments { nodes { id sha256 } } }",
                json!({}),
            )
            .await;
        let doc = docs["data"]["myDocuments"]["nodes"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, r) = app
            .call(
                Some(&citizen),
                "mutation { createDraft(procedureCode: \"1.004194\") { dossier { uuid } } }",
                json!({}),
            )
            .await;
        let second = r["data"]["createDraft"]["dossier"]["uuid"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, r) = app
            .call(Some(&citizen), "mutation($d: ID!, $doc: ID!) { attachDocument(dossierId: $d, componentId: \"cho-o-hop-phap\", documentId: $doc) { attachment { sha256 } userErrors { code } } }", json!({ "d": second, "doc": doc }))
            .await;
        assert_eq!(
            r["data"]["attachDocument"]["attachment"]["sha256"],
            docs["data"]["myDocuments"]["nodes"][0]["sha256"],
            "{db}: {r}"
        );
        let (other, _) = app.login(CITIZEN_B).await;
        let (_, r) = app
            .call(
                Some(&other),
                "mutation { createDraft(procedureCode: \"1.004194\") { dossier { uuid } } }",
                json!({}),
            )
            .await;
        let theirs = r["data"]["createDraft"]["dossier"]["uuid"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, r) = app
            .call(Some(&other), "mutation($d: ID!, $doc: ID!) { attachDocument(dossierId: $d, componentId: \"cho-o-hop-phap\", documentId: $doc) { attachment { sha256 } } }", json!({ "d": theirs, "doc": doc }))
            .await;
        assert_eq!(
            code(&r),
            "NOT_FOUND",
            "{db}: another citizen's document: {r}"
        );
    }
}

#[actix_web::test]
async fn the_public_lookup_is_rate_limited_per_address() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let mut limited = 0;
    for i in 0..40 {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": "query($c: String!) { dossierStatus(code: $c, idNumber: \"020090123456\") { status } }", "variables": { "c": format!("000.00.51.H42-261122-{i:04}") } }))
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            limited += 1;
        } else {
            let r: Value = response.json().await.unwrap();
            assert_eq!(code(&r), "NOT_FOUND", "{r}");
        }
    }
    assert_eq!(limited, 10, "30 lookups a minute per address");
}

#[actix_web::test]
async fn processing_to_the_returned_result_and_withdrawal_by_role() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let mut data = sample("2.000815");
        data["applicant"]["id_number"] = json!(CITIZEN);
        let file = |key: &'static str| {
            let data = data.clone();
            let clerk = clerk.clone();
            let app = &app;
            async move {
                let (_, r) = app
                    .call(Some(&clerk), SUBMIT, json!({ "input": { "procedureCode": "2.000815", "formData": data }, "key": key }))
                    .await;
                r["data"]["submitDossier"]["receipt"]["dossierId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{r}"))
                    .to_owned()
            }
        };
        let step = |token: String,
                    mutation: &'static str,
                    id: String,
                    version: i64,
                    reason: Option<&'static str>| {
            let app = &app;
            async move {
                let args = match reason {
                    Some(r) => format!("id: $id, version: {version}, reason: \"{r}\""),
                    None => format!("id: $id, version: {version}"),
                };
                let (_, r) = app
                    .call(Some(&token), &format!("mutation($id: ID!) {{ {mutation}({args}) {{ dossier {{ status version }} userErrors {{ code }} }} }}"), json!({ "id": id }))
                    .await;
                r["data"][mutation].clone()
            }
        };
        let id = file("p-1").await;
        assert_eq!(
            step(clerk.clone(), "receiveDossier", id.clone(), 1, None).await["dossier"]["status"],
            "RECEIVED"
        );
        // Only a specialist of the competent agency starts processing; only its leader resolves.
        assert_eq!(
            step(clerk.clone(), "startProcessing", id.clone(), 2, None).await["userErrors"][0]["code"],
            "ROLE_NOT_ALLOWED",
            "{db}"
        );
        assert_eq!(
            step(specialist.clone(), "startProcessing", id.clone(), 2, None).await["dossier"]["status"],
            "PROCESSING",
            "{db}"
        );
        assert_eq!(
            step(specialist.clone(), "resolveDossier", id.clone(), 3, None).await["userErrors"][0]
                ["code"],
            "ROLE_NOT_ALLOWED",
            "{db}"
        );
        assert_eq!(
            step(leader.clone(), "stopDossier", id.clone(), 3, Some(" ")).await["userErrors"][0]["code"],
            "REASON_REQUIRED",
            "{db}"
        );
        assert_eq!(
            step(leader.clone(), "resolveDossier", id.clone(), 3, None).await["dossier"]["status"],
            "RESOLVED",
            "{db}"
        );
        assert_eq!(
            step(clerk.clone(), "returnResult", id.clone(), 4, None).await["dossier"]["status"],
            "RETURNED",
            "{db}"
        );
        assert_eq!(
            step(leader.clone(), "stopDossier", id.clone(), 5, Some("Sai")).await["userErrors"][0]
                ["code"],
            "TERMINAL_STATE",
            "{db}"
        );
        // The applicant (whose account the desk filing was linked to) withdraws another dossier.
        let (citizen, _) = app.login(CITIZEN).await;
        let other = file("p-2").await;
        assert_eq!(
            step(
                citizen.clone(),
                "withdrawDossier",
                other.clone(),
                1,
                Some("Không còn nhu cầu")
            )
            .await["dossier"]["status"],
            "WITHDRAWN",
            "{db}"
        );
        let (_, r) = app.call(Some(&citizen), DOSSIER, json!({ "id": id })).await;
        let actions: Vec<&str> = r["data"]["dossier"]["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "SUBMIT",
                "RECEIVE",
                "START_PROCESSING",
                "RESOLVE",
                "RETURN_RESULT"
            ],
            "{db}: {r}"
        );
    }
}
