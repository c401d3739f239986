//! Validating form data: computed values, visibility, the schema, conditional requirements and
//! cross-field rules, in that order, returning every violation.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;

use super::definition::{Computed, FieldHints, FormDefinition, Labelled, Rule};
use super::memo::{Changed, Last, Memo, Needed, Reads, ReadsOf, Since, key, member_of, value};
use super::paths;
use super::schema::SchemaViolation;
use crate::json::{self, Json};
use crate::logic::{Base, Logic, Scope};

/// One reason the data is not acceptable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON Pointer of the field.
    pub path: String,
    /// Stable code (`FIELD_REQUIRED`, `CHECKSUM`, a rule's own code, …).
    pub code: String,
    /// Vietnamese message, starting with the field's label.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
}

/// The outcome of a validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// Whether there is no violation.
    pub valid: bool,
    /// Every violation, sorted by path, then code.
    pub violations: Vec<Violation>,
    /// The computed values, by pointer, as the server will store them.
    pub computed: Vec<(String, Value)>,
    /// The fields whose `visible_if` is false, as concrete pointers: a form renderer hides them
    /// (and the server drops them) without evaluating JSON Logic itself.
    pub hidden: Vec<String>,
    /// The fields whose `required_if` is true, as concrete pointers: a renderer marks them
    /// required as the user types.
    pub required: Vec<String>,
}

/// A value counts as given unless absent, `null`, an empty or blank string, or an empty array.
fn is_given(v: Option<&Json>) -> bool {
    match v {
        None | Some(Json::Null) => false,
        Some(Json::String(s)) => !s.trim().is_empty(),
        Some(Json::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// The message of a required field left empty.
pub(super) const REQUIRED_VI: &str = "bắt buộc phải nhập.";
pub(super) const REQUIRED_EN: &str = "is required.";
/// The label of a violation of the whole form.
pub(super) const FORM_VI: &str = "Biểu mẫu";
pub(super) const FORM_EN: &str = "The form";

/// `label: message` with the message's first letter made lower case (`Số chữ số…` → `số chữ
/// số…`), so that a standalone message reads well after a label. Written into one string: every
/// violation of every keystroke's check has two of these.
pub(super) fn labelled(label: &str, message: &str) -> String {
    let mut out = String::with_capacity(label.len() + 2 + message.len());
    out.push_str(label);
    out.push_str(": ");
    let mut chars = message.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_lowercase());
        out.push_str(chars.as_str());
    }
    out
}

/// Whether two lists of pointers are the same, compared by `json`'s byte loops (on the phone
/// `memcmp` is a byte loop behind a call).
fn same_pointers(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json::same(x, y))
}

/// Whether `text` is [`labelled`]`(label, message)`, read without writing it.
fn is_labelled(text: &str, label: &str, message: &str) -> bool {
    let head = label.len() + 2;
    let Some(mut rest) = text
        .get(..head)
        .filter(|h| h.ends_with(": ") && h.get(..label.len()).is_some_and(|l| json::same(l, label)))
        .and_then(|_| text.get(head..))
    else {
        return false;
    };
    let mut chars = message.chars();
    if let Some(first) = chars.next() {
        for c in first.to_lowercase() {
            match rest.strip_prefix(c) {
                Some(r) => rest = r,
                None => return false,
            }
        }
    }
    json::same(rest, chars.as_str())
}

/// The context, or `empty` when it is `null` (or none was given).
pub(crate) fn or_empty<'c>(context: &'c Json<'c>, empty: &'c Json<'c>) -> &'c Json<'c> {
    if context.is_null() { empty } else { context }
}

/// The scope of a condition or rule at a place: the form, the context, and the `*` element.
fn scope_at<'a>(
    work: &'a Json<'a>,
    context: &'a Json<'a>,
    place: &paths::Place<'_, 'a, 'a>,
) -> Scope<'a> {
    let scope = Scope::new(work, context);
    place.item_value().map_or(scope, |i| scope.with_item(i))
}

/// A violation's message: written after its label at load, or to be written after the label its
/// place has.
enum Message<'d> {
    Labelled(&'d Labelled),
    Unlabelled(Cow<'d, str>, Cow<'d, str>),
}

