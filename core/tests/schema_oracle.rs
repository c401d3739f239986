//! Differential tests: motcua's compact JSON Schema engine against the `jsonschema` crate (the
//! reference implementation, too large for the wasm package) on generated schemas and data
//! (ADR 0002). Both must agree on validity for every pair.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]
#![expect(
    clippy::indexing_slicing,
    reason = "indices come from `below(len)`; serde_json indexing never panics"
)]

use motcua_core::form::schema::CompiledSchema;
use motcua_core::identifier::{self, CccdContext, IdKind};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const KEYS: [&str; 4] = ["a", "b", "c", "d"];
const PATTERNS: [&str; 6] = [
    "^[0-9]+$",
    "^[A-Z]",
    "a|b",
    "^[0-9]{3}$",
    "x?y+",
    "^[a-z ]*$",
];
const FORMATS: [&str; 5] = ["date", "vn-phone", "vn-cccd", "vn-mst", "vn-cmnd"];

fn oracle(schema: &Value) -> jsonschema::Validator {
    let id = |kind: IdKind| {
        move |s: &str| identifier::validate(kind, s, &CccdContext::default()).is_ok()
    };
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("vn-phone", id(IdKind::Phone))
        .with_format("vn-cccd", id(IdKind::Cccd))
        .with_format("vn-mst", id(IdKind::Mst))
        .with_format("vn-cmnd", id(IdKind::Cmnd))
        .build(schema)
        .unwrap()
}

fn small_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,6}",
        "[0-9]{0,12}",
        Just("Nguyễn Văn Ân".to_owned()),
        Just("2026-02-29".to_owned()),
        Just("2028-02-29".to_owned()),
        Just("0912345678".to_owned()),
        Just("001099012345".to_owned()),
        Just("0100109106".to_owned()),
        Just("xyy".to_owned()),
        Just("ABC".to_owned()),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-20_i64..40).prop_map(Value::from),
        Just(json!(2.0)),
        Just(json!(2.5)),
        Just(json!(-0.5)),
        Just(json!(10.0)),
    ]
}

fn leaf_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        number(),
        small_string().prop_map(Value::from),
    ]
}

fn instance() -> impl Strategy<Value = Value> {
    leaf_value().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), inner, 0..4).prop_map(
                |m| { Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()) }
            ),
        ]
    })
}

fn maybe<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![Just(None), s.prop_map(Some)].boxed()
}

fn insert(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v);
    }
}

fn string_schema() -> impl Strategy<Value = Value> {
    (
        maybe(0_u64..4),
        maybe(2_u64..8),
        maybe(prop::sample::select(PATTERNS.to_vec())),
        maybe(prop::sample::select(FORMATS.to_vec())),
    )
        .prop_map(|(min, max, pattern, format)| {
            let mut m = Map::new();
            m.insert("type".into(), json!("string"));
            insert(&mut m, "minLength", min.map(Value::from));
            insert(&mut m, "maxLength", max.map(Value::from));
            insert(&mut m, "pattern", pattern.map(Value::from));
            insert(&mut m, "format", format.map(Value::from));
            Value::Object(m)
        })
}

fn number_schema() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["integer", "number"]),
        maybe(-5_i64..10),
        maybe(0_i64..30),
        maybe(-5_i64..5),
        maybe(5_i64..30),
        maybe(1_i64..5),
    )
        .prop_map(|(ty, min, max, xmin, xmax, mult)| {
            let mut m = Map::new();
            m.insert("type".into(), json!(ty));
            insert(&mut m, "minimum", min.map(Value::from));
            insert(&mut m, "maximum", max.map(Value::from));
            insert(&mut m, "exclusiveMinimum", xmin.map(Value::from));
            insert(&mut m, "exclusiveMaximum", xmax.map(Value::from));
            insert(&mut m, "multipleOf", mult.map(Value::from));
            Value::Object(m)
        })
}

