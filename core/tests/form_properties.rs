//! Property tests of the form engine and fee quotes (SECURITY.md F1/F3): random JSON never panics
//! the loader, the validator or the evaluator; fees are never negative; a quote is reproducible.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use motcua_core::catalog::Procedure;
use motcua_core::fee::{Channel, FeeSchedule, QuoteContext};
use motcua_core::form::FormDefinition;
use motcua_core::form::schema::CompiledSchema;
use motcua_core::json::Json;
use motcua_core::logic::{Logic, Scope};
use proptest::prelude::*;
use serde_json::{Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e9_f64..1e9).prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "var",
            "if",
            "==",
            "+",
            "map",
            "reduce",
            "missing",
            "$item.x",
            "$context.today",
            "a.b.0"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "var",
                    "if",
                    "and",
                    "or",
                    "==",
                    "<",
                    "+",
                    "*",
                    "/",
                    "map",
                    "filter",
                    "reduce",
                    "all",
                    "in",
                    "cat",
                    "substr",
                    "missing",
                    "length",
                    "age_years",
                    "type",
                    "properties",
                    "items",
                    "required",
                    "minimum",
                    "pattern",
                    "format",
                    "enum",
                    "anyOf",
                    "$ref",
                    "a",
                    "b",
                ]),
                inner,
                0..4,
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

fn catalogue() -> Vec<Procedure> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap();
        if let Ok(p) = Procedure::load(&v) {
            out.push(p);
        }
    }
    out
}

fn channel() -> impl Strategy<Value = Channel> {
    prop_oneof![
        Just(Channel::InPerson),
        Just(Channel::Online),
        Just(Channel::Postal)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_json_never_panics_the_logic_compiler_or_evaluator(expr in json_value(), data in json_value()) {
        if let Ok(logic) = Logic::compile(&expr) {
            let ctx = json!({"today": "2026-11-23"});
            let (data, ctx) = (Json::borrow(&data), Json::borrow(&ctx));
            let _ = logic.eval(&Scope::new(&data, &ctx).with_item(&data));
        }
    }

    #[test]
    fn the_borrowed_json_reads_and_writes_text_as_serde_json_does(v in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
        let read = Json::parse(&text).unwrap();
        prop_assert_eq!(read.to_value(), v.clone());
        prop_assert_eq!(&read, &Json::borrow(&v));
        prop_assert_eq!(serde_json::to_string(&read).unwrap(), v.to_string());
    }

    #[test]
    fn random_json_never_panics_the_schema_loader_or_validator(schema in json_value(), data in json_value()) {
        if let Ok(s) = CompiledSchema::compile(&schema) {
            let _ = s.validate(&data);
        }
        let _ = FormDefinition::load(&json!({"form": "9.999999", "version": "1", "title": {"vi": "x", "en": "x"}, "schema": schema}));
        let _ = FeeSchedule::load(&schema);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_data_never_panics_a_catalogue_form_and_fees_are_never_negative_and_reproducible(
        data in json_value(), day in 0_i64..4000, channel in channel(), poor in any::<bool>()
    ) {
        let date = chrono::NaiveDate::from_ymd_opt(2017, 1, 1).unwrap() + chrono::Duration::days(day);
        let context = QuoteContext { date, channel, categories: if poor { vec!["POOR_HOUSEHOLD".into()] } else { vec![] } };
        for p in catalogue() {
            let _ = p.form.validate(&data, &json!({"today": date.to_string(), "channel": channel.as_str()}));
            // Quote the procedure's own valid sample, and the random data.
            let sample = p.samples["valid"]["data"].clone();
            for d in [&sample, &data] {
                if let Ok(q) = p.fees.quote(d, &context) {
                    prop_assert!(q.total >= 0);
                    prop_assert!(q.lines.iter().all(|l| l.amount >= 0 && l.base >= 0 && l.amount <= l.base));
                    prop_assert_eq!(q.total, q.lines.iter().map(|l| l.amount).sum::<i64>());
                    prop_assert_eq!(p.fees.quote(d, &context).unwrap(), q);
                }
            }
        }
    }
}
