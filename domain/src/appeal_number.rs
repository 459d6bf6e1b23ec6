//! Human appeal numbers such as `22800019/18СЗН` (SPEC §2): the centre's code, a
//! sequence within the centre and year, the two-digit year and the suffix «СЗН».

/// The suffix every number ends with (служба занятости населения).
pub const SUFFIX: &str = "СЗН";

/// Formats a number; the sequence is zero-padded to five digits so that numbers of one
/// centre and year sort and read alike, and grows past that when a year needs it.
pub fn format(centre_code: &str, sequence: u64, year: i32) -> String {
    format!(
        "{centre_code}{sequence:05}/{:02}{SUFFIX}",
        year.rem_euclid(100)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_seed_example() {
        assert_eq!(format("228", 19, 2018), "22800019/18СЗН");
    }

    #[test]
    fn pads_and_grows() {
        assert_eq!(format("77", 1, 2026), "7700001/26СЗН");
        assert_eq!(format("77", 123_456, 2026), "77123456/26СЗН");
        assert_eq!(format("1", 5, 2100), "100005/00СЗН");
    }
}
