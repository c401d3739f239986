//! Checking a form again after an edit: what the last check found is kept, and only the checks an
//! edit can change are run again (issue 18). A citizen's keystroke changes one field; the phone
//! checks the whole form at every keystroke, and most of that work found the same as last time.
//!
//! The unit is a **top-level member** of the form (`owner`, `members`, `capital`, …). Each check
//! (a computed value, a field's `visible_if` and `required_if`, a rule) is known at load to read
//! some members — the one its path is in, and those its JSON Logic names — or, when that cannot
//! be known before evaluating (`var` of a computed path, `missing`), anything. A check is run
//! again when a member it reads changed since the last check; a member's schema violations are
//! found again when it changed. Whatever is reused is what the same code found from the same
//! input, so the answer is the one a full check gives: a test requires that after every edit of
//! long random edit sequences over every catalogue form.

use std::borrow::Cow;

use super::definition::FormDefinition;
use super::schema::SchemaViolation;
use super::validate::Violation;
use crate::json::{self, Json};
use crate::logic::Logic;

/// The top-level members a check reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Reads {
    /// Not known before evaluation: any member.
    Anything,
    /// These members, sorted.
    Members(Vec<String>),
}

impl Reads {
    /// What a check at `path` (its unescaped segments) running `logic` reads: the member its
    /// path is in (the places it is checked at, their values, `$item`) and the members its
    /// expressions name at the top level or through `$root`.
    fn of(path: &[String], logic: &[&Logic]) -> Self {
        let mut members = Vec::new();
        match path.first() {
            Some(first) if first != "*" => members.push(first.clone()),
            _ => return Self::Anything,
        }
        for l in logic {
            if !l.top_level_reads(&mut members) {
                return Self::Anything;
            }
        }
        crate::sort::small_by(&mut members, |a, b| json::order(a, b));
        members.dedup_by(|a, b| json::same(a, b));
        Self::Members(members)
    }

    /// Whether a check reading this must run again.
    fn touch(&self, changed: &Changed) -> bool {
        match (self, changed) {
            (_, Changed::Everything) | (Self::Anything, Changed::Members(_)) => true,
            // Few members change at a time: each looked up among the reads.
            (Self::Members(reads), Changed::Members(names)) => names
                .iter()
                .any(|n| reads.binary_search_by(|r| json::order(r, n)).is_ok()),
        }
    }
}

/// The top-level members changed since the last check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Changed {
    /// No last check to compare with, or the context changed.
    Everything,
    /// These members (sorted).
    Members(Vec<String>),
}

impl Changed {
    /// Whether member `name` changed.
    pub(super) fn has(&self, name: &str) -> bool {
        match self {
            Self::Everything => true,
            // Few members change at a time: compared lengths first.
            Self::Members(names) => names.iter().any(|n| json::same(n, name)),
        }
    }

    /// Whether a check reading `reads` must run again.
    pub(super) fn touches(&self, reads: &Reads) -> bool {
        reads.touch(self)
    }

    /// Marks the members of every pointer in `pointers` changed.
    pub(super) fn add_all<'p>(&mut self, pointers: impl IntoIterator<Item = &'p String>) {
        for p in pointers {
            self.add(&member_of(p));
        }
    }

    pub(super) fn add(&mut self, name: &str) {
        if let Self::Members(names) = self
            && let Err(at) = names.binary_search_by(|n| json::order(n, name))
        {
            names.insert(at, name.to_owned());
        }
    }
}

/// The top-level member a concrete pointer is in, unescaped.
pub(super) fn member_of(pointer: &str) -> Cow<'_, str> {
    let first = pointer
        .strip_prefix('/')
        .map_or("", |rest| rest.split('/').next().unwrap_or(""));
    if first.contains('~') {
        Cow::Owned(first.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(first)
    }
}

/// What each check of a definition reads, worked out once.
#[derive(Debug, Clone)]
pub(super) struct ReadsOf {
    pub(super) computed: Vec<Reads>,
    pub(super) visible: Vec<Reads>,
    pub(super) required: Vec<Reads>,
    pub(super) rules: Vec<Reads>,
    /// The checks whose findings change a member and the rules, by the members they read and
    /// change, as bit masks (`None` when a form's checks name more than 64 members).
    masks: Option<Masks>,
    /// Whether the object's own violations can name members no check changed (see
    /// [`ReadsOf::needed`]).
    any_needed: bool,
}

/// The members a form's checks name, one bit each, and per check what it reads and changes: the
/// cascade of [`ReadsOf::needed`] is then a few bit operations per check.
#[derive(Debug, Clone)]
struct Masks {
    /// Sorted.
    names: Vec<String>,
    /// The checks whose findings change a member (computed values, hidden and required fields):
    /// what each reads (`None`: anything) and the member it changes (`None`: any).
    cascade: Vec<(Option<u64>, Option<u32>)>,
    /// What each rule reads (`None`: anything).
    rules: Vec<Option<u64>>,
}