impl<'d> Message<'d> {
    /// The message written at load if there is one, else `vi` and `en` to be labelled.
    fn of(labelled: Option<&'d Labelled>, vi: &'d str, en: &'d str) -> Self {
        labelled.map_or(
            Message::Unlabelled(Cow::Borrowed(vi), Cow::Borrowed(en)),
            Message::Labelled,
        )
    }
}

/// A violation while validating: path, code and message.
type Found<'d> = (Cow<'d, str>, Cow<'d, str>, Message<'d>);

/// A validation as the core finds it: the computed values as [`Json`], for callers that write
/// them straight out (the phone's path) rather than as `serde_json::Value`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Checked {
    /// The answer is the last one given with the same memo: the lists are left empty.
    pub(crate) same: bool,
    /// Whether there is no violation.
    pub(crate) valid: bool,
    pub(crate) violations: Vec<Violation>,
    /// Per violation, where it was in the last answer's list it was taken from
    /// ([`Since::answer`]), if it was.
    pub(crate) from_last: Vec<Option<usize>>,
    pub(crate) computed: Vec<(String, Json<'static>)>,
    pub(crate) hidden: Vec<String>,
    pub(crate) required: Vec<String>,
}

impl Checked {
    /// The last answer again, which was `valid` or not.
    fn same(valid: bool) -> Self {
        Self {
            same: true,
            valid,
            violations: Vec::new(),
            from_last: Vec::new(),
            computed: Vec::new(),
            hidden: Vec::new(),
            required: Vec::new(),
        }
    }
}

impl FormDefinition {
    /// Validates form data in a context (`today`, `channel`, `categories`, … as the rules use them).
    #[must_use]
    pub fn validate(&self, data: &Value, context: &Value) -> Validation {
        let checked = self.check(Json::borrow(data), &Json::borrow(context));
        Validation {
            valid: checked.violations.is_empty(),
            violations: checked.violations,
            computed: checked
                .computed
                .iter()
                .map(|(pointer, v)| (pointer.clone(), v.to_value()))
                .collect(),
            hidden: checked.hidden,
            required: checked.required,
        }
    }

