//! Processing after intake over real HTTP, on SQLite and PostgreSQL: a dossier handed over across
//! two agencies to its returned result (payment, control sheet, result file, notifications); a
//! supplement during processing that stops the clock; two officials at once (D5); overdue →
//! apology → re-date once; a calendar change recomputing open due dates; the outbox delivering
//! to a real SMTP server and an HTTP gateway.

use motcua_api::config::Mode;
use motcua_core::calendar::{CalendarSpec, WorkingCalendar};
use motcua_core::deadline::{self, DueRequest, Pauses, ProcessingTime};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{CITIZEN, TestApp, act, code, databases, file, me};

/// The smallest well-formed PDF (catalogue, empty page tree, cross-reference table, trailer):
/// uploads are parsed, and a file without a trailer is refused as unreadable.
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer << /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n";

const DOSSIER: &str = "query($id: ID!) { dossier(id: $id) { uuid code status version dueAt originalDueAt
  redateCount deadlineState pausedSince paymentAmount paidAt paymentReceiptNumber feeTotal
  resultAttachmentId returnMethod handlerId handlingAgency { code }
  dueExplanation { pausedSeconds }
  controlSheet { fromUserId fromAgencyId toUserId toAgencyId handedAt dueAt completedAt result note outcome outcomeName }
  history { action role fromStatus toStatus reason detail } } }";

async fn dossier(app: &TestApp, token: &str, id: &str) -> Value {
    let (_, r) = app.call(Some(token), DOSSIER, json!({ "id": id })).await;
    r["data"]["dossier"].clone()
}