impl Masks {
    /// The masks of the checks of `form`, from what each reads (`reads`, worked out before).
    fn new(form: &FormDefinition, reads: &ReadsOf) -> Option<Self> {
        let target = |path: &[String]| path.first().filter(|f| *f != "*").cloned();
        let mut cascade: Vec<(&Reads, Option<String>)> = reads
            .computed
            .iter()
            .zip(&form.computed)
            .map(|(r, c)| (r, target(&c.segments)))
            .collect();
        for ((f, visible), required) in form.fields.iter().zip(&reads.visible).zip(&reads.required)
        {
            if f.visible_if.is_some() {
                cascade.push((visible, target(&f.segments)));
            }
            if f.required_if.is_some() {
                cascade.push((required, target(&f.segments)));
            }
        }
        let rules = &reads.rules;
        let mut names: Vec<String> = cascade
            .iter()
            .map(|(r, _)| *r)
            .chain(rules)
            .filter_map(|r| match r {
                Reads::Members(m) => Some(m),
                Reads::Anything => None,
            })
            .flatten()
            .chain(cascade.iter().filter_map(|(_, t)| t.as_ref()))
            .cloned()
            .collect();
        crate::sort::small_by(&mut names, |a, b| json::order(a, b));
        names.dedup();
        if names.len() > 64 {
            return None;
        }
        let mut masks = Self {
            names,
            cascade: Vec::new(),
            rules: Vec::new(),
        };
        masks.rules = rules.iter().map(|r| masks.mask(r)).collect();
        masks.cascade = cascade
            .into_iter()
            .map(|(r, t)| (masks.mask(r), t.as_deref().and_then(|t| masks.bit(t))))
            .collect();
        Some(masks)
    }

    /// The bit of member `name`. A scan comparing lengths first: a form's checks name a few
    /// dozen members at most, and most lengths differ (a binary search compares bytes at every
    /// step; measured in the package).
    fn bit(&self, name: &str) -> Option<u32> {
        self.names
            .iter()
            .position(|n| json::same(n, name))
            .and_then(|i| u32::try_from(i).ok())
    }

    fn mask(&self, reads: &Reads) -> Option<u64> {
        match reads {
            Reads::Anything => None,
            Reads::Members(m) => Some(self.of(m)),
        }
    }

    /// The bits of the members `names` (those no check names have none).
    fn of(&self, names: &[String]) -> u64 {
        names
            .iter()
            .filter_map(|n| self.bit(n))
            .fold(0, |mask, bit| mask | 1 << bit)
    }
}

/// The members the checks to run can read ([`ReadsOf::needed`]).
pub(super) struct Needed<'m> {
    masks: &'m Masks,
    need: u64,
    changed: &'m Changed,
}

impl Needed<'_> {
    /// Whether member `name` is needed.
    pub(super) fn has(&self, name: &str) -> bool {
        match self.masks.bit(name) {
            Some(bit) => self.need & 1 << bit != 0,
            // No check reads it: only its own schema.
            None => self.changed.has(name),
        }
    }
}

impl ReadsOf {
    /// The members the checks that run after the members in `changed` changed can read: those
    /// changed, those the checks they set off change in turn (computed values, hidden and
    /// required fields), and every member those checks and the rules read. The others need not
    /// be in the form the checks run on. `None`: any member (everything changed, a check reads
    /// anything, or the schema's own violations can name any member).
    pub(super) fn needed<'m>(&'m self, changed: &'m Changed) -> Option<Needed<'m>> {
        let Changed::Members(names) = changed else {
            return None;
        };
        let masks = self.masks.as_ref().filter(|_| !self.any_needed)?;
        let touches = |reads: Option<u64>, mask: u64| reads.is_none_or(|r| r & mask != 0);
        let mut mask = masks.of(names);
        loop {
            let before = mask;
            for (reads, target) in &masks.cascade {
                if touches(*reads, mask) {
                    mask |= 1 << (*target)?;
                }
            }
            if mask == before {
                break;
            }
        }
        let mut need = mask;
        let checks = masks.cascade.iter().map(|(r, _)| r).chain(&masks.rules);
        for reads in checks {
            if touches(*reads, mask) {
                need |= (*reads)?;
            }
        }
        Some(Needed {
            masks,
            need,
            changed,
        })
    }
}