    /// Validates form data read as [`Json`], taking it to write the computed values into and
    /// drop the hidden fields from.
    pub(crate) fn check<'d>(&'d self, data: Json<'d>, context: &Json<'_>) -> Checked {
        let mut work = data;
        let mut buffer = String::with_capacity(64);

        // Computed values first, in order, so that later ones and the rules can use them.
        let mut computed = Vec::new();
        for c in &self.computed {
            compute(c, &mut work, context, &mut buffer, &mut computed);
        }

        // Hidden fields are neither validated nor kept.
        let mut hidden: Vec<String> = Vec::new();
        for f in &self.fields {
            if let Some(visible_if) = &f.visible_if {
                hide(f, visible_if, &work, context, &mut buffer, &mut hidden);
            }
        }
        for pointer in &hidden {
            paths::remove(&mut work, pointer);
        }

        let mut found: Vec<Found<'_>> = self
            .schema
            .validate_json(&work)
            .into_iter()
            .map(schema_found)
            .collect();

        let mut required = Vec::new();
        let mut empty = Vec::new();
        for f in &self.fields {
            if let Some(required_if) = &f.required_if {
                require(
                    f,
                    required_if,
                    &work,
                    context,
                    &mut buffer,
                    &mut required,
                    &mut empty,
                );
                for pointer in empty.drain(..) {
                    push_required(&mut found, f, Cow::Owned(pointer));
                }
            }
        }

        // Rules judge valid input only: a rule is skipped when its own field, or a field it reads,
        // already failed the schema or a conditional requirement. Rules do not mask each other.
        let mut ruled = Vec::new();
        {
            let earlier: Vec<&str> = found.iter().map(|v| &*v.0).collect();
            let mut pointers = Vec::new();
            for rule in &self.rules {
                judge(rule, &work, context, &earlier, &mut buffer, &mut pointers);
                ruled.extend(pointers.drain(..).map(|p| rule_found(rule, Cow::Owned(p))));
            }
        }
        found.extend(ruled);
        self.finish(found, hidden, computed, required, &mut [])
    }

    /// [`Self::check`], reusing from the memo what the last check with it found where the members
    /// of the form it was found from did not change, and keeping what this one finds in it (see
    /// `memo`). When the answer is the last one again, says so rather than writing it.
    ///
    /// The data is read from its text here: only the members that changed are read again, the
    /// others are read from those kept; so is the context, once while its text stays the same.
    /// `None` when either text is not JSON (the caller reads them in full to say why).
    ///
    /// Never inlined (into `ops::LoadedForm::parts`): a form's first check in the package is made
    /// without the memo, and a WebAssembly engine compiles a function whole at its first call.
    #[inline(never)]
    pub(crate) fn check_since(&self, since: Since<'_>) -> Option<Checked> {
        let Since {
            memo,
            data: text,
            context: context_text,
            answer: last_answer,
        } = since;
        let mut changed = memo.begin(self, text, context_text)?;
        let Memo {
            reads,
            last: slot,
            context,
            ..
        } = memo;
        let empty = Json::Object(Vec::new());
        let context = context
            .as_ref()
            .map_or(&empty, |(_, c)| or_empty(c, &empty));
        let Some(last) = slot.as_mut().filter(|_| changed != Changed::Everything) else {
            // A form checked for the first time, in another context, or mostly changed: nothing
            // to reuse, and keeping every finding costs more than the check. The next check
            // that changes less keeps them.
            if let Some(last) = slot.as_mut() {
                last.fresh = true;
                last.kept.clear();
            }
            return Some(self.check(Json::parse(text).ok()?, context));
        };
        if last.fresh {
            changed = Changed::Everything;
        } else if changed == Changed::Members(Vec::new()) {
            // Nothing changed (the same text again): every check would find what it found.
            return Some(Checked::same(last.valid));
        }
        // The members as they are: those that did not change lent from those kept (checks that
        // write into the form write into the loan's own lists), the others read.
        let input_changed = changed.clone();
        let mut kept = std::mem::take(&mut last.kept);
        let mut unkept = Vec::new();
        // A member no check that runs can read stands as `null`: only its name matters (the
        // object's own violations), and copying in every member and dropping it after was most
        // of a small edit's check. One whose schema violations are not kept is checked, so read.
        let needed = reads.needed(&input_changed);
        let is_needed = |name: &str| {
            needed.as_ref().is_none_or(|n| n.has(name))
                || last
                    .schema
                    .binary_search_by(|(k, _)| json::order(k, name))
                    .is_err()
        };
        let mut members = Vec::with_capacity(last.members.len() + self.computed.len());
        let mut refused = false;
        for span in &last.members {
            let name = key(text, span);
            let unchanged = !changed.has(name);
            if unchanged && !is_needed(name) {
                members.push((Cow::Borrowed(name), Json::Null));
                continue;
            }
            let was = kept
                .binary_search_by(|(k, _)| json::order(k, name))
                .ok()
                .filter(|_| unchanged)
                .and_then(|i| kept.get(i));
            let member = match was {
                Some((_, v)) => v.view(),
                None => match Json::parse(value(text, span)) {
                    Ok(v) => {
                        if unchanged {
                            unkept.push(span.clone());
                        }
                        v
                    }
                    Err(_) => {
                        refused = true;
                        break;
                    }
                },
            };
            members.push((Cow::Borrowed(name), member));
        }
        if refused {
            // Not JSON: the caller reads the text in full to say why. The memo starts again:
            // what is kept was found from an earlier text than the one it now compares with,
            // and the refused member's place in this text was not read (`member_spans_since`).
            *slot = None;
            return None;
        }
        crate::sort::small_by(&mut members, |a, b| json::order(&a.0, &b.0));
        let checked = self.check_kept(
            Json::Object(members),
            context,
            (changed, needed.as_ref()),
            (last, last_answer),
            reads,
        );
        // Kept for the next check: the members that did not change this time (one that does is
        // likely to change again, and those gone from the form changed), as read.
        kept.retain(|(k, _)| !input_changed.has(k));
        for span in unkept {
            if let Ok(v) = Json::parse(value(text, &span)) {
                kept.push((key(text, &span).to_owned(), v.into_static()));
            }
        }
        crate::sort::small_by(&mut kept, |a, b| json::order(&a.0, &b.0));
        last.kept = kept;
        Some(checked)
    }

    /// [`Self::check_since`] once the data is read: each stage where it must. Never inlined: a
    /// WebAssembly engine compiles a function whole at its first call, and a form's first check
    /// (which checks everything, without this) would compile it too (+0.85 ms measured).
    #[inline(never)]
    fn check_kept<'d>(
        &'d self,
        data: Json<'d>,
        context: &Json<'_>,
        (mut changed, needed): (Changed, Option<&Needed>),
        (last, last_answer): (&mut Last, &mut [Violation]),
        reads: &ReadsOf,
    ) -> Checked {
        // Whether every check found what it found last time: then so is the answer.
        let mut same = !last.fresh;
        // Whether what rules are judged against (schema and requirement violations) is the same.
        let mut earlier_same = same;
        // Whether the check `reads` picks must run (rather than its last findings stand).
        let run = |changed: &Changed, pick: fn(&ReadsOf) -> &[Reads], i: usize| {
            pick(reads).get(i).is_none_or(|r| changed.touches(r))
        };
        let mut work = data;
        let mut buffer = String::with_capacity(64);

        for (i, c) in self.computed.iter().enumerate() {
            let Some(kept) = last.computed.get_mut(i) else {
                continue;
            };
            if !run(&changed, |r| &r.computed, i) {
                for (pointer, value) in kept.iter() {
                    // Not into a member standing as `null` (nothing reads it); a member itself
                    // is set, for its name.
                    let nested = pointer.get(1..).is_some_and(|p| p.contains('/'));
                    let read = needed.is_none_or(|n| n.has(&member_of(pointer)));
                    if read || !nested {
                        paths::set(&mut work, pointer, c.name(), value.clone());
                    }
                }
                continue;
            }
            let mut now = Vec::new();
            compute(c, &mut work, context, &mut buffer, &mut now);
            if *kept != now {
                same = false;
                changed.add_all(kept.iter().chain(&now).map(|(p, _)| p));
                *kept = now;
            }
        }

        // Visibility is judged on the form before any field is hidden: what changed by hiding
        // counts from then on.
        let mut hiding_changed = Vec::new();
        // One list for what each check finds, swapped with the one kept when they differ: a
        // list is not made (and dropped) for every check that runs.
        let mut now = Vec::new();
        for (j, f) in self.fields.iter().enumerate() {
            let (Some(visible_if), Some(kept)) = (&f.visible_if, last.hidden.get_mut(j)) else {
                continue;
            };
            if !run(&changed, |r| &r.visible, j) {
                continue;
            }
            now.clear();
            hide(f, visible_if, &work, context, &mut buffer, &mut now);
            if !same_pointers(kept, &now) {
                same = false;
                hiding_changed.extend(kept.iter().chain(&now).cloned());
                std::mem::swap(kept, &mut now);
            }
        }
        changed.add_all(&hiding_changed);
        for pointer in last.hidden.iter().flatten() {
            paths::remove(&mut work, pointer);
        }

        // The schema member by member, each member's violations kept.
        match &work {
            Json::Object(members) if self.schema.is_member_wise() => {
                // The object's own violations depend on its members' names only: found again
                // when a member came or went since the last check member by member (whose
                // members the kept schema violations are listed by).
                let names_same = !last.schema.is_empty()
                    && last.schema.len() == members.len()
                    && last
                        .schema
                        .iter()
                        .zip(members)
                        .all(|((k, _), (m, _))| json::same(k, m));
                if names_same {
                    // The same members in the same order (a keystroke's check): each kept entry
                    // is its member's, and only those of the members changed are found again.
                    for ((_, was), (key, value)) in last.schema.iter_mut().zip(members) {
                        if changed.has(key) {
                            let now = self.schema.validate_member(key, value);
                            if *was != now {
                                (same, earlier_same) = (false, false);
                                *was = now;
                            }
                        }
                    }
                } else {
                    let object = self.schema.validate_object(members);
                    if object != last.object {
                        (same, earlier_same) = (false, false);
                        last.object = object;
                    }
                    self.merge_kept(members, &changed, last, (&mut same, &mut earlier_same));
                }
            }
            _ => {
                let all = self.schema.validate_json(&work);
                if !last.schema.is_empty() || all != last.object {
                    (same, earlier_same) = (false, false);
                    last.schema.clear();
                    last.object = all;
                }
            }
        }

        let (mut places, mut empty) = (Vec::new(), Vec::new());
        for (j, f) in self.fields.iter().enumerate() {
            let (Some(required_if), Some(kept)) = (&f.required_if, last.required.get_mut(j)) else {
                continue;
            };
            if !run(&changed, |r| &r.required, j) {
                continue;
            }
            places.clear();
            empty.clear();
            require(
                f,
                required_if,
                &work,
                context,
                &mut buffer,
                &mut places,
                &mut empty,
            );
            if !same_pointers(&kept.1, &empty) {
                (same, earlier_same) = (false, false);
            }
            if !same_pointers(&kept.0, &places) {
                same = false;
            }
            std::mem::swap(&mut kept.0, &mut places);
            std::mem::swap(&mut kept.1, &mut empty);
        }

        {
            let Last {
                object,
                schema,
                required,
                rules,
                earlier: earlier_kept,
                ..
            } = &mut *last;
            let earlier: Vec<&str> = object
                .iter()
                .chain(schema.iter().flat_map(|(_, v)| v))
                .map(|v| v.path.as_str())
                .chain(
                    required
                        .iter()
                        .flat_map(|(_, empty)| empty)
                        .map(String::as_str),
                )
                .collect();
            if !earlier_same {
                // A rule also runs again where what it is judged against changed.
                let mut sorted = earlier.clone();
                crate::sort::small_by(&mut sorted, |a, b| json::order(a, b));
                sorted.dedup_by(|a, b| json::same(a, b));
                for p in earlier_kept.iter() {
                    if sorted.binary_search_by(|k| json::order(k, p)).is_err() {
                        changed.add(&member_of(p));
                    }
                }
                for p in &sorted {
                    if earlier_kept
                        .binary_search_by(|k| json::order(k, p))
                        .is_err()
                    {
                        changed.add(&member_of(p));
                    }
                }
                *earlier_kept = sorted.into_iter().map(str::to_owned).collect();
            }
            for (k, rule) in self.rules.iter().enumerate() {
                let Some(kept) = rules.get_mut(k) else {
                    continue;
                };
                if !run(&changed, |r| &r.rules, k) {
                    continue;
                }
                now.clear();
                judge(rule, &work, context, &earlier, &mut buffer, &mut now);
                if !same_pointers(kept, &now) {
                    same = false;
                    std::mem::swap(kept, &mut now);
                }
            }
        }
        last.fresh = false;
        if same {
            return Checked::same(last.valid);
        }

        // The answer from what each stage found, in the order a full check finds it.
        let mut found: Vec<Found<'_>> = last
            .object
            .iter()
            .chain(last.schema.iter().flat_map(|(_, v)| v))
            .map(kept_schema_found)
            .collect();
        let mut required = Vec::new();
        for (f, (places, empty)) in self.fields.iter().zip(&last.required) {
            if f.required_if.is_some() {
                for pointer in empty {
                    push_required(&mut found, f, Cow::Borrowed(pointer));
                }
                required.extend(places.iter().cloned());
            }
        }
        for (rule, pointers) in self.rules.iter().zip(&last.rules) {
            found.extend(pointers.iter().map(|p| rule_found(rule, Cow::Borrowed(p))));
        }
        let hidden = last.hidden.iter().flatten().cloned().collect();
        let computed = last.computed.iter().flatten().cloned().collect();
        let answer = self.finish(found, hidden, computed, required, last_answer);
        last.valid = answer.valid;
        answer
    }

    /// The schema's violations of each member, merged with those kept by name when members came
    /// or went since the last check: a member kept and unchanged keeps its violations, the
    /// others are found again. Clears `same` and `earlier_same` when any differ.
    fn merge_kept(
        &self,
        members: &[(Cow<'_, str>, Json<'_>)],
        changed: &Changed,
        last: &mut Last,
        (same, earlier_same): (&mut bool, &mut bool),
    ) {
        let mut differ = || (*same, *earlier_same) = (false, false);
        let mut kept = std::mem::take(&mut last.schema).into_iter().peekable();
        // One entry per member: the list is made once, not grown push by push.
        last.schema.reserve_exact(members.len());
        for (key, value) in members {
            while let Some((_, gone)) = kept.next_if(|(k, _)| json::order(k, key).is_lt()) {
                if !gone.is_empty() {
                    differ();
                }
            }
            let entry = match kept.next_if(|(k, _)| json::same(k, key)) {
                Some(entry) if !changed.has(key) => entry,
                was => {
                    let now = self.schema.validate_member(key, value);
                    if was.as_ref().map_or(!now.is_empty(), |(_, w)| *w != now) {
                        differ();
                    }
                    (key.to_string(), now)
                }
            };
            last.schema.push(entry);
        }
        if kept.any(|(_, gone)| !gone.is_empty()) {
            differ();
        }
    }

    /// The answer: violations under a hidden field dropped, sorted by path then code, one per
    /// path and code, each message after its label. A violation the last answer's list (`last`,
    /// sorted the same way) has as it would be written is taken from it rather than written
    /// again: a keystroke that changes the answer mostly changes one violation of many.
    fn finish(
        &self,
        mut found: Vec<Found<'_>>,
        hidden: Vec<String>,
        computed: Vec<(String, Json<'static>)>,
        required: Vec<String>,
        last: &mut [Violation],
    ) -> Checked {
        // Paths and codes compared by `json`'s byte loops: on the phone `memcmp` is a byte loop
        // behind a call, and this compares every violation of every changed answer.
        let by_place = |(p, c): (&str, &str), (q, d): (&str, &str)| {
            json::order(p, q).then_with(|| json::order(c, d))
        };
        found.retain(|v| !hidden.iter().any(|h| paths::is_within(&v.0, h)));
        // The core's one sort (`crate::sort`), not a second instantiation of the standard one.
        crate::sort::small_by(&mut found, |a, b| by_place((&a.0, &a.1), (&b.0, &b.1)));
        found.dedup_by(|a, b| json::same(&a.0, &b.0) && json::same(&a.1, &b.1));
        let mut violations = Vec::with_capacity(found.len());
        let mut from_last = Vec::with_capacity(found.len());
        let mut j = 0;
        for (path, code, message) in found {
            while last
                .get(j)
                .is_some_and(|o| by_place((&o.path, &o.code), (&path, &code)).is_lt())
            {
                j += 1;
            }
            if let Some(old) = last.get_mut(j)
                && json::same(&old.path, &path)
                && json::same(&old.code, &code)
                && self.says(old, &path, &message)
            {
                violations.push(std::mem::take(old));
                from_last.push(Some(j));
                j += 1;
                continue;
            }
            let (message_vi, message_en) = match message {
                Message::Labelled((vi, en)) => (vi.clone(), en.clone()),
                Message::Unlabelled(vi, en) => {
                    let (label_vi, label_en) = self.violation_label(&path);
                    (labelled(label_vi, &vi), labelled(label_en, &en))
                }
            };
            violations.push(Violation {
                message_vi,
                message_en,
                path: path.into_owned(),
                code: code.into_owned(),
            });
            from_last.push(None);
        }
        Checked {
            same: false,
            valid: violations.is_empty(),
            violations,
            from_last,
            computed,
            hidden,
            required,
        }
    }

    /// Whether `v`'s messages are `message` as [`Self::finish`] writes it at `path`.
    fn says(&self, v: &Violation, path: &str, message: &Message<'_>) -> bool {
        match message {
            Message::Labelled((vi, en)) => {
                json::same(&v.message_vi, vi) && json::same(&v.message_en, en)
            }
            Message::Unlabelled(vi, en) => {
                let (label_vi, label_en) = self.violation_label(path);
                is_labelled(&v.message_vi, label_vi, vi) && is_labelled(&v.message_en, label_en, en)
            }
        }
    }
}

