//! The wasm-bindgen-test suite shared by the Node and the headless-Chromium entry files: the
//! exported JS functions against the emulator over real HTTP on 127.0.0.1.

use js_sys::{Array, Promise, Reflect, JSON};
use refold_linked_accounts::bindings::{
    all_linked_accounts, create_session_token, delete_linked_account, get_linked_account,
    is_linked_account_error, list_linked_accounts, upsert_linked_account,
    validate_upsert_linked_account,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// The emulator scripts/test.sh starts for this suite on a free port; without it, one on the
/// emulator's default port.
const EMULATOR: &str = match option_env!("REFOLD_EMULATOR_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};
/// The emulator's default test-environment key.
const TEST_KEY: &str = "tk5f0c7c2e-8a8b-4f6e-9a51-0d6b1c7e2a10";
const CREDENTIAL: &str = "cred-value-9f8e7d";

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn get(target: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(target.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).unwrap()
    })
}

fn get_str(target: &JsValue, path: &str) -> Option<String> {
    get(target, path).as_string()
}

fn get_num(target: &JsValue, path: &str) -> f64 {
    get(target, path).as_f64().unwrap()
}

fn in_browser() -> bool {
    !Reflect::get(&js_sys::global(), &"document".into())
        .unwrap()
        .is_undefined()
}

/// Options for the emulator, tagging each request with `x-test-case` so the request log can
/// be filtered per test.
fn options(case: &str, key: &str) -> JsValue {
    let options = json(&format!(
        r#"{{"apiKey":"{key}","baseUrl":"{EMULATOR}","headers":{{"x-test-case":"{case}"}}}}"#
    ));
    if in_browser() {
        Reflect::set(&options, &"dangerouslyAllowBrowser".into(), &JsValue::TRUE).unwrap();
    }
    options
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}@example.com", js_sys::Math::random().to_bits())
}

fn seed_request(id: &str, some_key1: &str) -> JsValue {
    json(&format!(
        r#"{{
            "linked_account_id": "{id}",
            "name": "Mark Wood",
            "your_app": {{"auth_credentials": {{"x-api-key": "{CREDENTIAL}", "base-url": "https://api.example.com"}}}},
            "udf": {{"some_key1": "{some_key1}", "some_key2": "some data 2", "some_key3": "some data 3"}}
        }}"#
    ))
}

async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

async fn logged_requests(case: &str) -> Vec<JsValue> {
    let response = JsFuture::from(
        web_sys::window()
            .map(|w| w.fetch_with_str(&format!("{EMULATOR}/__emulator/requests")))
            .unwrap_or_else(|| {
                let fetch: js_sys::Function = get(&js_sys::global(), "fetch").unchecked_into();
                fetch
                    .call1(
                        &JsValue::UNDEFINED,
                        &format!("{EMULATOR}/__emulator/requests").into(),
                    )
                    .unwrap()
                    .unchecked_into()
            }),
    )
    .await
    .unwrap();
    let text = JsFuture::from(
        response
            .unchecked_into::<web_sys::Response>()
            .text()
            .unwrap(),
    )
    .await
    .unwrap();
    let log: Array = json(&text.as_string().unwrap()).unchecked_into();
    log.iter()
        .filter(|entry| get_str(entry, "headers.x-test-case").as_deref() == Some(case))
        .collect()
}