fn leaf_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        string_schema(),
        number_schema(),
        Just(json!({"type": "boolean"})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": "null"})),
        prop::collection::vec(leaf_value(), 1..4).prop_map(|v| json!({"enum": v})),
        leaf_value().prop_map(|v| json!({"const": v})),
        any::<bool>().prop_map(Value::Bool),
        Just(json!({})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf_schema().prop_recursive(3, 20, 3, |inner| {
        let props =
            prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), inner.clone(), 0..3);
        let required = prop::collection::vec(prop::sample::select(KEYS.to_vec()), 0..3);
        let additional = prop_oneof![
            Just(None),
            Just(Some(json!(false))),
            Just(Some(json!(true))),
            inner.clone().prop_map(Some)
        ];
        let object = (
            props,
            required,
            additional,
            maybe(0_u64..3),
            maybe(1_u64..4),
            any::<bool>(),
        )
            .prop_map(|(props, required, additional, min_p, max_p, dependent)| {
                let mut m = Map::new();
                m.insert("type".into(), json!("object"));
                m.insert(
                    "properties".into(),
                    Value::Object(props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
                );
                let mut required: Vec<&str> = required;
                required.sort_unstable();
                required.dedup();
                m.insert("required".into(), json!(required));
                insert(&mut m, "additionalProperties", additional);
                insert(&mut m, "minProperties", min_p.map(Value::from));
                insert(&mut m, "maxProperties", max_p.map(Value::from));
                if dependent {
                    m.insert("dependentRequired".into(), json!({"a": ["b"]}));
                }
                Value::Object(m)
            });
        let array = (
            inner.clone(),
            maybe(0_u64..3),
            maybe(1_u64..4),
            any::<bool>(),
        )
            .prop_map(|(items, min, max, unique)| {
                let mut m = Map::new();
                m.insert("type".into(), json!("array"));
                m.insert("items".into(), items);
                insert(&mut m, "minItems", min.map(Value::from));
                insert(&mut m, "maxItems", max.map(Value::from));
                if unique {
                    m.insert("uniqueItems".into(), json!(true));
                }
                Value::Object(m)
            });
        prop_oneof![
            object,
            array,
            (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"allOf": [a, b]})),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"anyOf": [a, b]})),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"oneOf": [a, b]})),
            inner.clone().prop_map(|a| json!({"not": a})),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(i, t, e)| json!({"if": i, "then": t, "else": e})),
            (inner.clone(), inner)
                .prop_map(|(d, s)| json!({"$defs": {"x": d}, "allOf": [{"$ref": "#/$defs/x"}, s]})),
        ]
    })
}

/// A tiny deterministic generator, seeded by proptest, for instances shaped by a schema.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Strings that match (and nearly match) each pattern and format, so that both sides get exercised.
fn string_for(schema: &Value, rng: &mut Rng) -> String {
    let by_pattern = |p: &str| -> &[&str] {
        match p {
            "^[0-9]+$" => &["123", "1", "", "12a"],
            "^[A-Z]" => &["Abc", "A", "abc", ""],
            "a|b" => &["a", "xbx", "c", ""],
            "^[0-9]{3}$" => &["123", "12", "1234", "abc"],
            "x?y+" => &["xyy", "y", "x", ""],
            "^[0-9]*[0-9]$" => &["1", "123", "", "12a"],
            "^[A-Z][0-9]{2}$" => &["A12", "A1", "a12", "AB2"],
            "^a?b{1,2}$" => &["ab", "bb", "abbb", "a"],
            _ => &["abc de", "ab", "Ab", ""],
        }
    };
    let by_format = |f: &str| -> &[&str] {
        match f {
            "date" => &[
                "2026-11-22",
                "2026-02-29",
                "2028-02-29",
                "2026-13-01",
                "22/11/2026",
            ],
            "vn-phone" => &[
                "0912345678",
                "+84 912 345 678",
                "0951234567",
                "091234567",
                "02838291234",
            ],
            "vn-cccd" => &[
                "001099012345",
                "003099012345",
                "001699012345",
                "00109901234",
            ],
            "vn-mst" => &[
                "0100109106",
                "0100109107",
                "0100109106-001",
                "0100109106-000",
            ],
            _ => &["012345678", "01234567", "12345678a"],
        }
    };
    let candidates: Vec<&str> = match (
        schema.get("pattern").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some(p), _) if rng.chance(50) => by_pattern(p).to_vec(),
        (_, Some(f)) if rng.chance(60) => by_format(f).to_vec(),
        _ => vec![],
    };
    if !candidates.is_empty() {
        return candidates[rng.below(candidates.len() as u64) as usize].to_owned();
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(min + 4);
    let len = match rng.below(4) {
        0 => min,
        1 => max,
        2 => min.saturating_sub(1),
        _ => max + 1,
    };
    "aÂbcdeêfghi".chars().cycle().take(len as usize).collect()
}

fn number_for(schema: &Value, rng: &mut Rng) -> Value {
    let mut candidates: Vec<f64> = vec![0.0, 1.0, 2.5, -1.0];
    for key in [
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ] {
        if let Some(x) = schema.get(key).and_then(Value::as_f64) {
            candidates.extend([x, x + 1.0, x - 1.0, x * 2.0, x + 0.5]);
        }
    }
    let x = candidates[rng.below(candidates.len() as u64) as usize];
    if x.fract() == 0.0 && rng.chance(80) {
        Value::from(x as i64)
    } else {
        json!(x)
    }
}