/// What the last check found, by check.
#[derive(Debug, Clone, Default)]
pub(super) struct Last {
    /// The text of the data last checked, where each of its members is in it (key and value, in
    /// the order written).
    pub(super) text: String,
    pub(super) members: Vec<json::Span>,
    /// Members of the form as read, sorted by key: those that did not change in the last check.
    pub(super) kept: Vec<(String, Json<'static>)>,
    /// Per computed value: where it was written and what.
    pub(super) computed: Vec<Vec<(String, Json<'static>)>>,
    /// Per field: the places `visible_if` hid.
    pub(super) hidden: Vec<Vec<String>>,
    /// Whether nothing has been checked with it yet (its findings are not an answer given).
    pub(super) fresh: bool,
    /// Whether the last answer had no violation.
    pub(super) valid: bool,
    /// The schema violations of the object itself (member by member), or all of them.
    pub(super) object: Vec<SchemaViolation>,
    /// Per member of the checked data: its schema violations.
    pub(super) schema: Vec<(String, Vec<SchemaViolation>)>,
    /// Per field: the places `required_if` made required, and those of them left empty.
    pub(super) required: Vec<(Vec<String>, Vec<String>)>,
    /// The pointers of the violations rules are judged against (schema, `required_if`), sorted.
    pub(super) earlier: Vec<String>,
    /// Per rule: the places it failed at.
    pub(super) rules: Vec<Vec<String>>,
}

/// A memo, with the texts the data and the context to check were read from (what changed is
/// told from them).
pub(crate) struct Since<'m> {
    pub(crate) memo: &'m mut Memo,
    pub(crate) data: &'m str,
    pub(crate) context: Option<&'m str>,
    /// The caller's last answer's violations, as it was given them: those the new answer has
    /// are taken from it (left empty there) rather than written again.
    pub(crate) answer: &'m mut [Violation],
}

/// What the last check of a form found, to check the next version of its data with: keep one per
/// form being filled in. A memo is tied to the definition it was made for.
#[derive(Debug, Clone)]
pub struct Memo {
    /// The definition it was made for: its code and version.
    of: (String, String),
    pub(super) reads: ReadsOf,
    pub(super) last: Option<Last>,
    /// The last check's context as written (if given) and as read: a form's context rarely
    /// changes from one keystroke to the next, and reading it again was a fiftieth of a small
    /// edit's check. What is in `last` was found in this context.
    pub(super) context: Option<(Option<String>, Json<'static>)>,
}

impl Memo {
    /// An empty memo for `form`: its first check runs everything.
    #[must_use]
    pub fn new(form: &FormDefinition) -> Self {
        let condition = |path: &[String], l: Option<&Logic>| {
            Reads::of(path, &l.into_iter().collect::<Vec<_>>())
        };
        let mut reads = ReadsOf {
            computed: form
                .computed
                .iter()
                .map(|c| Reads::of(&c.segments, &[&c.logic]))
                .collect(),
            visible: form
                .fields
                .iter()
                .map(|f| condition(&f.segments, f.visible_if.as_ref()))
                .collect(),
            required: form
                .fields
                .iter()
                .map(|f| condition(&f.segments, f.required_if.as_ref()))
                .collect(),
            rules: form
                .rules
                .iter()
                .map(|r| {
                    let mut logic = vec![&r.logic];
                    logic.extend(r.when.as_ref());
                    Reads::of(&r.segments, &logic)
                })
                .collect(),
            masks: None,
            any_needed: form.schema.object_names_others(),
        };
        reads.masks = Masks::new(form, &reads);
        Self {
            of: (form.form.clone(), form.version.clone()),
            reads,
            last: None,
            context: None,
        }
    }