#[wasm_bindgen_test]
async fn creates_then_updates_the_seed_account() {
    let id = unique("mark");
    let created = settle(upsert_linked_account(
        seed_request(&id, "some data 1"),
        options("create-update", TEST_KEY),
    ))
    .await
    .unwrap();
    assert_eq!(get_str(&created, "account_id").unwrap(), id);
    assert_eq!(get_str(&created, "name").unwrap(), "Mark Wood");
    assert_eq!(get_str(&created, "environment").unwrap(), "test");
    assert_eq!(get_num(&created, "__v"), 0.0);
    assert_eq!(get(&created, "new_account"), JsValue::TRUE);
    assert_eq!(get_num(&created, "udf.length"), 3.0);
    assert_eq!(get_str(&created, "udf.0.key_name").unwrap(), "some_key1");
    assert_eq!(get_str(&created, "udf.0.key_value").unwrap(), "some data 1");
    assert_eq!(get_str(&created, "_id").unwrap().len(), 24);
    let text = JSON::stringify(&created).unwrap().as_string().unwrap();
    assert!(!text.contains(CREDENTIAL), "credentials are never returned");
    // A plain JSON-compatible object: a round trip through JSON changes nothing.
    assert_eq!(
        JSON::stringify(&json(&text)).unwrap().as_string().unwrap(),
        text
    );

    let updated = settle(upsert_linked_account(
        seed_request(&id, "Updated Value"),
        options("create-update", TEST_KEY),
    ))
    .await
    .unwrap();
    assert_eq!(get_num(&updated, "__v"), 1.0);
    assert_eq!(get(&updated, "new_account"), JsValue::FALSE);
    assert_eq!(
        get_str(&updated, "udf.0.key_value").unwrap(),
        "Updated Value"
    );
    assert_eq!(
        get_str(&updated, "udf.0._id"),
        get_str(&created, "udf.0._id")
    );
    assert_eq!(
        get_str(&updated, "createdAt"),
        get_str(&created, "createdAt")
    );
    assert_eq!(get_str(&updated, "_id"), get_str(&created, "_id"));
}

#[wasm_bindgen_test]
async fn wrong_key_is_http_error_401_with_request_id() {
    let wrong_key = "tk00000000-dead-beef-0000-000000000000";
    let error = settle(upsert_linked_account(
        seed_request(&unique("nokey"), "x"),
        options("wrong-key", wrong_key),
    ))
    .await
    .unwrap_err();
    assert!(is_linked_account_error(error.clone()));
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&error, "name").unwrap(), "LinkedAccountError");
    assert_eq!(get_str(&error, "code").unwrap(), "HTTP_ERROR");
    assert_eq!(get_num(&error, "status"), 401.0);
    assert_eq!(get_str(&error, "apiErrorCode").unwrap(), "SERVER_ERROR");
    assert_eq!(get_str(&error, "httpErrorType").unwrap(), "UNAUTHORIZED");
    assert_eq!(get_num(&error, "attempts"), 1.0);
    assert_eq!(get(&error, "retryable"), JsValue::FALSE);
    assert_eq!(get(&error, "retryAfterMs"), JsValue::NULL);
    let request_id = get_str(&error, "requestId").unwrap();
    assert_eq!(get_str(&error, "body.request_id").unwrap(), request_id);
    assert_eq!(request_id.len(), 36);
    let message = get_str(&error, "message").unwrap();
    assert!(message.contains("Invalid Credentials"), "{message}");
    assert!(message.contains(&request_id), "{message}");
    let everything = format!(
        "{message} {} {}",
        JSON::stringify(&error).unwrap().as_string().unwrap(),
        String::from(error.unchecked_ref::<js_sys::Object>().to_string())
    );
    assert!(!everything.contains(wrong_key));
    assert!(!everything.contains(CREDENTIAL));
}