/// A schema violation as found: path, code and messages (to be written after the label).
fn schema_found<'d>(v: SchemaViolation) -> Found<'d> {
    (
        Cow::Owned(v.path),
        Cow::Borrowed(v.code),
        Message::Unlabelled(Cow::Owned(v.message_vi), Cow::Owned(v.message_en)),
    )
}

/// A kept schema violation as found, its messages borrowed (not copied to be labelled).
fn kept_schema_found(v: &SchemaViolation) -> Found<'_> {
    (
        Cow::Borrowed(&v.path),
        Cow::Borrowed(v.code),
        Message::Unlabelled(Cow::Borrowed(&v.message_vi), Cow::Borrowed(&v.message_en)),
    )
}

/// A rule's violation at `pointer`, code and message borrowed from the definition.
fn rule_found<'d>(rule: &'d Rule, pointer: Cow<'d, str>) -> Found<'d> {
    (
        pointer,
        Cow::Borrowed(rule.code.as_str()),
        Message::of(rule.labelled.as_ref(), &rule.message.vi, &rule.message.en),
    )
}

/// A conditionally required field left empty at `pointer`, unless already found so.
fn push_required<'d>(found: &mut Vec<Found<'d>>, f: &'d FieldHints, pointer: Cow<'d, str>) {
    if !found
        .iter()
        .any(|v| v.0 == pointer && v.1 == "FIELD_REQUIRED")
    {
        found.push((
            pointer,
            Cow::Borrowed("FIELD_REQUIRED"),
            Message::of(f.required_message.as_ref(), REQUIRED_VI, REQUIRED_EN),
        ));
    }
}

