//! The result: the leader approves it, with the electronic result file when there is one; a clerk
//! of the receiving unit returns it online, at the desk or by post.

use sea_orm::Set;
use serde_json::json;

use super::super::attachments;
use super::super::notify::Kind;
use super::super::problem::Problem;
use super::change::{Change, Ctx, Effect};
use super::repo::steps::NewStep;
use super::types::ReturnMethod;

/// Approves the result; the last control-sheet row goes back to the receiving unit.
pub(crate) async fn resolve(ctx: &Ctx<'_>, c: &mut Change, file: Option<&str>) -> Effect {
    let d = ctx.d;
    if let Some(file) = file {
        if !attachments::is_result_of(ctx.db, file, &d.id).await? {
            return Ok(Err(vec![Problem::new(
                &["resultAttachmentId"],
                "RESULT_FILE_INVALID",
                "Tệp kết quả phải là tệp KET_QUA đã tải lên cho hồ sơ này.",
                "The result file must be a KET_QUA file uploaded for this dossier.",
            )]));
        }
        c.row.result_attachment_id = Set(Some(file.to_owned()));
        c.note("resultAttachmentId", json!(file));
    }
    c.sheet.close = Some("Đã phê duyệt kết quả".to_owned());
    c.sheet.open = Some(NewStep {
        from_agency: d.handling_agency(),
        to_user: None,
        to_agency: d.receiving_agency_id,
        step_due: d.due_at.clone(),
        note: Some("Trả kết quả cho người nộp".to_owned()),
    });
    Ok(Ok(Kind::Resolved))
}

/// Delivers the result: online needs the electronic file, by post a tracking number.
pub(crate) fn return_result(
    ctx: &Ctx<'_>,
    c: &mut Change,
    method: ReturnMethod,
    tracking_number: Option<&str>,
) -> Effect {
    let tracking = tracking_number.map(str::trim).filter(|t| !t.is_empty());
    if method == ReturnMethod::Online && ctx.d.result_attachment_id.is_none() {
        return Ok(Err(vec![Problem::new(
            &["method"],
            "RESULT_FILE_REQUIRED",
            "Trả kết quả trực tuyến cần có tệp kết quả điện tử.",
            "Returning online needs the electronic result file.",
        )]));
    }
    if method == ReturnMethod::Post && tracking.is_none() {
        return Ok(Err(vec![Problem::new(
            &["trackingNumber"],
            "TRACKING_NUMBER_REQUIRED",
            "Trả kết quả qua bưu chính cần số hiệu bưu gửi.",
            "Returning by post needs the postal tracking number.",
        )]));
    }
    c.row.return_method = Set(Some(method.as_str().to_owned()));
    c.note("method", json!(method.as_str()));
    if let Some(t) = tracking {
        c.note("trackingNumber", json!(t));
    }
    c.sheet.close = Some(format!(
        "Đã trả kết quả ({})",
        match method {
            ReturnMethod::Online => "trực tuyến",
            ReturnMethod::Desk => "tại Bộ phận Một cửa",
            ReturnMethod::Post => "qua bưu chính",
        }
    ));
    Ok(Ok(Kind::Returned))
}