#[wasm_bindgen_test]
async fn invalid_request_is_rejected_before_anything_is_sent() {
    let request = json(r#"{"linkedAccountId": "a", "udf": {"plan": {"tier": 1}}, "your_app": {}}"#);
    let case = unique("validation");
    let error = settle(upsert_linked_account(request, options(&case, TEST_KEY)))
        .await
        .unwrap_err();
    assert!(is_linked_account_error(error.clone()));
    assert_eq!(get_str(&error, "code").unwrap(), "VALIDATION_FAILED");
    let issues: Array = get(&error, "issues").unchecked_into();
    let summary: Vec<String> = issues
        .iter()
        .map(|issue| {
            let path: Array = get(&issue, "path").unchecked_into();
            let path: Vec<String> = path.iter().map(|p| p.as_string().unwrap()).collect();
            format!("{} {}", path.join("."), get_str(&issue, "code").unwrap())
        })
        .collect();
    assert_eq!(
        summary,
        [
            "linkedAccountId unrecognized_key",
            "udf.plan invalid_type",
            "your_app.auth_credentials required",
            "linked_account_id required",
        ]
    );
    assert_eq!(
        get_str(&error, "issues.0.message").unwrap(),
        "unrecognized key \"linkedAccountId\"; did you mean \"linked_account_id\"?"
    );
    assert!(get(&error, "attempts").is_undefined());
    assert!(logged_requests(&case).await.is_empty());
}

#[wasm_bindgen_test]
async fn invalid_options_are_rejected_before_anything_is_sent() {
    let case = unique("options");
    let options = json(&format!(
        r#"{{"apikey":"{TEST_KEY}","baseUrl":"{EMULATOR}","timeoutMs":0,"headers":{{"x-test-case":"{case}"}}}}"#
    ));
    let error = settle(upsert_linked_account(
        seed_request("o@example.com", "x"),
        options,
    ))
    .await
    .unwrap_err();
    assert_eq!(get_str(&error, "code").unwrap(), "INVALID_OPTIONS");
    assert_eq!(get_num(&error, "issues.length"), 2.0);
    assert_eq!(get_str(&error, "issues.0.path.0").unwrap(), "apikey");
    assert_eq!(
        get_str(&error, "issues.0.code").unwrap(),
        "unrecognized_key"
    );
    assert_eq!(get_str(&error, "issues.1.path.0").unwrap(), "timeoutMs");
    assert_eq!(get_str(&error, "issues.1.code").unwrap(), "too_small");
    assert!(!get_str(&error, "message").unwrap().contains(TEST_KEY));
    assert!(logged_requests(&case).await.is_empty());
}

#[wasm_bindgen_test]
fn validate_reports_every_issue_or_none() {
    let valid = validate_upsert_linked_account(seed_request("v@example.com", "x"));
    assert_eq!(valid.length(), 0);
    for (input, code) in [
        ("null", "invalid_type"),
        ("[]", "invalid_type"),
        ("\"id\"", "invalid_type"),
        (r#"{"linked_account_id": "   "}"#, "too_small"),
        (r#"{"linked_account_id": "a\u0007b"}"#, "invalid_string"),
        (r#"{"linked_account_id": 7}"#, "invalid_type"),
        (r#"{"linked_account_id": "a", "udf": {"": 1}}"#, "too_small"),
        (
            r#"{"linked_account_id": "a", "your_app": {"auth_credentials": {"K": "1", "k": "2"}}}"#,
            "duplicate_key",
        ),
    ] {
        let issues = validate_upsert_linked_account(json(input));
        assert_eq!(issues.length(), 1, "{input}");
        assert_eq!(get_str(&issues.get(0), "code").unwrap(), code, "{input}");
    }
    let nan = json(r#"{"linked_account_id": "a", "udf": {}}"#);
    Reflect::set(&get(&nan, "udf"), &"n".into(), &JsValue::from_f64(f64::NAN)).unwrap();
    let issues = validate_upsert_linked_account(nan);
    assert_eq!(get_str(&issues.get(0), "code").unwrap(), "not_finite");
    assert_eq!(
        validate_upsert_linked_account(JsValue::UNDEFINED).length(),
        1
    );
}

#[wasm_bindgen_test]
async fn the_module_keeps_working_after_bad_calls() {
    let bad_inputs = [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(f64::NAN),
        js_sys::Symbol::for_("x").into(),
        js_sys::Map::new().into(),
        json(r#"{"linked_account_id": {"deep": [1, 2, {"x": null}]}}"#),
        js_sys::Function::new_no_args("return 1").into(),
    ];
    for bad in bad_inputs {
        validate_upsert_linked_account(bad.clone());
        let error = settle(upsert_linked_account(bad.clone(), bad))
            .await
            .unwrap_err();
        assert!(is_linked_account_error(error));
    }
    let id = unique("after-bad");
    let ok = settle(upsert_linked_account(
        seed_request(&id, "fine"),
        options("after-bad", TEST_KEY),
    ))
    .await
    .unwrap();
    assert_eq!(get_str(&ok, "account_id").unwrap(), id);
}

#[wasm_bindgen_test]
fn is_linked_account_error_rejects_look_alikes() {
    assert!(!is_linked_account_error(JsValue::NULL));
    assert!(!is_linked_account_error(js_sys::Error::new("x").into()));
    let fake = json(r#"{"name": "LinkedAccountError", "code": "HTTP_ERROR"}"#);
    assert!(!is_linked_account_error(fake));
    let wrong_code = js_sys::Error::new("x");
    wrong_code.set_name("LinkedAccountError");
    Reflect::set(&wrong_code, &"code".into(), &"NOPE".into()).unwrap();
    assert!(!is_linked_account_error(wrong_code.into()));
}

#[wasm_bindgen_test]
async fn an_api_key_in_a_browser_page_needs_the_explicit_opt_in() {
    let id = unique("browser-key");
    // The Node and the browser runs share one emulator: the case tag must be this run's own.
    let case = unique("browser-key-case");
    let options = json(&format!(
        r#"{{"apiKey":"{TEST_KEY}","baseUrl":"{EMULATOR}","headers":{{"x-test-case":"{case}"}}}}"#
    ));
    let outcome = settle(upsert_linked_account(seed_request(&id, "x"), options)).await;
    if in_browser() {
        let error = outcome.unwrap_err();
        assert_eq!(get_str(&error, "code").unwrap(), "INVALID_OPTIONS");
        assert_eq!(get_str(&error, "issues.0.path.0").unwrap(), "apiKey");
        assert_eq!(get_str(&error, "issues.0.code").unwrap(), "conflict");
        assert!(get_str(&error, "issues.0.message")
            .unwrap()
            .contains("dangerouslyAllowBrowser"));
        assert!(logged_requests(&case).await.is_empty());
    } else {
        assert_eq!(get_str(&outcome.unwrap(), "account_id").unwrap(), id);
    }
}

/// Calls `next()` on an async iterator and awaits the result.
async fn next(iterator: &JsValue) -> Result<JsValue, JsValue> {
    let next: js_sys::Function = get(iterator, "next").unchecked_into();
    settle(next.call0(iterator).unwrap().unchecked_into()).await
}

#[wasm_bindgen_test]
async fn gets_lists_pages_mints_a_token_and_deletes() {
    // The emulator is shared by the Node and Chromium runs: each run tags its own requests.
    let case = &unique("lifecycle");
    // An id with every character a path treats specially reaches the server whole.
    let id = unique("a/b?c#d %");
    let key = format!("k{}", js_sys::Math::random().to_bits());
    let request = json(&format!(
        r#"{{"linked_account_id": {}, "udf": {{"{key}": "v"}}}}"#,
        JSON::stringify(&id.clone().into())
            .unwrap()
            .as_string()
            .unwrap()
    ));
    settle(upsert_linked_account(request, options(case, TEST_KEY)))
        .await
        .unwrap();

    let account = settle(get_linked_account(
        id.clone().into(),
        options(case, TEST_KEY),
    ))
    .await
    .unwrap();
    assert_eq!(get_str(&account, "account_id").unwrap(), id);
    assert_eq!(get_num(&account, "integrations.length"), 0.0);

    // The filter matches this account only.
    let filter = format!(r#""env_variable_name": "{key}", "env_variable_value": "v""#);
    let page = settle(list_linked_accounts(
        json(&format!(r#"{{"limit": 1, {filter}}}"#)),
        options(case, TEST_KEY),
    ))
    .await
    .unwrap();
    assert_eq!(get_num(&page, "totalDocs"), 1.0);
    assert_eq!(get_num(&page, "limit"), 1.0);
    assert_eq!(get(&page, "hasNextPage"), JsValue::FALSE);
    assert_eq!(get(&page, "nextPage"), JsValue::NULL);
    assert_eq!(get_str(&page, "docs.0.account_id").unwrap(), id);

    let all = all_linked_accounts(json(&format!("{{{filter}}}")), options(case, TEST_KEY));
    let first = next(&all).await.unwrap();
    assert_eq!(get_str(&first, "value.account_id").unwrap(), id);
    assert_eq!(get(&next(&all).await.unwrap(), "done"), JsValue::TRUE);

    let token = settle(create_session_token(
        id.clone().into(),
        JsValue::UNDEFINED,
        options(case, TEST_KEY),
    ))
    .await
    .unwrap();
    let token = get_str(&token, "token").unwrap();
    let session = json(&format!(
        r#"{{"sessionToken":"{token}","baseUrl":"{EMULATOR}","headers":{{"x-test-case":"{case}"}}}}"#
    ));
    let own = settle(get_linked_account(id.clone().into(), session.clone()))
        .await
        .unwrap();
    assert_eq!(get_str(&own, "account_id").unwrap(), id);

    // Deleting takes the org key: a session token is refused before anything is sent.
    let sent = logged_requests(case).await.len();
    let refused = settle(delete_linked_account(id.clone().into(), session))
        .await
        .unwrap_err();
    assert_eq!(get_str(&refused, "code").unwrap(), "INVALID_OPTIONS");
    assert_eq!(get_str(&refused, "issues.0.code").unwrap(), "conflict");
    assert_eq!(logged_requests(case).await.len(), sent);

    let deleted = settle(delete_linked_account(
        id.clone().into(),
        options(case, TEST_KEY),
    ))
    .await
    .unwrap();
    assert_eq!(
        get_str(&deleted, "message").unwrap(),
        "User deleted successfully"
    );
    let gone = settle(get_linked_account(
        id.clone().into(),
        options(case, TEST_KEY),
    ))
    .await
    .unwrap_err();
    assert_eq!(get_str(&gone, "code").unwrap(), "HTTP_ERROR");
    assert_eq!(get_num(&gone, "status"), 404.0);
    assert_eq!(get_str(&gone, "apiErrorCode").unwrap(), "NOT_FOUND");
    assert_eq!(get_num(&gone, "unansweredAttempts"), 0.0);
    assert!(!get_str(&gone, "message").unwrap().contains(TEST_KEY));

    let methods: Vec<String> = logged_requests(case)
        .await
        .iter()
        .map(|entry| get_str(entry, "method").unwrap())
        .collect();
    // upsert, get, list, the one page of allLinkedAccounts, token, get with it, delete, get.
    assert_eq!(
        methods,
        ["PUT", "GET", "GET", "GET", "POST", "GET", "DELETE", "GET"]
    );
}

#[wasm_bindgen_test]
async fn invalid_arguments_of_the_other_calls_are_rejected_before_sending() {
    let case = "other-invalid";
    let table = [
        (
            list_linked_accounts(json(r#"{"page": "2", "limt": 3}"#), options(case, TEST_KEY)),
            "VALIDATION_FAILED",
            r#"[["page"],"invalid_type",["limt"],"unrecognized_key"]"#,
        ),
        (
            get_linked_account(JsValue::from_f64(7.0), options(case, TEST_KEY)),
            "VALIDATION_FAILED",
            r#"[["linked_account_id"],"invalid_type"]"#,
        ),
        (
            create_session_token(
                "".into(),
                json(r#"{"forceRefresh": "yes"}"#),
                options(case, TEST_KEY),
            ),
            "VALIDATION_FAILED",
            r#"[["linked_account_id"],"too_small",["forceRefresh"],"invalid_type"]"#,
        ),
        (
            delete_linked_account("x".into(), json(r#"{"sessionToken": "st-1"}"#)),
            "INVALID_OPTIONS",
            r#"[["sessionToken"],"conflict"]"#,
        ),
    ];
    for (promise, code, issues) in table {
        let error = settle(promise).await.unwrap_err();
        assert_eq!(get_str(&error, "code").unwrap(), code);
        let list: Array = get(&error, "issues").unchecked_into();
        let brief = Array::new();
        for issue in list.iter() {
            brief.push(&get(&issue, "path"));
            brief.push(&get(&issue, "code"));
        }
        assert_eq!(
            JSON::stringify(&brief).unwrap().as_string().unwrap(),
            issues
        );
    }
    assert!(logged_requests(case).await.is_empty());
}