/// An instance that (often) satisfies the schema, sometimes with a near miss.
fn conform(schema: &Value, defs: &Value, rng: &mut Rng, depth: u32) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    let Some(m) = schema.as_object() else {
        return if schema == &json!(false) {
            json!("x")
        } else {
            json!(rng.below(3))
        };
    };
    if let Some(r) = m.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return conform(&defs[name], defs, rng, depth + 1);
    }
    if let Some(Value::Array(values)) = m.get("enum")
        && rng.chance(85)
    {
        return values[rng.below(values.len() as u64) as usize].clone();
    }
    if let Some(c) = m.get("const")
        && rng.chance(85)
    {
        return c.clone();
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = m.get(key) {
            let pick = &branches[rng.below(branches.len() as u64) as usize];
            return conform(pick, defs, rng, depth + 1);
        }
    }
    if let Some(cond) = m.get("if") {
        let branch = if rng.chance(50) {
            m.get("then")
        } else {
            m.get("else")
        };
        return conform(branch.unwrap_or(cond), defs, rng, depth + 1);
    }
    let ty = match m.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts[rng.below(ts.len() as u64) as usize]
            .as_str()
            .unwrap_or("null"),
        _ => ["string", "integer", "object", "array", "null"][rng.below(5) as usize],
    };
    match ty {
        "string" => Value::from(string_for(schema, rng)),
        "integer" | "number" => number_for(schema, rng),
        "boolean" => Value::from(rng.chance(50)),
        "null" => Value::Null,
        "array" => {
            let min = m.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let max = m.get("maxItems").and_then(Value::as_u64).unwrap_or(min + 2);
            let n = min + rng.below(max.saturating_sub(min) + 2);
            let item = m.get("items").cloned().unwrap_or(json!({}));
            let mut items: Vec<Value> = (0..n)
                .map(|_| conform(&item, defs, rng, depth + 1))
                .collect();
            if n > 0 && rng.chance(20) {
                items.push(items[0].clone());
            }
            Value::Array(items)
        }
        _ => {
            let mut out = Map::new();
            let props = m
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let required: Vec<String> = m
                .get("required")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            for key in KEYS {
                let wanted = required.iter().any(|r| r == key) && rng.chance(90) || rng.chance(35);
                if wanted {
                    let sub = props
                        .get(key)
                        .or_else(|| m.get("additionalProperties"))
                        .cloned()
                        .unwrap_or(json!({}));
                    out.insert(key.to_owned(), conform(&sub, defs, rng, depth + 1));
                }
            }
            Value::Object(out)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_compact_engine_agrees_with_the_jsonschema_crate_on_shaped_instances(schema in schema(), seeds in prop::collection::vec(1_u64.., 8)) {
        let text = schema.to_string();
        prop_assume!(text.matches("$defs").count() <= 1 && (schema.get("$defs").is_some() || !text.contains("$defs")));
        let ours = CompiledSchema::compile(&schema).unwrap();
        let reference = oracle(&schema);
        let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
        for seed in seeds {
            let instance = conform(&schema, &defs, &mut Rng(seed), 0);
            let mine = ours.validate(&instance);
            prop_assert_eq!(
                mine.is_empty(),
                reference.is_valid(&instance),
                "schema {} instance {} ours {:?}", schema, instance, mine
            );
        }
    }

    #[test]
    fn the_compact_engine_agrees_with_the_jsonschema_crate(schema in schema(), instances in prop::collection::vec(instance(), 1..6)) {
        // `$defs` is only supported at the root: hoist nested ones by skipping such schemas.
        let text = schema.to_string();
        prop_assume!(text.matches("$defs").count() <= 1 && (schema.get("$defs").is_some() || !text.contains("$defs")));
        let ours = CompiledSchema::compile(&schema).unwrap();
        let reference = oracle(&schema);
        for instance in instances {
            let mine = ours.validate(&instance);
            prop_assert_eq!(
                mine.is_empty(),
                reference.is_valid(&instance),
                "schema {} instance {} ours {:?}", schema, instance, mine
            );
        }
    }
}

#[test]
fn the_catalogue_schemas_agree_with_the_jsonschema_crate_on_their_samples() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../catalog/procedures");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let schema = &value["form"]["schema"];
        let ours = CompiledSchema::compile(schema).unwrap();
        let reference = oracle(schema);
        for kind in ["valid", "invalid"] {
            let data = &value["samples"][kind]["data"];
            assert_eq!(
                ours.is_valid(data),
                reference.is_valid(data),
                "{} {kind}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 2);
}

#[test]
fn unsupported_keywords_are_refused_at_load_time() {
    for (schema, code) in [
        (
            json!({"patternProperties": {"^a": {}}}),
            "UNSUPPORTED_KEYWORD",
        ),
        (
            json!({"properties": {"a": {"contains": {}}}}),
            "UNSUPPORTED_KEYWORD",
        ),
        (json!({"format": "uri"}), "UNKNOWN_FORMAT"),
        (json!({"pattern": "(unclosed"}), "INVALID_PATTERN"),
        (json!({"$ref": "#/$defs/missing"}), "UNRESOLVED_REF"),
        (
            json!({"$ref": "https://example.com/s.json"}),
            "UNRESOLVED_REF",
        ),
        (
            json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}),
            "REF_CYCLE",
        ),
        (json!({"type": "strnig"}), "MALFORMED"),
        (json!({"minLength": -1}), "MALFORMED"),
    ] {
        let e = CompiledSchema::compile(&schema).unwrap_err();
        assert_eq!(e.code, code, "{schema}: {e}");
    }
    let e = CompiledSchema::compile(&json!({"properties": {"a": {"contains": {}}}})).unwrap_err();
    assert_eq!(e.path, "/properties/a/contains");
}
