//! tables rules