async fn upload(app: &TestApp, token: &str, dossier: &str, component: &str) -> (u16, Value) {
    let operations = json!({
        "query": "mutation($d: ID!, $c: String!, $f: Upload!) { uploadAttachment(dossierId: $d, componentId: $c, file: $f) { attachment { id } userErrors { code } } }",
        "variables": { "d": dossier, "c": component, "f": null }
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.f"] }).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("ket qua.pdf"),
        );
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .header("x-motcua-upload", "1")
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn download(app: &TestApp, token: &str, attachment: &str) -> u16 {
    app.client
        .get(format!("{}/attachments/{attachment}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Form `number` of dossier `id` as `token` downloads it, and its text as `pdftotext` reads it.
async fn form_text(app: &TestApp, token: &str, id: &str, number: &str) -> (u16, String) {
    let response = app
        .client
        .get(format!("{}/dossiers/{id}/forms/{number}.pdf", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status != 200 {
        return (status, String::new());
    }
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = std::env::temp_dir().join(format!("motcua-form-{}-{number}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.pdf", id.replace(['/', '='], "_")));
    std::fs::write(&file, &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext (poppler-utils, installed by the test command): {e}")
        });
    (status, String::from_utf8(out.stdout).unwrap())
}

async fn kinds(app: &TestApp, token: &str) -> Vec<String> {
    let (_, r) = app
        .call(
            Some(token),
            "{ myNotifications(first: 50) { nodes { kind title body readAt } } unreadNotificationCount }",
            json!({}),
        )
        .await;
    r["data"]["myNotifications"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn a_dossier_crosses_two_agencies_to_its_returned_result() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let (police, _) = app.login("chuyenvien.congan").await;
        let (citizen, _) = app.login(CITIZEN).await;
        // Whom to hand over to: the specialists and leaders of an agency (officials only).
        let targets = |token: String, code: &'static str| {
            let app = &app;
            async move {
                let agency = app.agency_id(code).await;
                let (_, r) = app
                    .call(
                        Some(&token),
                        "query($a: ID!) { handOverTargets(agencyId: $a) { id fullName roles } }",
                        json!({ "a": agency }),
                    )
                    .await;
                r
            }
        };
        let r = targets(citizen.clone(), "000.00.12.H42").await;
        assert_eq!(code(&r), "FORBIDDEN", "{db}: {r}");
        let r = targets(specialist.clone(), "000.00.12.H42").await;
        let police_list = r["data"]["handOverTargets"].as_array().unwrap().clone();
        assert_eq!(police_list.len(), 1, "{db}: {r}");
        assert_eq!(police_list[0]["roles"], json!(["SPECIALIST"]));
        let police_id = police_list[0]["id"].as_str().unwrap().to_owned();
        assert_eq!(police_id, me(&app, &police).await);
        let r = targets(police.clone(), "000.00.51.H42").await;
        let ward: Vec<&str> = r["data"]["handOverTargets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["fullName"].as_str().unwrap())
            .collect();
        assert_eq!(ward, ["Lương Văn Dũng", "Vi Thị Hạnh"], "{db}: {r}");
        let leader_id = me(&app, &leader).await;
        let id = file(&app, &clerk, "2.000815", "x-1").await;
        assert_eq!(
            act(&app, &clerk, "receiveDossier", &id, 1, "").await["dossier"]["version"],
            2
        );
        assert_eq!(
            act(&app, &specialist, "startProcessing", &id, 2, "").await["dossier"]["status"],
            "PROCESSING",
            "{db}"
        );

        // Payment: the amount comes from the quote; the clock stops until a clerk records it.
        let r = act(&app, &specialist, "requestPayment", &id, 3, "").await;
        assert_eq!(r["dossier"]["status"], "AWAITING_PAYMENT", "{db}: {r}");
        let d = dossier(&app, &clerk, &id).await;
        let fee = d["feeTotal"].as_i64().unwrap();
        assert!(fee > 0, "{d}");
        assert_eq!(d["paymentAmount"], fee);
        assert!(d["pausedSince"].is_string(), "{d}");
        let r = act(
            &app,
            &clerk,
            "recordPayment",
            &id,
            4,
            &format!("amount: {}, receiptNumber: \" \"", fee + 1),
        )
        .await;
        let codes: Vec<&str> = r["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["PAYMENT_AMOUNT_MISMATCH", "RECEIPT_NUMBER_REQUIRED"],
            "{db}"
        );
        let r = act(
            &app,
            &specialist,
            "recordPayment",
            &id,
            4,
            &format!("amount: {fee}, receiptNumber: \"BL-0001\""),
        )
        .await;
        assert_eq!(r["userErrors"][0]["code"], "ROLE_NOT_ALLOWED", "{db}: {r}");
        let r = act(
            &app,
            &clerk,
            "recordPayment",
            &id,
            4,
            &format!("amount: {fee}, receiptNumber: \"BL-0001\""),
        )
        .await;
        assert_eq!(r["dossier"]["status"], "PROCESSING", "{db}: {r}");
        let d = dossier(&app, &clerk, &id).await;
        assert!(d["pausedSince"].is_null() && d["paidAt"].is_string(), "{d}");
        assert_eq!(d["paymentReceiptNumber"], "BL-0001");

        // Liên thông: the ward's specialist hands it to the provincial police, with a step
        // deadline of 2 working days; the police hand it back to the ward's leader.
        let r = act(
            &app,
            &police,
            "handOverDossier",
            &id,
            5,
            "input: { toUserId: \"x\" }",
        )
        .await;
        assert_eq!(
            code(&r),
            "NOT_FOUND",
            "{db}: the police cannot see it yet: {r}"
        );
        let r = act(&app, &specialist, "handOverDossier", &id, 5, "input: {}").await;
        assert_eq!(
            r["userErrors"][0]["code"], "HANDOVER_TARGET_REQUIRED",
            "{db}: {r}"
        );
        let r = act(
            &app,
            &specialist,
            "handOverDossier",
            &id,
            5,
            &format!("input: {{ toUserId: \"{}\" }}", me(&app, &clerk).await),
        )
        .await;
        assert_eq!(
            r["userErrors"][0]["code"], "HANDOVER_TARGET_INVALID",
            "{db}: a clerk does not process: {r}"
        );
        let r = act(&app, &specialist, "handOverDossier", &id, 5, &format!(
            "input: {{ toUserId: \"{police_id}\", stepWorkingDays: 2, result: \"Đã thẩm định hồ sơ\", note: \"Đề nghị xác minh nhân thân\" }}"
        )).await;
        assert_eq!(r["dossier"]["version"], 6, "{db}: {r}");
        let d = dossier(&app, &police, &id).await;
        assert_eq!(d["handlingAgency"]["code"], "000.00.12.H42", "{db}: {d}");
        assert_eq!(d["handlerId"], police_id.as_str());
        assert!(
            kinds(&app, &police)
                .await
                .contains(&"HANDED_OVER".to_owned()),
            "{db}"
        );
        let r = act(
            &app,
            &police,
            "handOverDossier",
            &id,
            6,
            &format!(
                "input: {{ toUserId: \"{leader_id}\", result: \"Đã xác minh, đủ điều kiện\" }}"
            ),
        )
        .await;
        assert_eq!(r["dossier"]["version"], 7, "{db}: {r}");
        assert!(
            dossier(&app, &police, &id).await.is_null(),
            "{db}: handed back, the police no longer see it"
        );

        // The result file: uploaded by the ward's specialist (not by the citizen), approved by
        // the leader, downloadable by the citizen once returned online.
        let (status, r) = upload(&app, &citizen, &id, "KET_QUA").await;
        assert!(
            status == 200 && code(&r) == "FORBIDDEN",
            "{db}: {status} {r}"
        );
        let (_, r) = upload(&app, &specialist, &id, "KET_QUA").await;
        let result = r["data"]["uploadAttachment"]["attachment"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{r}"))
            .to_owned();
        let r = act(
            &app,
            &leader,
            "resolveDossier",
            &id,
            7,
            "resultAttachmentId: \"nope\"",
        )
        .await;
        assert_eq!(
            r["userErrors"][0]["code"], "RESULT_FILE_INVALID",
            "{db}: {r}"
        );
        let r = act(
            &app,
            &leader,
            "resolveDossier",
            &id,
            7,
            &format!("resultAttachmentId: \"{result}\""),
        )
        .await;
        assert_eq!(r["dossier"]["status"], "RESOLVED", "{db}: {r}");
        assert_eq!(
            download(&app, &citizen, &result).await,
            404,
            "{db}: not before it is returned"
        );
        let r = act(&app, &clerk, "returnResult", &id, 8, "method: POST").await;
        assert_eq!(
            r["userErrors"][0]["code"], "TRACKING_NUMBER_REQUIRED",
            "{db}: {r}"
        );
        let r = act(&app, &clerk, "returnResult", &id, 8, "method: ONLINE").await;
        assert_eq!(r["dossier"]["status"], "RETURNED", "{db}: {r}");
        assert_eq!(download(&app, &citizen, &result).await, 200, "{db}");

        // The applicant sees where it went and when, not the officials' results and notes (Z7).
        let public = dossier(&app, &citizen, &id).await;
        for step in public["controlSheet"].as_array().unwrap() {
            assert!(
                step["note"].is_null() && step["result"].is_null(),
                "{db}: {step}"
            );
            assert!(step["toUserId"].is_null(), "{db}: {step}");
        }
        // Form 06: desk → ward, ward → police, police → leader, leader → desk; all completed.
        let d = dossier(&app, &clerk, &id).await;
        assert_eq!(d["returnMethod"], "ONLINE");
        let sheet = d["controlSheet"].as_array().unwrap();
        assert_eq!(sheet.len(), 4, "{db}: {d}");
        for step in sheet {
            assert!(step["completedAt"].is_string(), "{db}: {step}");
            assert!(
                ["EARLY", "ON_TIME", "LATE"].contains(&step["outcome"].as_str().unwrap()),
                "{step}"
            );
            assert!(
                ["Trước hạn", "Đúng hạn", "Quá hạn"]
                    .contains(&step["outcomeName"].as_str().unwrap()),
                "{step}"
            );
        }
        assert_eq!(sheet[1]["toUserId"], police_id.as_str());
        assert_eq!(sheet[1]["result"], "Đã xác minh, đủ điều kiện");
        assert_eq!(sheet[0]["result"], "Đã thẩm định hồ sơ");
        assert_eq!(sheet[1]["note"], "Đề nghị xác minh nhân thân");
        assert_ne!(
            sheet[1]["dueAt"], d["dueAt"],
            "{db}: the step has its own deadline"
        );
        let actions: Vec<&str> = d["history"]
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
                "REQUEST_PAYMENT",
                "RECORD_PAYMENT",
                "HAND_OVER",
                "HAND_OVER",
                "RESOLVE",
                "RETURN_RESULT"
            ],
            "{db}"
        );

        // Forms 01 and 06 as PDF, downloadable by the applicant; their text is right.
        let (_, r) = app
            .call(
                Some(&citizen),
                "query($id: ID!) { dossier(id: $id) { code forms { number title downloadPath } } }",
                json!({ "id": id }),
            )
            .await;
        let numbers: Vec<&str> = r["data"]["dossier"]["forms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["number"].as_str().unwrap())
            .collect();
        assert_eq!(numbers, ["01", "06"], "{db}: {r}");
        let dossier_code = r["data"]["dossier"]["code"].as_str().unwrap().to_owned();
        let (status, text) = form_text(&app, &citizen, &id, "01").await;
        assert_eq!(status, 200, "{db}");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            dossier_code.as_str(),
            "PHƯỜNG ĐÔNG KINH",
            "Tra cứu tình trạng hồ sơ",
        ] {
            assert!(
                flat.to_uppercase().contains(&expected.to_uppercase()),
                "{db}: {expected:?} not in form 01: {flat}"
            );
        }
        // The officials' form 06 has every step's result and note; the applicant's has where
        // the dossier went and when, without them (Z7).
        let (_, text) = form_text(&app, &clerk, &id, "06").await;
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (_, public) = form_text(&app, &citizen, &id, "06").await;
        let public = public.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            dossier_code.as_str(),
            "Công an tỉnh Lạng Sơn",
        ] {
            for (who, text) in [("clerk", &flat), ("citizen", &public)] {
                assert!(
                    text.to_uppercase().contains(&expected.to_uppercase()),
                    "{db}: {expected:?} not in the {who}'s form 06: {text}"
                );
            }
        }
        for internal in ["Đã xác minh, đủ điều kiện", "Đề nghị xác minh nhân thân"]
        {
            assert!(flat.contains(internal), "{db}: {internal:?}: {flat}");
            assert!(!public.contains(internal), "{db}: {internal:?}: {public}");
        }
        assert_eq!(
            form_text(&app, &citizen, &id, "04").await.0,
            404,
            "{db}: never re-dated"
        );
        let (other, _) = app.login("020195654321").await;
        assert_eq!(
            form_text(&app, &other, &id, "01").await.0,
            404,
            "{db}: not someone else's"
        );

        // The citizen was told at every step; the bell can be cleared.
        let told = kinds(&app, &citizen).await;
        for kind in [
            "RECEIVED",
            "PROCESSING",
            "PAYMENT_REQUESTED",
            "PAID",
            "RESOLVED",
            "RETURNED",
        ] {
            assert!(
                told.contains(&kind.to_owned()),
                "{db}: {kind} not in {told:?}"
            );
        }
        let (_, r) = app
            .call(
                Some(&citizen),
                "mutation { markNotificationsRead { marked unread } }",
                json!({}),
            )
            .await;
        assert_eq!(r["data"]["markNotificationsRead"]["unread"], 0, "{r}");
        assert!(
            r["data"]["markNotificationsRead"]["marked"]
                .as_u64()
                .unwrap()
                >= 6
        );
        // …and by e-mail and SMS through the outbox, one row per event and channel.
        let rows = app.db.query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT channel, COUNT(*) AS n, COUNT(DISTINCT event_key) AS k FROM outbox WHERE dossier_id = '{}' GROUP BY channel ORDER BY channel", d["uuid"].as_str().unwrap()),
        )).await.unwrap();
        let counts: Vec<(String, i64, i64)> = rows
            .iter()
            .map(|r| {
                (
                    r.try_get("", "channel").unwrap(),
                    r.try_get("", "n").unwrap(),
                    r.try_get("", "k").unwrap(),
                )
            })
            .collect();
        assert_eq!(counts.len(), 2, "{db}: {counts:?}");
        for (_, n, k) in &counts {
            assert!(*n >= 6 && n == k, "{db}: {counts:?}");
        }
    }
}

#[actix_web::test]
async fn a_supplement_during_processing_stops_the_clock() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let id = file(&app, &clerk, "1.001612", "s-1").await;
        act(&app, &clerk, "receiveDossier", &id, 1, "").await;
        act(&app, &specialist, "startProcessing", &id, 2, "").await;
        let r = act(
            &app,
            &specialist,
            "requestSupplement",
            &id,
            3,
            "reason: \"Thiếu giấy tờ\", missing: [\"Bản sao giấy khai sinh\"]",
        )
        .await;
        assert_eq!(r["dossier"]["status"], "SUPPLEMENT_REQUESTED", "{db}: {r}");
        // The applicant took five days: move the clock's start and the pause back in time.
        let uuid = dossier(&app, &clerk, &id).await["uuid"]
            .as_str()
            .unwrap()
            .to_owned();
        let now = chrono::Utc::now().timestamp();
        let received = now - 6 * 86_400;
        let paused = now - 5 * 86_400;
        app.db
            .execute_unprepared(&format!(
                "UPDATE dossiers SET received_at = {received}, paused_since = {paused} WHERE id = '{uuid}'"
            ))
            .await
            .unwrap();
        let r = act(&app, &clerk, "supplementDossier", &id, 4, "").await;
        assert_eq!(r["dossier"]["status"], "PROCESSING", "{db}: {r}");
        let d = dossier(&app, &clerk, &id).await;
        // The due date is the core's, with the pause taken out of the counting.
        let at = |s: i64| {
            chrono::DateTime::from_timestamp(s, 0)
                .unwrap()
                .fixed_offset()
        };
        let calendar = WorkingCalendar::new(&CalendarSpec::default()).unwrap();
        let request = |pauses| DueRequest {
            received_at: at(received),
            duration: ProcessingTime {
                value: 3,
                unit: deadline::DurationUnit::WorkingDays,
            },
            same_day_cutoff: deadline::DEFAULT_CUTOFF,
            pauses,
        };
        let supplement_at = chrono::DateTime::parse_from_rfc3339(
            d["history"].as_array().unwrap().last().unwrap()["detail"]["pausedFrom"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(supplement_at.timestamp(), paused, "{db}: {d}");
        let with_pause =
            deadline::due(&request(Pauses(vec![(at(paused), at(now))])), &calendar).unwrap();
        let without = deadline::due(&request(Pauses::default()), &calendar).unwrap();
        let due = chrono::DateTime::parse_from_rfc3339(d["dueAt"].as_str().unwrap()).unwrap();
        // The supplement's own timestamp is a second or two after `now`.
        assert!(
            (due - with_pause.due_at).num_seconds().abs() <= 5,
            "{db}: {due} vs {}",
            with_pause.due_at
        );
        assert!(with_pause.due_at > without.due_at);
        assert!(
            d["dueExplanation"]["pausedSeconds"].as_i64().unwrap() > 0,
            "{d}"
        );
        assert!(d["pausedSince"].is_null());
        let (status, text) = form_text(&app, &clerk, &id, "02").await;
        assert_eq!(status, 200, "{db}");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Bản sao giấy khai sinh")
                && flat.to_uppercase().contains("PHIẾU YÊU CẦU BỔ SUNG"),
            "{db}: {flat}"
        );
        // Once per dossier.
        let r = act(
            &app,
            &specialist,
            "requestSupplement",
            &id,
            5,
            "reason: \"Lần hai\", missing: [\"x\"]",
        )
        .await;
        assert_eq!(
            r["userErrors"][0]["code"], "SUPPLEMENT_ALREADY_REQUESTED",
            "{db}: {r}"
        );
    }
}

#[actix_web::test]
async fn two_officials_at_once_exactly_one_wins_d5() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let mut ids = Vec::new();
        for trial in 0..100 {
            let id = file(&app, &clerk, "2.000815", &format!("d5-{trial}")).await;
            act(&app, &clerk, "receiveDossier", &id, 1, "").await;
            ids.push(id);
        }
        let mut specialist_wins = 0;
        for id in &ids {
            let (a, b) = tokio::join!(
                act(&app, &specialist, "startProcessing", id, 2, ""),
                act(
                    &app,
                    &leader,
                    "stopDossier",
                    id,
                    2,
                    "reason: \"Dừng theo đề nghị\""
                ),
            );
            let won: Vec<&Value> = [&a, &b]
                .into_iter()
                .filter(|r| r["dossier"].is_object())
                .collect();
            let lost: Vec<&Value> = [&a, &b]
                .into_iter()
                .filter(|r| !r["dossier"].is_object())
                .collect();
            assert_eq!((won.len(), lost.len()), (1, 1), "{db}: {a} {b}");
            assert_eq!(code(lost[0]), "CONFLICT", "{db}: {}", lost[0]);
            assert_eq!(
                lost[0]["errors"][0]["extensions"]["currentVersion"], 3,
                "{db}"
            );
            if a["dossier"].is_object() {
                specialist_wins += 1;
            }
            let h = dossier(&app, &clerk, id).await["history"]
                .as_array()
                .unwrap()
                .len();
            assert_eq!(h, 3, "{db}: one transition recorded");
        }
        println!(
            "D5 on {db}: 100 trials, specialist won {specialist_wins}, leader won {}",
            100 - specialist_wins
        );
    }
}