    /// Compares the data and context about to be checked (as written) with the last ones,
    /// remembers them (the context read, when it is not the last one), and says which members
    /// changed: those whose text changed (a member written differently but equal counts as
    /// changed, which only costs a check). Data that is not an object, or whose members cannot
    /// be told apart as written, is checked in full and forgotten; so is everything when the
    /// memo was made for another definition or the context changed. `None`, and nothing
    /// remembered, when the context is not JSON.
    pub(super) fn begin(
        &mut self,
        form: &FormDefinition,
        text: &str,
        context: Option<&str>,
    ) -> Option<Changed> {
        if self.of.0 != form.form || self.of.1 != form.version {
            *self = Self::new(form);
        }
        let same_context = self
            .context
            .as_ref()
            .is_some_and(|(was, _)| match (was, context) {
                (Some(was), Some(now)) => json::same(was, now),
                (None, None) => true,
                _ => false,
            });
        if !same_context {
            let read = context.map_or(Ok(Json::Null), Json::parse).ok()?;
            self.context = Some((context.map(str::to_owned), read.into_static()));
        }
        let continued = same_context && self.last.is_some();
        let last = match self.last.as_mut().filter(|_| continued) {
            Some(last) => last,
            None => {
                self.last = json::member_spans(text).map(|members| Last {
                    text: text.to_owned(),
                    members,
                    fresh: true,
                    computed: vec![Vec::new(); form.computed.len()],
                    hidden: vec![Vec::new(); form.fields.len()],
                    required: vec![(Vec::new(), Vec::new()); form.fields.len()],
                    rules: vec![Vec::new(); form.rules.len()],
                    ..Last::default()
                });
                return Some(Changed::Everything);
            }
        };
        if json::same(&last.text, text) {
            return Some(Changed::Members(Vec::new()));
        }
        let Some((members, read)) = json::member_spans_since(&last.text, &last.members, text)
        else {
            self.last = None;
            return Some(Changed::Everything);
        };
        // The members read are those that may have changed; the old members between the same
        // beginning and end may be gone. Compared by key.
        let old_text = last.text.as_str();
        let kept_before = read.start;
        let kept_after = members.len() - read.end;
        let between = last
            .members
            .get(kept_before..last.members.len().saturating_sub(kept_after))
            .unwrap_or_default();
        let mut changed = Vec::with_capacity(read.len() + between.len());
        for new in members.get(read.clone()).unwrap_or_default() {
            let was = between
                .iter()
                .find(|old| json::same(key(old_text, old), key(text, new)));
            if was.is_none_or(|old| !json::same(value(old_text, old), value(text, new))) {
                changed.push(key(text, new).to_owned());
            }
        }
        for old in between {
            let name = key(old_text, old);
            if !members
                .get(read.clone())
                .unwrap_or_default()
                .iter()
                .any(|new| json::same(key(text, new), name))
            {
                changed.push(name.to_owned());
            }
        }
        crate::sort::small_by(&mut changed, |a, b| json::order(a, b));
        changed.dedup_by(|a, b| json::same(a, b));
        last.text.clear();
        last.text.push_str(text);
        // Most of the form changed (a form pasted in, another sample): checked in full.
        let most = changed.len() * 2 > members.len();
        last.members = members;
        if most {
            return Some(Changed::Everything);
        }
        Some(Changed::Members(changed))
    }
}

/// A member's key in `text`.
pub(super) fn key<'t>(text: &'t str, (k, _): &json::Span) -> &'t str {
    text.get(k.clone()).unwrap_or_default()
}