/// Computes `c` at each of its places, writes the values into `work`, and appends those written
/// to `out`. A value is copied out whole (`into_static`): the form it was computed from changes
/// next, and so do the places, which are therefore gathered before it does. A place's `*` element
/// is found again by its pointer when its turn comes rather than copied: writing the other places
/// (other elements) leaves it as it was.
fn compute<'d>(
    c: &'d Computed,
    work: &mut Json<'d>,
    context: &Json<'_>,
    buffer: &mut String,
    out: &mut Vec<(String, Json<'static>)>,
) {
    let mut targets: Vec<(String, Option<usize>)> = Vec::new();
    paths::each(&c.segments, work, buffer, &mut |place| {
        targets.push((place.pointer.to_owned(), place.item_pointer().map(str::len)));
    });
    for (pointer, item) in targets {
        let scope = Scope::new(work, context);
        let item = item.and_then(|len| paths::get(work, pointer.get(..len)?));
        let scope = item.map_or(scope, |i| scope.with_item(i));
        let value = c.logic.eval(&scope).into_owned().into_static();
        if paths::set(work, &pointer, c.name(), value.clone()) {
            out.push((pointer, value));
        }
    }
}

/// Appends the places of `f` its `visible_if` hides to `out`.
fn hide(
    f: &FieldHints,
    visible_if: &Logic,
    work: &Json<'_>,
    context: &Json<'_>,
    buffer: &mut String,
    out: &mut Vec<String>,
) {
    paths::each(&f.segments, work, buffer, &mut |place| {
        if !visible_if.test(&scope_at(work, context, &place)) {
            out.push(place.pointer.to_owned());
        }
    });
}

