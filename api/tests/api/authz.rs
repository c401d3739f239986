//! Who may act on a dossier and who an account is, over real HTTP on SQLite and PostgreSQL
//! (SECURITY.md Z1–Z4, Z6, Z7, A9, G5): officials never act as the applicant; drafts stay
//! private; administrators manage only accounts below them and never their own roles; internal
//! notes stay internal and ID numbers are masked in lists; a self-declared registration inherits
//! nothing; registration and sign-in do not tell who has an account; password operations are
//! bounded, limited and locked.

use motcua_api::config::{Config, Mode};
use serde_json::{Value, json};

use crate::helpers::{
    CITIZEN, DEMO_PASSWORD, TestApp, act, citizen_sample, code, databases, file, file_data, me,
    register,
};

const HISTORY: &str =
    "query($id: ID!) { dossier(id: $id) { status version formData applicantIdNumber
  history { action role reason detail } controlSheet { note result toUserId } } }";

async fn dossier(app: &TestApp, token: &str, id: &str) -> Value {
    let (_, r) = app.call(Some(token), HISTORY, json!({ "id": id })).await;
    r
}

/// The codes of a payload's `userErrors`, or the error code when the call failed.
fn refusal(r: &Value) -> String {
    r["userErrors"][0]["code"]
        .as_str()
        .map_or_else(|| code(r).to_owned(), str::to_owned)
}

#[actix_web::test]
async fn z1_an_official_never_acts_as_the_applicant() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let (police, _) = app.login("chuyenvien.congan").await;
        let (citizen, _) = app.login(CITIZEN).await;

        // Before receipt: the clerk asks for a supplement; the ward leader (who may see it, as
        // the competent agency) cannot bring it as the applicant, nor rewrite the form.
        let id = file(&app, &clerk, "2.000815", "z1-a").await;
        let r = act(
            &app,
            &clerk,
            "requestSupplement",
            &id,
            1,
            "reason: \"Thiếu bản sao\", missing: [\"Bản sao bằng\"]",
        )
        .await;
        assert_eq!(r["dossier"]["status"], "SUPPLEMENT_REQUESTED", "{db}: {r}");
        let before = dossier(&app, &clerk, &id).await["data"]["dossier"]["formData"].clone();
        let mut forged = citizen_sample("2.000815");
        forged["applicant"]["full_name"] = json!("Người Giả Mạo");
        let (_, r) = app
            .call(
                Some(&leader),
                "mutation($id: ID!, $f: JSON) { supplementDossier(id: $id, version: 2, formData: $f) {
                   dossier { status } userErrors { code } } }",
                json!({ "id": id, "f": forged }),
            )
            .await;
        assert_eq!(
            refusal(&r["data"]["supplementDossier"]),
            "ROLE_NOT_ALLOWED",
            "{db}: {r}"
        );
        let after = dossier(&app, &clerk, &id).await["data"]["dossier"]["formData"].clone();
        assert_eq!(before, after, "{db}: the form is untouched");
        // The clerk of the receiving desk may bring it, explicitly as the clerk.
        let r = act(&app, &clerk, "supplementDossier", &id, 2, "").await;
        assert_eq!(r["dossier"]["status"], "SUBMITTED", "{db}: {r}");

        // The ward clerk cannot withdraw what the citizen filed.
        let r = act(&app, &clerk, "withdrawDossier", &id, 3, "reason: \"rút\"").await;
        assert_eq!(refusal(&r), "ROLE_NOT_ALLOWED", "{db}: {r}");

        // After hand-over to the police, the ward specialist still sees it (it handed it over)
        // but cannot withdraw it.
        let r = act(&app, &clerk, "receiveDossier", &id, 3, "").await;
        assert_eq!(r["dossier"]["status"], "RECEIVED", "{db}: {r}");
        let r = act(&app, &specialist, "startProcessing", &id, 4, "").await;
        assert_eq!(r["dossier"]["status"], "PROCESSING", "{db}: {r}");
        let police_id = me(&app, &police).await;
        let r = act(
            &app,
            &specialist,
            "handOverDossier",
            &id,
            5,
            &format!("input: {{ toUserId: \"{police_id}\", note: \"Ghi chú nội bộ Z7\" }}"),
        )
        .await;
        assert_eq!(r["dossier"]["version"], 6, "{db}: {r}");
        for official in [&specialist, &leader, &clerk, &police] {
            let r = act(&app, official, "withdrawDossier", &id, 6, "reason: \"rút\"").await;
            let refused = refusal(&r);
            assert!(
                refused == "ROLE_NOT_ALLOWED" || refused == "NOT_FOUND",
                "{db}: {r}"
            );
        }
        let d = dossier(&app, &clerk, &id).await;
        assert_eq!(d["data"]["dossier"]["status"], "PROCESSING", "{db}: {d}");
        let history = d["data"]["dossier"]["history"].as_array().unwrap().clone();
        assert!(
            history.iter().all(|h| h["role"] != "APPLICANT"),
            "{db}: no official acted as the applicant: {history:?}"
        );
        // The applicant alone withdraws it.
        let r = act(
            &app,
            &citizen,
            "withdrawDossier",
            &id,
            6,
            "reason: \"Tôi rút\"",
        )
        .await;
        assert_eq!(r["dossier"]["status"], "WITHDRAWN", "{db}: {r}");
    }
}

