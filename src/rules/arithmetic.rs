//! arithmetic rules
