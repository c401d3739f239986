//! Complaints and feedback (PAKN, issue 17): filed with or without an account, every problem at
//! once, routed to the dossier's agency, deadlines in working days, answered and published
//! without personal data, only by the agency's officials.

use serde_json::json;

use crate::helpers::*;

const SUBMIT: &str = "mutation($i: SubmitFeedbackInput!) { submitFeedback(input: $i) {
  feedback { id code status agencyId refuseBy requestInfoBy resolveBy } userErrors { path code } } }";

#[actix_web::test]
async fn a_complaint_is_routed_answered_in_time_and_published_without_personal_data() {
    for db in databases() {
        let app = TestApp::spawn(&db, motcua_api::config::Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let id = file(&app, &clerk, "2.000815", "pakn-1").await;
        let (_, d) = app
            .call(
                Some(&clerk),
                "query($id: ID!) { dossier(id: $id) { code } }",
                json!({ "id": id }),
            )
            .await;
        let dossier_code = d["data"]["dossier"]["code"].as_str().unwrap().to_owned();

        // Without an account: every problem at once, then a contact is required.
        let (_, r) = app
            .call(
                None,
                SUBMIT,
                json!({ "i": { "about": "DOSSIER", "reference": "KHONG-CO", "subject": "Ơ",
                "content": "ngắn", "name": "An", "email": "sai" } }),
            )
            .await;
        assert_eq!(
            user_error_codes(&r, "submitFeedback"),
            [
                "TOO_SHORT",
                "TOO_SHORT",
                "INVALID_EMAIL",
                "DOSSIER_NOT_FOUND"
            ],
            "{db}: {r}"
        );
        let good = json!({ "about": "DOSSIER", "reference": dossier_code, "subject": "Hồ sơ chưa được xử lý",
            "content": "Tôi là Nguyễn Văn An, số điện thoại 0912345678. Hồ sơ của tôi chưa thấy cập nhật.",
            "name": "Nguyễn Văn An", "phone": "0912345678" });
        let (_, r) = app.call(None, SUBMIT, json!({ "i": good })).await;
        let filed = r["data"]["submitFeedback"]["feedback"].clone();
        assert_eq!(filed["status"], "RECEIVED", "{db}: {r}");
        // Routed to the dossier's agency; the deadlines are the core's (2 < 5 < 15 working days).
        assert_eq!(filed["agencyId"], app.agency_id("000.00.51.H42").await);
        let day = |k: &str| filed[k].as_str().unwrap()[..10].to_owned();
        assert!(day("refuseBy") < day("requestInfoBy") && day("requestInfoBy") < day("resolveBy"));

        // The agency's queue: its officials only.
        let queue =
            "query($a: ID!) { feedbackQueue(agencyId: $a) { id code name phone deadlineState } }";
        let agency = app.agency_id("000.00.51.H42").await;
        let (_, r) = app
            .call(Some(&specialist), queue, json!({ "a": agency }))
            .await;
        assert_eq!(
            r["data"]["feedbackQueue"][0]["id"], filed["id"],
            "{db}: {r}"
        );
        let (other, _) = app.login("tiepnhan.tamthanh").await;
        let (_, r) = app.call(Some(&other), queue, json!({ "a": agency })).await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");

        // Answered by the specialist (a clerk may not), once; published by the leader only.
        let answer = "mutation($id: ID!, $a: String!) { answerFeedback(id: $id, answer: $a) {
          feedback { status publishBy } userErrors { code } } }";
        let text = "Hồ sơ của ông Nguyễn Văn An đã được tiếp nhận và đang xử lý đúng hạn.";
        let (_, r) = app
            .call(
                Some(&clerk),
                answer,
                json!({ "id": filed["id"], "a": text }),
            )
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");
        let (_, r) = app
            .call(
                Some(&specialist),
                answer,
                json!({ "id": filed["id"], "a": text }),
            )
            .await;
        assert_eq!(
            r["data"]["answerFeedback"]["feedback"]["status"], "ANSWERED",
            "{db}: {r}"
        );
        assert!(r["data"]["answerFeedback"]["feedback"]["publishBy"].is_string());
        let (_, r) = app
            .call(
                Some(&specialist),
                answer,
                json!({ "id": filed["id"], "a": text }),
            )
            .await;
        assert_eq!(
            user_error_codes(&r, "answerFeedback"),
            ["ALREADY_ANSWERED"],
            "{r}"
        );
        let publish = "mutation($id: ID!) { publishFeedback(id: $id) { feedback { status } userErrors { code } } }";
        let (_, r) = app
            .call(Some(&specialist), publish, json!({ "id": filed["id"] }))
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{r}");
        let (_, r) = app
            .call(Some(&leader), publish, json!({ "id": filed["id"] }))
            .await;
        assert_eq!(
            r["data"]["publishFeedback"]["feedback"]["status"], "PUBLISHED",
            "{db}: {r}"
        );

        // Public, without the author's name or phone.
        let (_, r) = app
            .call(None, "{ publishedFeedback(first: 5) { text } }", json!({}))
            .await;
        let public = r["data"]["publishedFeedback"][0]["text"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(public.contains("đang xử lý đúng hạn"), "{public}");
        assert!(
            !public.contains("Nguyễn Văn An") && !public.contains("0912345678"),
            "{public}"
        );
    }
}