#[actix_web::test]
async fn z2_drafts_are_private_until_submitted() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (citizen, _) = app.login(CITIZEN).await;
        let (_, r) = app
            .call(
                Some(&citizen),
                "mutation { createDraft(procedureCode: \"2.000815\") { dossier { id receivingAgency { code } } userErrors { code } } }",
                json!({}),
            )
            .await;
        let draft = r["data"]["createDraft"]["dossier"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {r}"))
            .to_owned();
        let unit = r["data"]["createDraft"]["dossier"]["receivingAgency"]["code"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            unit, "000.00.51.H42",
            "{db}: the draft names the Đông Kinh desk"
        );
        for official in [
            "tiepnhan.dongkinh",
            "chuyenvien.dongkinh",
            "lanhdao.dongkinh",
        ] {
            let (token, _) = app.login(official).await;
            let d = dossier(&app, &token, &draft).await;
            assert_eq!(code(&d), "NOT_FOUND", "{db}: {official}: {d}");
        }
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (_, q) = app
            .call(
                Some(&clerk),
                "{ intakeQueue(status: [\"DRAFT\"]) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&q), "INVALID_INPUT", "{db}: {q}");
        let (_, q) = app
            .call(
                Some(&clerk),
                "{ intakeQueue(status: [\"SUBMITTED\", \"NOPE\"]) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(code(&q), "INVALID_INPUT", "{db}: {q}");
        // The author still sees it.
        let d = dossier(&app, &citizen, &draft).await;
        assert_eq!(d["data"]["dossier"]["status"], "DRAFT", "{db}: {d}");
    }
}

const SET_ROLES: &str =
    "mutation($u: ID!, $r: [RoleGrantInput!]!) { setUserRoles(userId: $u, roles: $r) { id } }";
const DISABLE: &str =
    "mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { id disabled } }";

#[actix_web::test]
async fn z3_administrators_manage_only_accounts_below_them_and_never_their_own_roles() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (ward_admin, _) = app.login("quantri.dongkinh").await;
        let (province, _) = app.login("quantri.tinh").await;
        let ward = app.agency_id("000.00.51.H42").await;
        let ward_admin_id = me(&app, &ward_admin).await;
        let province_id = me(&app, &province).await;
        // Granting itself LEADER: refused, and it still cannot resolve anything.
        for role in ["LEADER", "SPECIALIST", "AGENCY_ADMIN"] {
            let (_, r) = app
                .call(
                    Some(&ward_admin),
                    SET_ROLES,
                    json!({ "u": ward_admin_id, "r": [{ "role": role, "agencyId": ward }, { "role": "AGENCY_ADMIN", "agencyId": ward }] }),
                )
                .await;
            assert_eq!(code(&r), "FORBIDDEN", "{db}: {role}: {r}");
        }
        let (_, r) = app
            .call(Some(&ward_admin), "{ me { roles { role } } }", json!({}))
            .await;
        assert_eq!(
            r["data"]["me"]["roles"],
            json!([{ "role": "AGENCY_ADMIN" }]),
            "{db}: {r}"
        );
        // Not even the province administrator changes its own roles.
        let (_, r) = app
            .call(
                Some(&province),
                SET_ROLES,
                json!({ "u": province_id, "r": [] }),
            )
            .await;
        assert_eq!(code(&r), "FORBIDDEN", "{db}: {r}");
        // A fellow administrator of the same ward, and the province administrator, are out of
        // the ward administrator's reach.
        let (_, created) = app
            .call(
                Some(&province),
                "mutation($a: ID!) { createOfficial(input: { username: \"quantri2.dongkinh\", fullName: \"Quản Trị Hai\", roles: [{ role: AGENCY_ADMIN, agencyId: $a }] }) { account { id } userErrors { code } } }",
                json!({ "a": ward }),
            )
            .await;
        let fellow = created["data"]["createOfficial"]["account"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {created}"))
            .to_owned();
        for target in [&fellow, &province_id] {
            let (_, r) = app
                .call(Some(&ward_admin), DISABLE, json!({ "u": target }))
                .await;
            assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
            let (_, r) = app
                .call(
                    Some(&ward_admin),
                    SET_ROLES,
                    json!({ "u": target, "r": [{ "role": "CLERK", "agencyId": ward }] }),
                )
                .await;
            assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        }
        // Below it: its clerk.
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let clerk_id = me(&app, &clerk).await;
        let (_, r) = app
            .call(Some(&ward_admin), DISABLE, json!({ "u": clerk_id }))
            .await;
        assert_eq!(r["data"]["setUserDisabled"]["disabled"], true, "{db}: {r}");
        // The province administrator manages the ward's administrator.
        let (_, r) = app
            .call(Some(&province), DISABLE, json!({ "u": fellow }))
            .await;
        assert_eq!(r["data"]["setUserDisabled"]["disabled"], true, "{db}: {r}");
    }
}

