//! The server's settings, read from `initializationOptions` and
//! `workspace/didChangeConfiguration`, either as `{"nianbao": {...}}` or as `{...}` directly:
//!
//! ```json
//! { "lintOn": "type", "rules": { "NB206": "off", "NB104": "warning" }, "language": "en" }
//! ```
//!
//! Unknown keys and bad values are logged and ignored: a typo in a setting must not stop the
//! server.

use serde_json::Value;
use tracing::warn;

use crate::{Lang, Options};

/// When documents are analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LintOn {
    /// On open and on every change.
    #[default]
    Type,
    /// On open and on save only.
    Save,
}

#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub lint_on: LintOn,
    /// The analysis options, with the per-rule overrides applied.
    pub options: Options,
    /// The language set explicitly; otherwise the client's locale decides.
    pub language: Option<Lang>,
}

impl Settings {
    /// Read settings from a JSON value; `null` or anything not an object gives the defaults.
    pub fn from_json(value: &Value) -> Settings {
        let mut settings = Settings::default();
        let object = match value.get("nianbao") {
            Some(inner) if inner.is_object() => inner,
            _ => value,
        };
        let Some(object) = object.as_object() else {
            return settings;
        };
        for (key, value) in object {
            match key.as_str() {
                "lintOn" => match value.as_str().map(|s| s.trim().to_ascii_lowercase()) {
                    Some(s) if s == "type" || s == "change" || s == "onchange" => {
                        settings.lint_on = LintOn::Type
                    }
                    Some(s) if s == "save" || s == "onsave" => settings.lint_on = LintOn::Save,
                    _ => warn!("setting lintOn: expected \"type\" or \"save\", got {value}"),
                },
                "rules" => match value.as_object() {
                    Some(rules) => {
                        for (code, setting) in rules {
                            let ok = setting
                                .as_str()
                                .is_some_and(|s| settings.options.set_rule(code, s));
                            if !ok {
                                warn!("setting rules.{code}: unknown rule or value {setting}");
                            }
                        }
                    }
                    None => warn!("setting rules: expected an object, got {value}"),
                },
                "language" => match value.as_str() {
                    Some(s) if s.trim().is_empty() || s.eq_ignore_ascii_case("auto") => {}
                    Some(s) => match Lang::parse(s) {
                        Some(lang) => settings.language = Some(lang),
                        None => warn!("setting language: expected \"zh\" or \"en\", got {s}"),
                    },
                    None if value.is_null() => {}
                    None => warn!("setting language: expected a string, got {value}"),
                },
                other => warn!("unknown setting {other}"),
            }
        }
        settings
    }

    /// The language messages are shown in: the setting, else the client's locale, else Chinese.
    pub fn lang(&self, locale: Option<&str>) -> Lang {
        self.language.unwrap_or_else(|| match locale {
            Some(l) if l.trim().to_ascii_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Zh,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;
    use serde_json::json;

    #[test]
    fn reads_both_shapes() {
        let nested = Settings::from_json(&json!({"nianbao": {"lintOn": "save", "language": "en",
            "rules": {"NB206": "off", "nb104": "warning", "NB999": "off"}}}));
        assert_eq!(nested.lint_on, LintOn::Save);
        assert_eq!(nested.language, Some(Lang::En));
        assert_eq!(nested.options.severity.get("NB206"), Some(&None));
        assert_eq!(
            nested.options.severity.get("NB104"),
            Some(&Some(Severity::Warning))
        );
        let flat = Settings::from_json(&json!({"lintOn": "type", "rules": {"NB301": "info"}}));
        assert_eq!(flat.lint_on, LintOn::Type);
        assert_eq!(
            flat.options.severity.get("NB301"),
            Some(&Some(Severity::Info))
        );
        let none = Settings::from_json(&Value::Null);
        assert_eq!(none.lint_on, LintOn::Type);
        assert_eq!(none.lang(Some("en-US")), Lang::En);
        assert_eq!(none.lang(Some("zh-CN")), Lang::Zh);
        assert_eq!(none.lang(None), Lang::Zh);
        assert_eq!(nested.lang(Some("zh-CN")), Lang::En);
    }
}