/// Appends the places of `f` its `required_if` requires to `places`, and those of them left
/// empty to `empty`.
fn require(
    f: &FieldHints,
    required_if: &Logic,
    work: &Json<'_>,
    context: &Json<'_>,
    buffer: &mut String,
    places: &mut Vec<String>,
    empty: &mut Vec<String>,
) {
    paths::each(&f.segments, work, buffer, &mut |place| {
        if required_if.test(&scope_at(work, context, &place)) {
            places.push(place.pointer.to_owned());
            if !is_given(place.value) {
                empty.push(place.pointer.to_owned());
            }
        }
    });
}

/// Appends the places where `rule` fails to `out`. Rules judge valid input only: a rule is
/// skipped where its own field, or a field it reads, is within a violation `earlier` found
/// (schema, conditional requirements). Rules do not mask each other.
fn judge(
    rule: &Rule,
    work: &Json<'_>,
    context: &Json<'_>,
    earlier: &[&str],
    buffer: &mut String,
    out: &mut Vec<String>,
) {
    paths::each(&rule.segments, work, buffer, &mut |place| {
        let failed = |p: &str| earlier.iter().any(|v| paths::is_within(p, v));
        let reads_failed =
            rule.reads
                .iter()
                .any(|(base, read)| match (base, place.item_pointer()) {
                    (Base::Item, Some(item)) => earlier
                        .iter()
                        .any(|v| paths::is_within_joined(item, read, v)),
                    (Base::Item, None) => false,
                    _ => failed(read),
                });
        if failed(place.pointer) || reads_failed {
            return;
        }
        let scope = scope_at(work, context, &place);
        if rule.when.as_ref().is_none_or(|w| w.test(&scope)) && !rule.logic.test(&scope) {
            out.push(place.pointer.to_owned());
        }
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn assert_labelled_at_their_place(form: &FormDefinition, data: &Value) -> usize {
        let result = form.validate(data, &json!({"today": "2026-11-23"}));
        for v in &result.violations {
            // The label its place's own lookup finds.
            let (vi, en) = form.violation_label(&v.path);
            assert!(v.message_vi.starts_with(&format!("{vi}: ")), "{v:?}");
            assert!(v.message_en.starts_with(&format!("{en}: ")), "{v:?}");
        }
        result.violations.len()
    }

    /// Messages written at load (rules, conditional requirements) carry the label the place's own
    /// lookup finds, on every catalogue form's samples and on data that breaks them.
    #[test]
    fn messages_written_at_load_have_the_label_of_their_place() {
        let mut checked = 0;
        for procedure in crate::catalog::demo_procedures() {
            let form = FormDefinition::load(&procedure["form"]).unwrap();
            for sample in procedure["samples"].as_object().unwrap().values() {
                checked += assert_labelled_at_their_place(&form, &sample["data"]);
            }
            checked += assert_labelled_at_their_place(&form, &json!({}));
        }
        assert!(checked >= 100, "{checked}");
    }

    /// A message is told written after its label exactly when [`labelled`] writes it so.
    #[test]
    fn a_labelled_message_is_read_as_written() {
        let labels = ["", "Họ và tên", "Số CCCD", "Ngày"];
        let messages = [
            "",
            "Số chữ số không đúng.",
            "số chữ số không đúng.",
            "chữ số không đúng.",
            "İ hai ký tự khi viết thường.",
            "Đ",
            "đ",
        ];
        for label in labels {
            for message in messages {
                let written = labelled(label, message);
                for other_label in labels {
                    for other in messages {
                        let same = labelled(other_label, other) == written;
                        assert_eq!(
                            is_labelled(&written, other_label, other),
                            same,
                            "{written:?} as {other_label:?} + {other:?}"
                        );
                    }
                }
            }
        }
    }

    /// With a field described at a concrete index, labels are looked up at each place.
    #[test]
    fn a_field_at_a_concrete_index_keeps_its_own_label() {
        let form = FormDefinition::load(&json!({
            "form": "9.999999", "version": "t1", "title": {"vi": "Thử", "en": "Test"},
            "schema": {"type": "object", "properties": {
                "years": {"type": "object", "properties": {"2020": {"type": "string"}}}
            }},
            "fields": {"/years/2020": {"label": {"vi": "Năm 2020", "en": "Year 2020"}}},
            "rules": [{"id": "r", "path": "/years/2020", "logic": false, "code": "NEVER",
                       "message": {"vi": "Không bao giờ đúng.", "en": "Never holds."}}]
        }))
        .unwrap();
        let result = form.validate(&json!({"years": {"2020": "x"}}), &json!({}));
        let messages: Vec<&str> = result
            .violations
            .iter()
            .map(|v| v.message_vi.as_str())
            .collect();
        assert_eq!(messages, ["Năm 2020: không bao giờ đúng."]);
    }
}