#[actix_web::test]
async fn z7_internal_notes_stay_internal_and_lists_mask_id_numbers() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        let (leader, _) = app.login("lanhdao.dongkinh").await;
        let (citizen, _) = app.login(CITIZEN).await;
        let id = file(&app, &clerk, "2.000815", "z7").await;
        // The queue masks the number; the dossier page shows it whole to the clerk.
        let (_, q) = app
            .call(
                Some(&clerk),
                "{ intakeQueue { edges { node { id applicantIdNumber } } } }",
                json!({}),
            )
            .await;
        let row = q["data"]["intakeQueue"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{db}: {q}"))
            .clone();
        assert_eq!(row["node"]["applicantIdNumber"], "020******456", "{db}");
        let d = dossier(&app, &clerk, &id).await;
        assert_eq!(d["data"]["dossier"]["applicantIdNumber"], CITIZEN, "{db}");
        let (_, mine) = app
            .call(
                Some(&citizen),
                "{ myDossiers { edges { node { applicantIdNumber } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["data"]["myDossiers"]["edges"][0]["node"]["applicantIdNumber"], "020******456",
            "{db}: {mine}"
        );
        // A hand-over with a note between officials.
        act(&app, &clerk, "receiveDossier", &id, 1, "").await;
        act(&app, &specialist, "startProcessing", &id, 2, "").await;
        let leader_id = me(&app, &leader).await;
        let r = act(
            &app,
            &specialist,
            "handOverDossier",
            &id,
            3,
            &format!(
                "input: {{ toUserId: \"{leader_id}\", result: \"Kết quả thẩm định nội bộ\", note: \"Ghi chú nội bộ Z7\" }}"
            ),
        )
        .await;
        assert_eq!(r["dossier"]["version"], 4, "{db}: {r}");
        let official = dossier(&app, &clerk, &id).await.to_string();
        assert!(official.contains("Ghi chú nội bộ Z7"), "{db}: {official}");
        assert!(official.contains("Kết quả thẩm định nội bộ"), "{db}");
        let public = dossier(&app, &citizen, &id).await;
        let text = public.to_string();
        assert!(
            public["data"]["dossier"]["history"].is_array(),
            "{db}: {public}"
        );
        for secret in ["Ghi chú nội bộ Z7", "Kết quả thẩm định nội bộ", &leader_id]
        {
            assert!(!text.contains(secret), "{db}: {secret} leaked: {text}");
        }
        // The printed control sheet (form 06) the applicant downloads has no notes either.
        let response = app
            .client
            .get(format!("{}/dossiers/{id}/forms/06.pdf", app.address))
            .bearer_auth(&citizen)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{db}");
    }
}

/// A valid personal ID that no demo account holds.
const VICTIM: &str = "001099012345";