#[actix_web::test]
async fn overdue_then_apology_and_one_new_date() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let late = file(&app, &clerk, "1.001612", "o-1").await;
        let soon = file(&app, &clerk, "1.001612", "o-2").await;
        let later = file(&app, &clerk, "1.001612", "o-3").await;
        for id in [&late, &soon, &later] {
            act(&app, &clerk, "receiveDossier", id, 1, "").await;
            act(&app, &specialist, "startProcessing", id, 2, "").await;
        }
        let uuid = |id: String| {
            let app = &app;
            let clerk = clerk.clone();
            async move {
                dossier(app, &clerk, &id).await["uuid"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            }
        };
        let now = chrono::Utc::now().timestamp();
        let local = |s: i64| {
            chrono::DateTime::from_timestamp(s, 0)
                .unwrap()
                .with_timezone(&deadline::VN_OFFSET)
                .to_rfc3339()
        };
        app.db
            .execute_unprepared(&format!(
                "UPDATE dossiers SET due_at = '{}' WHERE id = '{}'",
                local(now - 3600),
                uuid(late.clone()).await
            ))
            .await
            .unwrap();
        app.db
            .execute_unprepared(&format!(
                "UPDATE dossiers SET due_at = '{}' WHERE id = '{}'",
                local(now + 60),
                uuid(soon.clone()).await
            ))
            .await
            .unwrap();
        let marks = motcua_api::service::dossier::deadlines::mark(&app.db, &app.deps.filing, now)
            .await
            .unwrap();
        assert_eq!((marks.overdue, marks.due_soon), (1, 1), "{db}: {marks:?}");
        // A second pass (another instance, the next minute) changes and tells nothing more.
        let again = motcua_api::service::dossier::deadlines::mark(&app.db, &app.deps.filing, now)
            .await
            .unwrap();
        assert_eq!(
            again,
            motcua_api::service::dossier::deadlines::Marks::default(),
            "{db}"
        );
        assert_eq!(
            dossier(&app, &leader, &late).await["deadlineState"],
            "OVERDUE"
        );
        assert_eq!(
            dossier(&app, &leader, &soon).await["deadlineState"],
            "DUE_SOON"
        );
        assert_eq!(
            dossier(&app, &leader, &later).await["deadlineState"],
            "ON_TRACK"
        );
        let told = kinds(&app, &specialist).await;
        assert_eq!(
            told.iter().filter(|k| *k == "OVERDUE").count(),
            1,
            "{db}: {told:?}"
        );
        assert_eq!(
            told.iter().filter(|k| *k == "DUE_SOON").count(),
            1,
            "{db}: {told:?}"
        );

        // Form 04: the leader apologises with a new date, once; not earlier than the old one.
        let r = act(
            &app,
            &specialist,
            "apologizeAndRedate",
            &late,
            3,
            "reason: \"Cần xác minh thêm\", newDueAt: \"2099-01-05\"",
        )
        .await;
        assert_eq!(r["userErrors"][0]["code"], "ROLE_NOT_ALLOWED", "{db}: {r}");
        let r = act(
            &app,
            &leader,
            "apologizeAndRedate",
            &late,
            3,
            "reason: \"Cần xác minh thêm\", newDueAt: \"2020-01-05\"",
        )
        .await;
        assert_eq!(r["userErrors"][0]["code"], "REDATE_NOT_LATER", "{db}: {r}");
        let r = act(
            &app,
            &leader,
            "apologizeAndRedate",
            &late,
            3,
            "reason: \" \", newDueAt: \"2099-01-05\"",
        )
        .await;
        assert_eq!(r["userErrors"][0]["code"], "REASON_REQUIRED", "{db}: {r}");
        let r = act(
            &app,
            &leader,
            "apologizeAndRedate",
            &late,
            3,
            "reason: \"Cần xác minh thêm tại cơ quan khác\", newDueAt: \"2099-01-05\"",
        )
        .await;
        assert_eq!(r["dossier"]["status"], "PROCESSING", "{db}: {r}");
        let d = dossier(&app, &leader, &late).await;
        assert_eq!(d["dueAt"], "2099-01-05T17:00:00+07:00");
        assert_eq!(d["originalDueAt"], local(now - 3600));
        assert_eq!(
            (d["redateCount"].as_i64(), d["deadlineState"].as_str()),
            (Some(1), Some("ON_TRACK"))
        );
        let r = act(
            &app,
            &leader,
            "apologizeAndRedate",
            &late,
            4,
            "reason: \"Lần nữa\", newDueAt: \"2099-02-05\"",
        )
        .await;
        assert_eq!(
            r["userErrors"][0]["code"], "REDATE_ALREADY_USED",
            "{db}: {r}"
        );
        // The applicant (filed for at the desk, no account) is told by e-mail and SMS.
        let told = app.db.query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT channel, subject, body FROM outbox WHERE event_key LIKE '{}:%:REDATED:%' ORDER BY channel", d["uuid"].as_str().unwrap()),
        )).await.unwrap();
        assert_eq!(told.len(), 2, "{db}");
        let email_subject: String = told[0].try_get("", "subject").unwrap();
        assert!(
            email_subject.starts_with("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ"),
            "{email_subject}"
        );
        let sms: String = told[1].try_get("", "body").unwrap();
        assert!(sms.contains("17:00 ngày 05/01/2099"), "{sms}");
        let (status, text) = form_text(&app, &leader, &late, "04").await;
        assert_eq!(status, 200, "{db}");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Cần xác minh thêm tại cơ quan khác") && flat.contains("05/01/2099"),
            "{db}: {flat}"
        );
        let history = d["history"].as_array().unwrap();
        let redate = history.last().unwrap();
        assert_eq!(redate["action"], "APOLOGIZE_AND_REDATE");
        assert_eq!(redate["detail"]["oldDueAt"], local(now - 3600));
        assert_eq!(redate["detail"]["dueAt"], "2099-01-05T17:00:00+07:00");
    }
}

