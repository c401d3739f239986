//! SECURITY.md G1–G4 at the HTTP boundary.

use motcua_api::config::Mode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[actix_web::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Production).await;
    for path in ["/healthz", "/readyz"] {
        let r = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}");
    }
}

#[actix_web::test]
async fn g1_introspection_and_suggestions_are_closed_in_production() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Production).await;
    let r = app
        .graphql("{ __schema { types { name } } }", json!({}), false)
        .await;
    assert!(r["errors"].is_array(), "{r}");
    let r = app
        .graphql(
            "{ procedur(code: \"2.000815\") { code } }",
            json!({}),
            false,
        )
        .await;
    let text = r.to_string();
    assert!(
        r["errors"].is_array() && !text.contains("Did you mean"),
        "{r}"
    );
    let playground = app
        .client
        .get(format!("{}/playground", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(playground.status(), 404);
}

#[actix_web::test]
async fn g2_documents_deeper_than_ten_are_refused_before_running() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let mut deep = "name".to_owned();
    for _ in 0..11 {
        deep = format!("ofType {{ {deep} }}");
    }
    let r = app
        .graphql(
            &format!("{{ __type(name: \"Query\") {{ {deep} }} }}"),
            json!({}),
            false,
        )
        .await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("nested"),
        "{r}"
    );
    // 100 aliased searches of 50 exceed the complexity budget.
    let aliases: String = (0..100)
        .map(|i| format!("a{i}: procedures(first: 50) {{ edges {{ cursor }} }} "))
        .collect();
    let r = app
        .graphql(&format!("{{ {aliases} }}"), json!({}), false)
        .await;
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("complex"),
        "{r}"
    );
    assert!(r["data"].is_null(), "{r}");
}

#[actix_web::test]
async fn g3_batched_requests_are_refused() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let r = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!([{ "query": "{ procedures { edges { cursor } } }" }, { "query": "{ procedures { edges { cursor } } }" }]))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}

#[actix_web::test]
async fn g4_get_and_non_json_posts_run_nothing() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let get = app
        .client
        .get(format!(
            "{}/graphql?query=%7Bprocedures%7Bedges%7Bcursor%7D%7D%7D",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let r = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("content-type", content_type)
            .body(r#"{"query":"{ procedures { edges { cursor } } }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415, "{content_type}");
        let body = r.text().await.unwrap();
        assert!(
            serde_json::from_str::<Value>(&body).is_err(),
            "nothing ran: {body}"
        );
    }
}

#[actix_web::test]
async fn g6_a_body_over_the_limit_is_refused_with_413() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Development).await;
    let big = "a".repeat(motcua_api::startup::MAX_BODY + 1);
    let r = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "{ procedures { edges { cursor } } }", "variables": { "x": big } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}

#[actix_web::test]
async fn g2_a_hundred_aliased_logins_are_refused_before_any_runs() {
    for db in crate::helpers::databases() {
        let app = TestApp::spawn(&db, Mode::Development).await;
        let body: String = (0..100)
            .map(|i| format!("a{i}: login(identifier: \"020090123456\", password: \"sai {i}\") {{ accessToken }} "))
            .collect();
        let (status, r) = app
            .call(None, &format!("mutation {{ {body} }}"), json!({}))
            .await;
        assert_eq!(status, 200);
        assert!(r["data"].is_null(), "{db}: {r}");
        assert!(
            r["errors"][0]["message"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("complex"),
            "{db}: {r}"
        );
        // Nothing ran: no failure was counted, the account is not locked, the IP not limited.
        let p = app
            .login_payload("020090123456", crate::helpers::DEMO_PASSWORD)
            .await;
        assert!(p["accessToken"].is_string(), "{db}: {p}");
    }
}

#[actix_web::test]
async fn bad_tokens_get_401_with_a_challenge_and_metrics_count_requests() {
    let app = TestApp::spawn("sqlite::memory:", Mode::Production).await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth("not.a.token")
        .json(&json!({ "query": "{ agencies { code } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let r: Value = response.json().await.unwrap();
    assert_eq!(crate::helpers::code(&r), "UNAUTHENTICATED");
    app.graphql("{ agencies { code } }", json!({}), false).await;
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("motcua_graphql_requests_total{outcome=\"unauthenticated\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("motcua_graphql_requests_total{outcome=\"ok\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("motcua_graphql_request_duration_seconds_count 2"),
        "{metrics}"
    );
}