#[actix_web::test]
async fn z4_a_self_declared_registration_inherits_no_dossier() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        // The squatter registers someone else's number.
        let r = register(&app, VICTIM, "Kẻ Mạo Danh", "mật khẩu kẻ mạo danh").await;
        assert_eq!(r["accepted"], true, "{db}: {r}");
        // The real person files at the desk, papers in hand.
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let mut data = citizen_sample("2.000815");
        data["applicant"]["id_number"] = json!(VICTIM);
        let id = file_data(&app, &clerk, "2.000815", "z4", data).await;
        let squatter = app.login_payload(VICTIM, "mật khẩu kẻ mạo danh").await["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, mine) = app
            .call(
                Some(&squatter),
                "{ myDossiers { edges { node { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            mine["data"]["myDossiers"]["edges"],
            json!([]),
            "{db}: {mine}"
        );
        let d = dossier(&app, &squatter, &id).await;
        assert_eq!(code(&d), "NOT_FOUND", "{db}: {d}");
        let r = act(
            &app,
            &squatter,
            "withdrawDossier",
            &id,
            1,
            "reason: \"rút\"",
        )
        .await;
        assert_eq!(code(&r), "NOT_FOUND", "{db}: {r}");
        // A checked (demo) citizen does get what is filed for their number.
        let (citizen, _) = app.login(CITIZEN).await;
        let mine_id = file(&app, &clerk, "2.000815", "z4-b").await;
        let d = dossier(&app, &citizen, &mine_id).await;
        assert_eq!(d["data"]["dossier"]["status"], "SUBMITTED", "{db}: {d}");
    }
}

#[actix_web::test]
async fn z6_registration_and_sign_in_do_not_tell_who_has_an_account() {
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let taken = register(&app, CITIZEN, "Ai Đó", "một mật khẩu dài").await;
        let free = register(&app, VICTIM, "Ai Đó", "một mật khẩu dài").await;
        assert_eq!(taken, free, "{db}");
        // Six wrong passwords for a real account and for a login nobody has: the same answers.
        let attempt = |login: &'static str| {
            let app = &app;
            async move {
                let mut answers = Vec::new();
                for _ in 0..6 {
                    let p = app.graphql(
                        "mutation($i: String!) { login(identifier: $i, password: \"sai mật khẩu rồi\") { accessToken userErrors { code message } } }",
                        json!({ "i": login }),
                        false,
                    ).await;
                    let mut p = p;
                    if let Some(e) = p
                        .get_mut("errors")
                        .and_then(|e| e.get_mut(0))
                        .and_then(Value::as_object_mut)
                    {
                        e.remove("locations");
                        if let Some(x) = e.get_mut("extensions").and_then(Value::as_object_mut) {
                            x.remove("retryAfter");
                        }
                    }
                    answers.push(p);
                }
                answers
            }
        };
        let known = attempt("020195654321").await;
        let unknown = attempt("079300000001").await;
        assert_eq!(known, unknown, "{db}");
        assert_eq!(code(&known[5]), "ACCOUNT_LOCKED", "{db}: {:?}", known[5]);
    }
}