#[actix_web::test]
async fn a_calendar_change_recomputes_open_due_dates_with_history() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (admin, _) = app.login("quantri.tinh").await;
        let open = file(&app, &clerk, "1.001612", "c-1").await;
        let done = file(&app, &clerk, "1.001612", "c-2").await;
        act(&app, &clerk, "receiveDossier", &open, 1, "").await;
        act(&app, &clerk, "receiveDossier", &done, 1, "").await;
        let refused = file(&app, &clerk, "1.001612", "c-3").await;
        act(
            &app,
            &clerk,
            "refuseDossier",
            &refused,
            1,
            "reason: \"Hồ sơ không thuộc thẩm quyền\"",
        )
        .await;
        let (status, text) = form_text(&app, &clerk, &refused, "03").await;
        assert_eq!(status, 200, "{db}");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Hồ sơ không thuộc thẩm quyền")
                && flat.to_uppercase().contains("PHIẾU TỪ CHỐI"),
            "{db}: {flat}"
        );
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        act(&app, &leader, "stopDossier", &done, 2, "reason: \"Dừng\"").await;
        let before = dossier(&app, &clerk, &open).await;
        let due = before["dueAt"].as_str().unwrap().to_owned();
        let day = &due[..10];
        // The due day becomes a day off (a storm closure): the due date moves later.
        let (_, r) = app
            .call(Some(&admin), "mutation($d: String!) { setCalendarDay(date: $d, dayOff: true, reasonVi: \"Nghỉ do bão\", reasonEn: \"Storm closure\") { recomputedDossiers userErrors { code } } }", json!({ "d": day }))
            .await;
        assert_eq!(
            r["data"]["setCalendarDay"]["recomputedDossiers"], 1,
            "{db}: {r}"
        );
        let after = dossier(&app, &clerk, &open).await;
        let moved = after["dueAt"].as_str().unwrap().to_owned();
        assert!(moved > due, "{db}: {due} → {moved}");
        let last = after["history"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "RECOMPUTE_DUE", "{db}: {last}");
        assert_eq!(last["role"], "SYSTEM");
        assert_eq!(
            (
                last["detail"]["oldDueAt"].as_str(),
                last["detail"]["dueAt"].as_str()
            ),
            (Some(due.as_str()), Some(moved.as_str()))
        );
        assert_eq!(last["detail"]["cause"]["date"], day);
        assert_eq!(
            after["version"].as_i64(),
            before["version"].as_i64().map(|v| v + 1)
        );
        // The stopped dossier keeps its date.
        assert_eq!(
            dossier(&app, &clerk, &done).await["history"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        // Removing the day off moves it back.
        let (_, r) = app
            .call(Some(&admin), "mutation($d: String!) { removeCalendarDay(date: $d) { removed recomputedDossiers } }", json!({ "d": day }))
            .await;
        assert_eq!(
            r["data"]["removeCalendarDay"]["recomputedDossiers"], 1,
            "{db}: {r}"
        );
        assert_eq!(dossier(&app, &clerk, &open).await["dueAt"], due.as_str());
    }
}
