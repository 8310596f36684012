//! Instance names: unique within a company's connector, whatever their
//! case (the rule is [`conduit_types::create::name_taken`]); a taken name
//! is refused at the name field, for a new instance and a rename alike.

use conduit_types::create::{name_taken, NAME_TAKEN};
use conduit_types::draft::FIELD_NAME;
use conduit_types::FieldError;

use crate::error::{ApiResult, AppError};

/// The refusal of a name another instance of the connector has.
pub fn name_refused() -> AppError {
    AppError::Validation(vec![FieldError { field: FIELD_NAME.to_owned(), message: NAME_TAKEN.to_owned() }])
}

/// Refuses `name` when one of `others` (the names of the connector's other
/// instances) is the same name.
pub fn unique_name(name: &str, others: &[String]) -> ApiResult<()> {
    if name_taken(name, others.iter().map(String::as_str)) {
        return Err(name_refused());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_is_refused_at_the_name_field_whatever_its_case() {
        let others = vec!["Warehouse API".to_owned(), "Orders".to_owned()];
        assert!(unique_name("Stock", &others).is_ok());
        assert!(unique_name("Warehouse API EU", &others).is_ok());
        match unique_name(" warehouse api ", &others) {
            Err(AppError::Validation(fields)) => {
                assert_eq!(fields.len(), 1);
                assert_eq!((fields[0].field.as_str(), fields[0].message.as_str()), (FIELD_NAME, NAME_TAKEN));
            }
            other => panic!("not refused at the name: {other:?}"),
        }
    }
}
