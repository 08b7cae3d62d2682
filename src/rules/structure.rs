//! structure rules