/// A member's value in `text`, as written.
pub(super) fn value<'t>(text: &'t str, (_, v): &json::Span) -> &'t str {
    text.get(v.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::form::Checked;

    thread_local! {
        /// How many checks answered "the same as last time".
        static SAMES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// How many violations were taken from the last answer's list.
        static TAKEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// The check with a memo, its answer written out when it is the last one again (`last`).
    fn check_text(
        form: &FormDefinition,
        memo: &mut Memo,
        last: &mut Option<Checked>,
        data: &str,
        context: &str,
    ) -> Checked {
        // The last answer's violations are given to take from.
        let before = last
            .as_ref()
            .map(|l| l.violations.clone())
            .unwrap_or_default();
        let mut given = before.clone();
        let since = Since {
            memo,
            data,
            context: Some(context),
            answer: &mut given,
        };
        let mut answer = form.check_since(since).unwrap();
        let answer = if answer.same {
            SAMES.with(|n| n.set(n.get() + 1));
            assert_eq!(given, before, "nothing is taken for the same answer");
            let last = last.clone().unwrap();
            assert_eq!(answer.valid, last.valid);
            last
        } else {
            // What was taken is what was there, and is no longer there.
            assert_eq!(answer.from_last.len(), answer.violations.len());
            for (v, from) in answer.violations.iter().zip(&answer.from_last) {
                if let Some(j) = *from {
                    assert_eq!(Some(v), before.get(j));
                    assert_eq!(given[j], Violation::default());
                    TAKEN.with(|n| n.set(n.get() + 1));
                }
            }
            // Compared with the full check's answer, which takes nothing.
            answer.from_last = vec![None; answer.violations.len()];
            answer
        };
        *last = Some(answer.clone());
        answer
    }

    /// The answers along `datas`, each checked since the last and required to be the full
    /// check's.
    fn answers_along(form: &FormDefinition, datas: &[Value]) -> Vec<Checked> {
        let context = json!({});
        let mut memo = Memo::new(form);
        let mut last = None;
        datas
            .iter()
            .map(|data| {
                let full = form.check(Json::borrow(data), &Json::borrow(&context));
                let since = check_text(
                    form,
                    &mut memo,
                    &mut last,
                    &data.to_string(),
                    &context.to_string(),
                );
                assert_eq!(since, full, "{data}");
                since
            })
            .collect()
    }

    /// A small deterministic generator (xorshift), so that a failure replays.
    struct Dice(u64);

    impl Dice {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n.max(1) as u64).unwrap()
        }

        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    /// Every pointer of a value, the root excepted.
    fn pointers(v: &Value, here: &str, out: &mut Vec<String>) {
        let children: Vec<(String, &Value)> = match v {
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
                .collect(),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => return,
        };
        for (k, child) in children {
            let p = format!("{here}/{k}");
            out.push(p.clone());
            pointers(child, &p, out);
        }
    }

    /// Sets the value at a pointer, creating objects on the way where it can.
    fn set(data: &mut Value, pointer: &str, value: Value) {
        let mut here = data;
        let segments: Vec<&str> = pointer.split('/').skip(1).collect();
        for (i, s) in segments.iter().enumerate() {
            let key = s.replace("~1", "/").replace("~0", "~");
            let last = i + 1 == segments.len();
            here = match here {
                Value::Object(m) => m
                    .entry(key)
                    .or_insert_with(|| if last { Value::Null } else { json!({}) }),
                Value::Array(a) => match key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                    Some(next) => next,
                    None => return,
                },
                _ => return,
            };
        }
        *here = value;
    }

    fn remove(data: &mut Value, pointer: &str) {
        let Some((parent, last)) = pointer.rsplit_once('/') else {
            return;
        };
        let key = last.replace("~1", "/").replace("~0", "~");
        match data.pointer_mut(parent) {
            Some(Value::Object(m)) => {
                m.remove(&key);
            }
            Some(Value::Array(a)) => {
                if let Ok(i) = key.parse::<usize>()
                    && i < a.len()
                {
                    a.remove(i);
                }
            }
            _ => {}
        }
    }

    /// One edit as a citizen (or a broken client) makes it: typing into a field, clearing it,
    /// picking another value some sample uses, filling a field the data lacks, adding or removing
    /// an element of a group, sending a value of the wrong type, or another day as context.
    fn edit(
        dice: &mut Dice,
        data: &mut Value,
        context: &mut Value,
        pool: &[Value],
        fields: &[String],
        samples: &[Value],
    ) {
        let mut all = Vec::new();
        pointers(data, "", &mut all);
        let at = if all.is_empty() {
            String::new()
        } else {
            dice.pick(&all).clone()
        };
        match dice.below(12) {
            0..=2 => {
                if let Some(Value::String(s)) = data.pointer_mut(&at) {
                    if dice.below(3) == 0 {
                        s.pop();
                    } else {
                        s.push(*dice.pick(&['a', 'ộ', '1', ' ', '0']));
                    }
                }
            }
            3 | 4 => {
                let value = dice.pick(pool).clone();
                set(data, &at, value);
            }
            5 => remove(data, &at),
            6 => {
                let field = dice.pick(fields).replace('*', "0");
                let value = dice.pick(pool).clone();
                set(data, &field, value);
            }
            7 => {
                if let Some(Value::Array(items)) = data.pointer_mut(&at) {
                    match items.first().cloned() {
                        Some(first) if dice.below(2) == 0 => items.push(first),
                        _ => {
                            items.pop();
                        }
                    }
                }
            }
            8 => {
                let value = dice
                    .pick(&[
                        json!(null),
                        json!(""),
                        json!(0),
                        json!(-1),
                        json!(1e12),
                        json!(true),
                        json!([]),
                        json!({}),
                        json!("x"),
                    ])
                    .clone();
                set(data, &at, value);
            }
            9 => {
                let day = dice.pick(&["2026-11-23", "2026-12-31", "2030-01-01", "2010-06-15"]);
                context["today"] = json!(day);
            }
            10 => *data = dice.pick(samples).clone(),
            _ => {
                if let (Some(from), Some(Value::Object(to))) =
                    (samples.get(dice.below(samples.len())), Some(&mut *data))
                    && let Value::Object(from) = from
                    && let Some((k, v)) = from.iter().nth(dice.below(from.len()))
                {
                    to.insert(k.clone(), v.clone());
                }
            }
        }
    }

    #[test]
    fn what_a_check_reads_is_its_own_member_and_the_members_it_names() {
        let reads = |path: &str, logic: Value| {
            let logic = Logic::compile(&logic).unwrap();
            Reads::of(&crate::form::paths::segments(path), &[&logic])
        };
        let members =
            |names: &[&str]| Reads::Members(names.iter().map(|&n| n.to_owned()).collect());
        assert_eq!(
            reads(
                "/members/*/age",
                json!({"and": [{"var": "capital"}, {"var": "$root.owner.name"},
                {"var": "$item.x"}, {"var": "$context.today"},
                {"some": [{"var": "lines"}, {"==": [{"var": "code"}, {"var": "$root.b"}]}]}]})
            ),
            members(&["b", "capital", "lines", "members", "owner"])
        );
        assert_eq!(reads("/a", json!({"var": ""})), Reads::Anything);
        assert_eq!(
            reads("/a", json!({"var": {"cat": ["x", "y"]}})),
            Reads::Anything
        );
        assert_eq!(reads("/a", json!({"missing": ["b"]})), Reads::Anything);
        assert_eq!(reads("/*/a", json!(true)), Reads::Anything);
        assert_eq!(
            reads("/a", json!({"var": ["b", {"var": "c"}]})),
            members(&["a", "b", "c"])
        );
    }

    /// A member a check writes into (here a field of it hidden by another member's value) is
    /// lent to each check afresh: kept as a check left it, it would lack the field when shown.
    #[test]
    fn a_member_partly_hidden_by_another_is_read_again() {
        let form = FormDefinition::load(&json!({
            "form": "9.999998", "version": "t1", "title": {"vi": "Thử", "en": "Test"},
            "schema": {"type": "object", "properties": {
                "a": {"type": "object", "properties": {"x": {"type": "string", "pattern": "^[0-9]+$"}}},
                "b": {"type": "string"},
                "c": {"type": "string"}
            }},
            "fields": {"/a/x": {"label": {"vi": "X", "en": "X"},
                                 "visible_if": {"==": [{"var": "b"}, "show"]}}}
        }))
        .unwrap();
        let counts: Vec<usize> = answers_along(
            &form,
            &[
                json!({"a": {"x": "v"}, "b": "hide", "c": "1"}),
                json!({"a": {"x": "v"}, "b": "hide", "c": "2"}),
                json!({"a": {"x": "v"}, "b": "show", "c": "2"}),
                json!({"a": {"x": "v"}, "b": "show", "c": "3"}),
            ],
        )
        .iter()
        .map(|a| a.violations.len())
        .collect();
        assert_eq!(counts, [0, 0, 1, 1]);
    }

    /// The largest demo form (1.001612), its valid sample's data and its context's text.
    fn largest_form_valid_sample() -> (FormDefinition, Value, String) {
        let procedure = crate::catalog::demo_procedures()
            .into_iter()
            .find(|p| p["form"]["form"] == "1.001612")
            .unwrap();
        let form = FormDefinition::load(&procedure["form"]).unwrap();
        let sample = &procedure["samples"]["valid"];
        (form, sample["data"].clone(), sample["context"].to_string())
    }

    /// A text whose changed members are not all JSON is refused (the caller reads it in full to
    /// say why), and the check after it finds everything again: what is kept was found from the
    /// text before, not from the refused one the next is compared with.
    #[test]
    fn after_a_text_that_is_not_json_everything_is_found_again() {
        let (form, data, context) = largest_form_valid_sample();
        let data = &data;
        let valid = data.to_string();
        let mut memo = Memo::new(&form);
        let mut last = None;
        for _ in 0..2 {
            check_text(&form, &mut memo, &mut last, &valid, &context);
        }
        // Two members changed, one of them broken.
        let mut edited = data.clone();
        edited["capital"] = json!(1);
        let broken = edited
            .to_string()
            .replace(r#""employees":2"#, r#""employees":[2,,3]"#);
        assert_ne!(broken, edited.to_string());
        let since = Since {
            memo: &mut memo,
            data: &broken,
            context: Some(&context),
            answer: &mut [],
        };
        assert!(form.check_since(since).is_none());
        // The broken member mended, the other edit kept: as a full check.
        let mended = edited.to_string();
        let full = form.check(
            Json::parse(&mended).unwrap(),
            &Json::parse(&context).unwrap(),
        );
        assert_eq!(
            check_text(&form, &mut memo, &mut last, &mended, &context),
            full
        );
    }

    /// Texts edited as text rather than as JSON: a value the edit is inside is taken to end
    /// where it ended (`json::member_spans_since`), so a quote typed into a text in the middle of
    /// the form makes its text two members (JSON, but not one value) or not JSON. Either is
    /// refused and read in full by the caller, and the checks after it answer as full checks.
    #[test]
    fn a_text_value_edited_into_members_or_out_of_json_is_read_again() {
        let (form, data, context) = largest_form_valid_sample();
        let data = data.as_object().unwrap();
        let text = Value::Object(data.clone()).to_string();
        // A text member with members after it.
        let (key, value) = data
            .iter()
            .take(data.len() - 1)
            .find_map(|(k, v)| Some((k, v.as_str().filter(|s| s.chars().count() >= 4)?)))
            .unwrap();
        let (head, tail) = value.split_at(value.char_indices().nth(2).unwrap().0);
        let written = format!("\"{key}\":{}", Value::from(value));
        let edited = |to: &str| {
            let edited = text.replacen(&written, &format!("\"{key}\":\"{to}\""), 1);
            assert_ne!(edited, text);
            edited
        };
        let texts = [
            text.clone(),
            edited(&format!("{head}x{tail}")),
            edited(&format!("{head}\",\"zz\":\"{tail}")),
            edited(&format!("{head}x{tail}")),
            edited(&format!("{head}\"{tail}")),
            edited(&format!("{head}xy{tail}")),
            text.clone(),
        ];
        let context_json = Json::parse(&context).unwrap();
        let mut memo = Memo::new(&form);
        let mut last: Option<Checked> = None;
        let mut refused = 0;
        for t in &texts {
            let full = Json::parse(t).ok().map(|d| form.check(d, &context_json));
            let since = Since {
                memo: &mut memo,
                data: t,
                context: Some(&context),
                answer: &mut [],
            };
            match form.check_since(since) {
                None => {
                    assert!(full.is_none() || t.contains("\"zz\""), "{t}");
                    assert!(memo.last.is_none(), "the memo starts again: {t}");
                    refused += 1;
                    last = None;
                }
                Some(answer) => {
                    let answer = if answer.same {
                        last.clone().unwrap()
                    } else {
                        answer
                    };
                    let full = full.unwrap();
                    assert_eq!(answer.valid, full.valid, "{t}");
                    assert_eq!(answer.violations, full.violations, "{t}");
                    last = Some(answer);
                }
            }
        }
        // The two members and the text that is not JSON.
        assert_eq!(refused, 2);
    }

    /// A rule is judged again when what it is judged against changes through a member it does
    /// not read: here a field becomes required (and so fails) because of another member, and the
    /// rule on that field must then be skipped, and judged again when it is no longer required.
    #[test]
    fn a_rule_is_judged_again_when_a_requirement_elsewhere_changes() {
        let form = FormDefinition::load(&json!({
            "form": "9.999999", "version": "t1", "title": {"vi": "Thử", "en": "Test"},
            "schema": {"type": "object", "properties": {
                "a": {"type": "object", "properties": {"x": {"type": "string"}}},
                "b": {"type": "string"}
            }},
            "fields": {"/a/x": {"label": {"vi": "X", "en": "X"},
                                 "required_if": {"==": [{"var": "b"}, "yes"]}}},
            "rules": [{"id": "r", "path": "/a/x", "logic": {"==": [{"var": "a.x"}, "ok"]},
                       "code": "NOT_OK", "message": {"vi": "Phải là ok.", "en": "Must be ok."}}]
        }))
        .unwrap();
        let codes: Vec<Vec<String>> = answers_along(
            &form,
            &[
                json!({"a": {}, "b": "no"}),
                json!({"a": {}, "b": "yes"}),
                json!({"a": {}, "b": "no"}),
            ],
        )
        .iter()
        .map(|a| a.violations.iter().map(|v| v.code.clone()).collect())
        .collect();
        assert_eq!(
            codes,
            [vec!["NOT_OK"], vec!["FIELD_REQUIRED"], vec!["NOT_OK"]]
        );
    }

    /// A member no running check reads stands as `null` in the check since the last — unless the
    /// object's own violations can name it through another member (`dependentRequired`): here `a`
    /// going makes `b` no longer required, which sets off the rule on `c` (skipped while `b`,
    /// which it reads, failed), which reads `c`.
    #[test]
    fn a_member_named_by_the_objects_own_violations_is_read() {
        let form = FormDefinition::load(&json!({
            "form": "9.999997", "version": "t1", "title": {"vi": "Thử", "en": "Test"},
            "schema": {"type": "object", "properties": {
                "a": {"type": "string"}, "b": {"type": "string"},
                "c": {"type": "string"}, "d": {"type": "string"}
            }, "dependentRequired": {"a": ["b"]}},
            "rules": [{"id": "r", "path": "/c",
                       "logic": {"or": [{"var": "b"}, {"==": [{"var": "c"}, "ok"]}]},
                       "code": "NOT_OK", "message": {"vi": "Phải là ok.", "en": "Must be ok."}}]
        }))
        .unwrap();
        let codes: Vec<Vec<String>> = answers_along(
            &form,
            &[
                json!({"a": "1", "c": "ok", "d": "1"}),
                json!({"a": "1", "c": "ok", "d": "2"}),
                json!({"a": "1", "c": "ok", "d": "3"}),
                json!({"c": "ok", "d": "3"}),
            ],
        )
        .iter()
        .map(|a| a.violations.iter().map(|v| v.code.clone()).collect())
        .collect();
        let required = vec!["FIELD_REQUIRED".to_owned()];
        assert_eq!(
            codes,
            [required.clone(), required.clone(), required, vec![]]
        );
    }

    /// A violation at the same place with the same code but another message (the schema's
    /// `if`/`then`/`else` asks for another length; another rule with the same code) is written
    /// again, not taken from the last answer.
    #[test]
    fn a_violation_with_another_message_is_written_again() {
        let form = FormDefinition::load(&json!({
            "form": "9.999996", "version": "t1", "title": {"vi": "Thử", "en": "Test"},
            "schema": {"type": "object", "properties": {
                "kind": {"type": "string"}, "name": {"type": "string"}
            },
            "if": {"properties": {"kind": {"const": "a"}}},
            "then": {"properties": {"name": {"minLength": 3}}},
            "else": {"properties": {"name": {"minLength": 5}}}}
        }))
        .unwrap();
        let data = |kind: &str| json!({"kind": kind, "name": "x", "y": 1, "z": 2});
        let answers = answers_along(&form, &[data("a"), data("b"), data("a")]);
        let shown: Vec<(&str, &str, &str)> = answers
            .iter()
            .flat_map(|a| &a.violations)
            .map(|v| (v.path.as_str(), v.code.as_str(), v.message_en.as_str()))
            .collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert_eq!((shown[0].0, shown[0].1), (shown[1].0, shown[1].1));
        assert_ne!(shown[0].2, shown[1].2);
        assert_eq!(shown[0], shown[2]);
        // The same with messages written at load: two rules with one code at one place.
        let rule = |id: &str, kind: &str, en: &str| {
            json!({"id": id, "path": "/name", "when": {"==": [{"var": "kind"}, kind]},
                   "logic": false, "code": "NAME", "message": {"vi": en, "en": en}})
        };
        let form = FormDefinition::load(&json!({
            "form": "9.999995", "version": "t1", "title": {"vi": "Thử", "en": "Test"},
            "schema": {"type": "object", "properties": {
                "kind": {"type": "string"}, "name": {"type": "string"}
            }},
            "fields": {"/name": {"label": {"vi": "Tên", "en": "Name"}}},
            "rules": [rule("a", "a", "First."), rule("b", "b", "Second.")]
        }))
        .unwrap();
        let answers = answers_along(&form, &[data("a"), data("b"), data("a")]);
        let messages: Vec<&str> = answers
            .iter()
            .flat_map(|a| &a.violations)
            .map(|v| v.message_en.as_str())
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert_ne!(messages[0], messages[1]);
    }

    /// After every edit of long random edit sequences over every catalogue form, the check that
    /// reuses what the last one found answers exactly as a full check.
    #[test]
    fn checking_since_the_last_check_answers_as_checking_everything() {
        let mut checks = 0;
        let mut reused = 0;
        for (n, procedure) in crate::catalog::demo_procedures().into_iter().enumerate() {
            let form = FormDefinition::load(&procedure["form"]).unwrap();
            let fields: Vec<String> = form.field_paths().map(str::to_owned).collect();
            let samples: Vec<Value> = procedure["samples"]
                .as_object()
                .unwrap()
                .values()
                .map(|s| s["data"].clone())
                .collect();
            let mut pool = Vec::new();
            for s in &samples {
                let mut ps = Vec::new();
                pointers(s, "", &mut ps);
                pool.extend(ps.iter().map(|p| s.pointer(p).unwrap().clone()));
            }
            let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
            for sample in procedure["samples"].as_object().unwrap().values() {
                let mut memo = Memo::new(&form);
                let mut last = None;
                let (mut data, mut context) = (sample["data"].clone(), sample["context"].clone());
                for step in 0..300 {
                    if step > 0 {
                        edit(&mut dice, &mut data, &mut context, &pool, &fields, &samples);
                    }
                    let full = form.check(Json::borrow(&data), &Json::borrow(&context));
                    // Sometimes written with spaces and line breaks: members are told apart as
                    // written.
                    let text = if dice.below(5) == 0 {
                        serde_json::to_string_pretty(&data).unwrap()
                    } else {
                        data.to_string()
                    };
                    let since =
                        check_text(&form, &mut memo, &mut last, &text, &context.to_string());
                    assert_eq!(since, full, "{} step {step}: {data}", form.form);
                    checks += 1;
                    reused += usize::from(memo.last.is_some());
                }
            }
        }
        let sames = SAMES.with(std::cell::Cell::get);
        let taken = TAKEN.with(std::cell::Cell::get);
        assert!(
            checks >= 10_000 && reused > checks / 2 && sames > checks / 10 && taken > checks,
            "{checks} {reused} {sames} {taken}"
        );
    }
}
