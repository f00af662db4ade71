//! Template diff: a structured engine ([`engine`]) and a text formatter ([`format`](mod@format)) kept apart,
//! so `deploy` can reuse the engine (e.g. to ask for approval of broadening IAM changes).
//!
//! Entry points: [`diff_templates`] → [`TemplateDiff`]; [`TemplateDiff::permission_change`] for
//! `--require-approval broadening`; [`format::write_template_diff`] for the text.

pub mod create_only;
pub mod engine;
pub mod format;
pub mod iam;
pub mod render;
pub mod replacement;
pub mod security_groups;
pub(crate) mod table;

pub use engine::{
    diff_templates, diff_templates_with, ChangeKind, NamedChange, PermissionChange, PropertyChange,
    ResourceChange, ResourceImpact, TemplateDiff,
};
pub use format::{write_template_diff, FormatOptions};