#[actix_web::test]
async fn a9_password_operations_are_bounded_limited_and_locked() {
    for db in databases() {
        let mut config = Config::for_tests();
        config.auth.logins_per_ip_per_minute = 10;
        let app = TestApp::spawn_with(&db, config).await;
        // Nineteen aliased registrations in one request: refused before any hash runs.
        let aliases: String = (0..19)
            .map(|i| {
                format!(
                    "r{i}: register(input: {{ kind: CITIZEN, identifier: \"079300000{i:03}\", fullName: \"Bí Danh\", password: \"một mật khẩu dài\" }}) {{ accepted }} "
                )
            })
            .collect();
        let (_, r) = app
            .call(None, &format!("mutation {{ {aliases} }}"), json!({}))
            .await;
        assert!(r["data"].is_null(), "{db}: {r}");
        let text = r["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_lowercase();
        assert!(text.contains("complex"), "{db}: {r}");
        // Registrations are limited per client address.
        let mut limited = 0;
        for i in 0..12 {
            let r = register(
                &app,
                &format!("079300001{i:03}"),
                "Ai Đó",
                "một mật khẩu dài",
            )
            .await;
            if r["accepted"].is_null() {
                limited += 1;
            }
        }
        assert_eq!(limited, 2, "{db}");
        // changePassword counts wrong current passwords toward the lock and respects it.
        let (token, _) = app.login(CITIZEN).await;
        const CHANGE: &str = "mutation($c: String!) { changePassword(currentPassword: $c, newPassword: \"một mật khẩu mới dài\") { accessToken userErrors { code } } }";
        for _ in 0..5 {
            let (_, r) = app
                .call(Some(&token), CHANGE, json!({ "c": "sai mật khẩu rồi" }))
                .await;
            assert_eq!(
                r["data"]["changePassword"]["userErrors"][0]["code"], "INVALID_CREDENTIALS",
                "{db}: {r}"
            );
        }
        let (status, r) = app
            .call(Some(&token), CHANGE, json!({ "c": DEMO_PASSWORD }))
            .await;
        assert_eq!(code(&r), "ACCOUNT_LOCKED", "{db}: {r}");
        assert_eq!(status, 429, "{db}");
        // And the account's password is unchanged.
        let p = app.login_payload(CITIZEN, "một mật khẩu mới dài").await;
        assert!(p["accessToken"].is_null(), "{db}: {p}");
    }
}

#[actix_web::test]
async fn z4_a_clerk_confirms_an_identity_only_with_the_code_its_holder_shows() {
    const CONFIRM: &str =
        "mutation($i: String!, $c: String!) { confirmIdentityAtDesk(identifier: $i, code: $c) {
      account { login identityLevel } userErrors { code message } } }";
    for db in databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let r = register(&app, VICTIM, "Người Thật", "mật khẩu người thật").await;
        assert_eq!(r["accepted"], true, "{db}: {r}");
        let (clerk, _) = app.login("tiepnhan.dongkinh").await;
        let mut data = citizen_sample("2.000815");
        data["applicant"]["id_number"] = json!(VICTIM);
        let id = file_data(&app, &clerk, "2.000815", "z4-desk", data).await;
        let person = app.login_payload(VICTIM, "mật khẩu người thật").await;
        assert_eq!(
            person["account"]["identityLevel"], "SELF_DECLARED",
            "{db}: {person}"
        );
        let person = person["accessToken"].as_str().unwrap().to_owned();
        // Without a code, with a made-up code, for a number without an account: one answer.
        for (identifier, code) in [(VICTIM, "00000000"), ("079300000999", "12345678")] {
            let (_, r) = app
                .call(Some(&clerk), CONFIRM, json!({ "i": identifier, "c": code }))
                .await;
            assert_eq!(
                r["data"]["confirmIdentityAtDesk"]["userErrors"][0]["code"],
                "IDENTITY_CODE_INVALID",
                "{db}: {r}"
            );
        }
        let (_, r) = app
            .call(
                Some(&person),
                "mutation { requestDeskCheckCode { code expiresAt } }",
                json!({}),
            )
            .await;
        let code_shown = r["data"]["requestDeskCheckCode"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{db}: {r}"))
            .to_owned();
        assert_eq!(code_shown.len(), 8, "{db}");
        // The person cannot confirm themselves; a specialist is no desk clerk.
        let (specialist, _) = app.login("chuyenvien.dongkinh").await;
        for token in [&person, &specialist] {
            let (_, r) = app
                .call(
                    Some(token),
                    CONFIRM,
                    json!({ "i": VICTIM, "c": code_shown }),
                )
                .await;
            assert_eq!(code(&r), "FORBIDDEN", "{db}: {r}");
        }
        let (_, r) = app
            .call(
                Some(&clerk),
                CONFIRM,
                json!({ "i": VICTIM, "c": code_shown }),
            )
            .await;
        assert_eq!(
            r["data"]["confirmIdentityAtDesk"]["account"]["identityLevel"], "DESK_CHECKED",
            "{db}: {r}"
        );
        // The code works once; the desk dossier filed earlier now reaches the account.
        let (_, r) = app
            .call(
                Some(&clerk),
                CONFIRM,
                json!({ "i": VICTIM, "c": code_shown }),
            )
            .await;
        assert_eq!(
            r["data"]["confirmIdentityAtDesk"]["userErrors"][0]["code"], "IDENTITY_CODE_INVALID",
            "{db}: {r}"
        );
        let d = dossier(&app, &person, &id).await;
        assert_eq!(d["data"]["dossier"]["status"], "SUBMITTED", "{db}: {d}");
    }
}
