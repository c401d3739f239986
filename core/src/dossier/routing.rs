//! Where a dossier goes: the unit it is filed to (receiving) and the agency competent to decide it.
//!
//! A procedure names the agency type that decides it (`agency_type`). The competent agency is the
//! one the filer chose, which must be of that type; else the one of that type in the receiving
//! unit's own administrative unit; else one of that type serving the whole province (its unit code
//! is the province's two digits). Without a choice the receiving unit is the first agency of the
//! procedure's type in the list's order (the server lists agencies by code).

use serde::{Deserialize, Serialize};

use crate::error::Coded;

/// An agency as routing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct AgencyRef {
    /// Its id.
    pub id: i64,
    /// Its type (`UBND_XA`, `CONG_AN_TINH`, …), as procedures name them.
    pub agency_type: String,
    /// The administrative unit it serves (2 digits for the province, 5 for a commune).
    pub unit_code: String,
}

/// Why a dossier cannot be routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// The chosen receiving unit does not exist (or no agency of the type exists at all).
    #[error("RECEIVING_UNIT_NOT_FOUND")]
    ReceivingUnitNotFound,
    /// The chosen agency is not of the procedure's agency type.
    #[error("NOT_COMPETENT")]
    NotCompetent,
    /// No agency of the type serves the receiving unit or the province: the filer must choose.
    #[error("COMPETENT_AGENCY_REQUIRED")]
    CompetentAgencyRequired,
}

impl Coded for RoutingError {
    fn code(&self) -> &'static str {
        match self {
            Self::ReceivingUnitNotFound => "RECEIVING_UNIT_NOT_FOUND",
            Self::NotCompetent => "NOT_COMPETENT",
            Self::CompetentAgencyRequired => "COMPETENT_AGENCY_REQUIRED",
        }
    }

    fn message_vi(&self) -> &'static str {
        match self {
            Self::ReceivingUnitNotFound => "Không tìm thấy nơi tiếp nhận hồ sơ.",
            Self::NotCompetent => "Cơ quan được chọn không có thẩm quyền giải quyết thủ tục này.",
            Self::CompetentAgencyRequired => "Vui lòng chọn cơ quan có thẩm quyền giải quyết.",
        }
    }

    fn message_en(&self) -> &'static str {
        match self {
            Self::ReceivingUnitNotFound => "The receiving unit does not exist.",
            Self::NotCompetent => "The chosen agency is not competent for this procedure.",
            Self::CompetentAgencyRequired => "Please choose the competent agency.",
        }
    }
}

/// The unit a dossier is filed to: the one chosen, else the chosen competent agency, else the first
/// agency of the procedure's type.
///
/// # Errors
/// `RECEIVING_UNIT_NOT_FOUND` when the chosen id is unknown or no agency has the type.
pub fn receiving_unit<'a>(
    agencies: &'a [AgencyRef],
    agency_type: &str,
    chosen: Option<i64>,
    competent: Option<i64>,
) -> Result<&'a AgencyRef, RoutingError> {
    match chosen.or(competent) {
        Some(id) => agencies.iter().find(|a| a.id == id),
        None => agencies.iter().find(|a| a.agency_type == agency_type),
    }
    .ok_or(RoutingError::ReceivingUnitNotFound)
}

/// The agency competent for a dossier of a procedure of `agency_type` filed to `receiving`.
///
/// # Errors
/// `NOT_COMPETENT` (the given agency is not of the type or unknown), `COMPETENT_AGENCY_REQUIRED`.
pub fn competent_agency<'a>(
    agencies: &'a [AgencyRef],
    agency_type: &str,
    receiving: &AgencyRef,
    given: Option<i64>,
) -> Result<&'a AgencyRef, RoutingError> {
    let mut candidates = agencies.iter().filter(|a| a.agency_type == agency_type);
    if let Some(id) = given {
        return candidates
            .find(|a| a.id == id)
            .ok_or(RoutingError::NotCompetent);
    }
    let province = receiving.unit_code.get(..2).unwrap_or_default();
    let candidates: Vec<&AgencyRef> = candidates.collect();
    candidates
        .iter()
        .find(|a| a.unit_code == receiving.unit_code)
        .or_else(|| candidates.iter().find(|a| a.unit_code == province))
        .copied()
        .ok_or(RoutingError::CompetentAgencyRequired)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency(id: i64, agency_type: &str, unit_code: &str) -> AgencyRef {
        AgencyRef {
            id,
            agency_type: agency_type.to_owned(),
            unit_code: unit_code.to_owned(),
        }
    }

    fn province() -> Vec<AgencyRef> {
        vec![
            agency(1, "UBND_XA", "26734"),
            agency(2, "UBND_XA", "26737"),
            agency(3, "CONG_AN_TINH", "26"),
            agency(4, "CONG_AN_XA", "26737"),
        ]
    }

    #[test]
    fn a_commune_procedure_stays_in_the_commune() {
        let all = province();
        let ward = receiving_unit(&all, "UBND_XA", Some(2), None).unwrap();
        assert_eq!(competent_agency(&all, "UBND_XA", ward, None).unwrap().id, 2);
        assert_eq!(
            competent_agency(&all, "CONG_AN_XA", ward, None).unwrap().id,
            4
        );
    }

    #[test]
    fn a_provincial_procedure_goes_to_the_province() {
        let all = province();
        let ward = receiving_unit(&all, "CONG_AN_TINH", Some(1), None).unwrap();
        assert_eq!(
            competent_agency(&all, "CONG_AN_TINH", ward, None)
                .unwrap()
                .id,
            3
        );
    }

    #[test]
    fn a_choice_must_be_competent() {
        let all = province();
        let ward = &all[0];
        assert_eq!(
            competent_agency(&all, "UBND_XA", ward, Some(3)),
            Err(RoutingError::NotCompetent)
        );
        assert_eq!(
            competent_agency(&all, "CONG_AN_XA", ward, None),
            Err(RoutingError::CompetentAgencyRequired)
        );
    }

    #[test]
    fn the_receiving_unit_defaults_to_the_first_of_the_type() {
        let all = province();
        assert_eq!(receiving_unit(&all, "UBND_XA", None, None).unwrap().id, 1);
        assert_eq!(
            receiving_unit(&all, "UBND_XA", None, Some(3)).unwrap().id,
            3
        );
        assert_eq!(
            receiving_unit(&all, "UBND_XA", Some(9), None),
            Err(RoutingError::ReceivingUnitNotFound)
        );
        assert_eq!(
            receiving_unit(&all, "SO_TU_PHAP", None, None),
            Err(RoutingError::ReceivingUnitNotFound)
        );
    }
}
