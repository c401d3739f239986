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

/// The agency asks the author for information (once), the author replies and the answer's
/// deadline is counted again from the reply; the author alone rates the answer, once; another
/// filing is refused with its reason, and a refused filing takes no answer.
#[actix_web::test]
async fn information_asked_and_given_the_answer_rated_once_and_a_filing_refused() {
    for db in databases() {
        let app = TestApp::spawn(&db, motcua_api::config::Mode::Development).await;
        let (citizen, _) = app.login(CITIZEN).await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let agency = app.agency_id("000.00.51.H42").await;
        let filing = json!({ "about": "OTHER", "agencyId": agency, "subject": "Đường vào bộ phận một cửa",
            "content": "Đề nghị bố trí thêm chỗ để xe cho người dân đến nộp hồ sơ.", "name": "Người dân" });
        let (_, r) = app
            .call(Some(&citizen), SUBMIT, json!({ "i": filing }))
            .await;
        let first = r["data"]["submitFeedback"]["feedback"].clone();
        let id = first["id"].as_str().unwrap().to_owned();
        let (_, r) = app
            .call(Some(&citizen), SUBMIT, json!({ "i": filing }))
            .await;
        let second = r["data"]["submitFeedback"]["feedback"]["id"]
            .as_str()
            .unwrap()
            .to_owned();

        let ask =
            "mutation($id: ID!, $q: String!) { requestFeedbackInformation(id: $id, question: $q) {
          feedback { status infoRequest } userErrors { code } } }";
        let question = "Ông/bà cho biết cụ thể địa điểm bộ phận một cửa nào?";
        // Not the author, not a clerk: only the agency's specialists and leaders ask.
        for who in [&citizen, &clerk] {
            let (_, r) = app
                .call(Some(who), ask, json!({ "id": id, "q": question }))
                .await;
            assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        }
        let (_, r) = app
            .call(Some(&specialist), ask, json!({ "id": id, "q": "ngắn" }))
            .await;
        assert_eq!(
            user_error_codes(&r, "requestFeedbackInformation"),
            ["INVALID_QUESTION"],
            "{db}: {r}"
        );
        let (_, r) = app
            .call(Some(&specialist), ask, json!({ "id": id, "q": question }))
            .await;
        assert_eq!(
            r["data"]["requestFeedbackInformation"]["feedback"]["status"], "INFO_REQUESTED",
            "{db}: {r}"
        );

        // The author replies (only the author); the answer is due again 15 working days after.
        let reply =
            "mutation($id: ID!, $r: String!) { replyFeedbackInformation(id: $id, reply: $r) {
          feedback { status infoReply resolveBy } userErrors { code } } }";
        let text = "Bộ phận một cửa của phường Đông Kinh, số 1 đường Lê Lợi.";
        let (_, r) = app
            .call(Some(&specialist), reply, json!({ "id": id, "r": text }))
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        let (_, r) = app
            .call(Some(&citizen), reply, json!({ "id": id, "r": text }))
            .await;
        let replied = &r["data"]["replyFeedbackInformation"]["feedback"];
        assert_eq!(replied["status"], "RECEIVED", "{db}: {r}");
        assert_eq!(replied["infoReply"], text);
        assert!(
            replied["resolveBy"].as_str() >= first["resolveBy"].as_str(),
            "{r}"
        );
        let (_, r) = app
            .call(Some(&citizen), reply, json!({ "id": id, "r": text }))
            .await;
        assert_eq!(
            user_error_codes(&r, "replyFeedbackInformation"),
            ["WRONG_STATE"]
        );
        // Asked once only.
        let (_, r) = app
            .call(Some(&specialist), ask, json!({ "id": id, "q": question }))
            .await;
        assert_eq!(
            user_error_codes(&r, "requestFeedbackInformation"),
            ["WRONG_STATE"]
        );

        // Rated after the answer, by the author, once.
        let rate = "mutation($id: ID!, $r: SatisfactionAnswer!) { rateFeedbackAnswer(id: $id, rating: $r) {
          feedback { rating } userErrors { code } } }";
        let (_, r) = app
            .call(Some(&citizen), rate, json!({ "id": id, "r": "SATISFIED" }))
            .await;
        assert_eq!(
            user_error_codes(&r, "rateFeedbackAnswer"),
            ["WRONG_STATE"],
            "{db}: {r}"
        );
        let (_, r) = app
            .call(
                Some(&specialist),
                "mutation($id: ID!) { answerFeedback(id: $id, answer: \"Phường sẽ bố trí thêm chỗ để xe từ tháng sau.\") { userErrors { code } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            user_error_codes(&r, "answerFeedback"),
            Vec::<String>::new(),
            "{db}: {r}"
        );
        let (_, r) = app
            .call(
                Some(&specialist),
                rate,
                json!({ "id": id, "r": "SATISFIED" }),
            )
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        let (_, r) = app
            .call(
                Some(&citizen),
                rate,
                json!({ "id": id, "r": "VERY_SATISFIED" }),
            )
            .await;
        assert_eq!(
            r["data"]["rateFeedbackAnswer"]["feedback"]["rating"], "VERY_SATISFIED",
            "{db}: {r}"
        );
        let (_, r) = app
            .call(
                Some(&citizen),
                rate,
                json!({ "id": id, "r": "UNSATISFIED" }),
            )
            .await;
        assert_eq!(user_error_codes(&r, "rateFeedbackAnswer"), ["WRONG_STATE"]);

        // The second is refused with its reason; then it takes no answer and no second refusal.
        let refuse = "mutation($id: ID!, $r: String!) { refuseFeedback(id: $id, reason: $r) {
          feedback { status refusalReason } userErrors { code } } }";
        let reason = "Trùng nội dung với phản ánh PA đã được trả lời.";
        let (_, r) = app
            .call(Some(&clerk), refuse, json!({ "id": second, "r": reason }))
            .await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        let (_, r) = app
            .call(
                Some(&specialist),
                refuse,
                json!({ "id": second, "r": reason }),
            )
            .await;
        let refused = &r["data"]["refuseFeedback"]["feedback"];
        assert_eq!(
            (
                refused["status"].as_str(),
                refused["refusalReason"].as_str()
            ),
            (Some("REFUSED"), Some(reason)),
            "{db}: {r}"
        );
        let (_, r) = app
            .call(
                Some(&specialist),
                refuse,
                json!({ "id": second, "r": reason }),
            )
            .await;
        assert_eq!(user_error_codes(&r, "refuseFeedback"), ["WRONG_STATE"]);
        let (_, r) = app
            .call(
                Some(&specialist),
                "mutation($id: ID!) { answerFeedback(id: $id, answer: \"Một câu trả lời đủ dài.\") { userErrors { code } } }",
                json!({ "id": second }),
            )
            .await;
        assert_eq!(
            user_error_codes(&r, "answerFeedback"),
            ["ALREADY_ANSWERED"],
            "{db}: {r}"
        );
        // The author sees both, with the reason and the question.
        let (_, r) = app
            .call(
                Some(&citizen),
                "{ myFeedback { status refusalReason infoRequest rating } }",
                json!({}),
            )
            .await;
        let mine = r["data"]["myFeedback"]
            .as_array()
            .unwrap_or_else(|| panic!("{r}"));
        assert!(mine.iter().any(|f| f["refusalReason"] == reason), "{r}");
        assert!(
            mine.iter()
                .any(|f| f["infoRequest"] == question && f["rating"] == "VERY_SATISFIED"),
            "{r}"
        );
    }
}
