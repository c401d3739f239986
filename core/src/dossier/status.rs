//! The eleven dossier statuses the national portal synchronises.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A dossier status. The discriminant is the national status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub enum Status {
    /// Being filled in; never synchronised.
    Draft = 0,
    /// Mới đăng ký.
    Submitted = 1,
    /// Được tiếp nhận: the deadline clock starts.
    Received = 2,
    /// Không được tiếp nhận.
    Refused = 3,
    /// Đang xử lý.
    Processing = 4,
    /// Yêu cầu bổ sung giấy tờ.
    SupplementRequested = 5,
    /// Yêu cầu thực hiện nghĩa vụ tài chính.
    AwaitingPayment = 6,
    /// Công dân yêu cầu rút hồ sơ.
    Withdrawn = 7,
    /// Dừng xử lý.
    Stopped = 8,
    /// Đã xử lý xong.
    Resolved = 9,
    /// Đã trả kết quả.
    Returned = 10,
}

impl Status {
    /// Every status, in national-code order.
    pub const ALL: [Self; 11] = [
        Self::Draft,
        Self::Submitted,
        Self::Received,
        Self::Refused,
        Self::Processing,
        Self::SupplementRequested,
        Self::AwaitingPayment,
        Self::Withdrawn,
        Self::Stopped,
        Self::Resolved,
        Self::Returned,
    ];

    /// The national status code.
    #[must_use]
    pub fn national_code(self) -> u8 {
        self as u8
    }

    /// The status with a national code.
    #[must_use]
    pub fn from_national_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.national_code() == code)
    }

    /// The wire name (`SUBMITTED`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::Submitted => "SUBMITTED",
            Self::Received => "RECEIVED",
            Self::Refused => "REFUSED",
            Self::Processing => "PROCESSING",
            Self::SupplementRequested => "SUPPLEMENT_REQUESTED",
            Self::AwaitingPayment => "AWAITING_PAYMENT",
            Self::Withdrawn => "WITHDRAWN",
            Self::Stopped => "STOPPED",
            Self::Resolved => "RESOLVED",
            Self::Returned => "RETURNED",
        }
    }

    /// The Vietnamese name used by the national portal.
    #[must_use]
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Draft => "Bản nháp",
            Self::Submitted => "Mới đăng ký",
            Self::Received => "Được tiếp nhận",
            Self::Refused => "Không được tiếp nhận",
            Self::Processing => "Đang xử lý",
            Self::SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            Self::AwaitingPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Self::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Self::Stopped => "Dừng xử lý",
            Self::Resolved => "Đã xử lý xong",
            Self::Returned => "Đã trả kết quả",
        }
    }

    /// An English name.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Submitted => "Submitted",
            Self::Received => "Received",
            Self::Refused => "Refused at intake",
            Self::Processing => "Processing",
            Self::SupplementRequested => "Supplement requested",
            Self::AwaitingPayment => "Awaiting payment",
            Self::Withdrawn => "Withdrawn by the applicant",
            Self::Stopped => "Processing stopped",
            Self::Resolved => "Resolved",
            Self::Returned => "Result returned",
        }
    }

    /// Whether nothing can leave this status.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Refused | Self::Withdrawn | Self::Stopped | Self::Returned
        )
    }
}

impl FromStr for Status {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|st| st.as_str() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_national_code(s.national_code()), Some(s));
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
        }
        assert_eq!(Status::Returned.national_code(), 10);
        assert_eq!(Status::from_national_code(11), None);
    }
}
