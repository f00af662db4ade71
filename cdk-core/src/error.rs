//! The one error type of `cdk-core`.
//!
//! Every message names what is at fault: the construct path, the file, or the property.

use std::path::PathBuf;

/// Result alias used throughout `cdk-core`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A problem found while building or synthesizing a construct tree.
///
/// `Debug` prints the same text as `Display`, so `fn main() -> Result<(), cdk_core::Error>`
/// (which prints errors with `Debug`) shows a readable list of the problems.
#[derive(thiserror::Error)]
pub enum Error {
    /// A construct was used wrongly (bad ID, duplicate ID, wrong scope, ...).
    #[error("{path}: {message}")]
    Construct {
        /// Path of the construct at fault (`Stack/Api/Handler`), or of its parent for ID errors.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A value could not be resolved into CloudFormation at synth time.
    #[error("{path}: cannot resolve {property}: {message}")]
    Resolve {
        /// Path of the construct that owns the value.
        path: String,
        /// Property path inside the element (`Properties.BucketName`).
        property: String,
        /// What is wrong.
        message: String,
    },
    /// A reference across stacks that CloudFormation cannot express.
    #[error("stack '{consumer}' cannot reference '{target}' in stack '{producer}': {message}")]
    CrossStackReference {
        /// Path of the stack that uses the value.
        consumer: String,
        /// Path of the stack that owns the referenced element.
        producer: String,
        /// Path of the referenced element.
        target: String,
        /// Why the reference is not possible.
        message: String,
    },
    /// Two elements of one stack were given the same logical ID.
    #[error("duplicate logical ID '{logical_id}' in stack '{stack}': '{first}' and '{second}'")]
    DuplicateLogicalId {
        /// Stack path.
        stack: String,
        /// The logical ID both elements would get.
        logical_id: String,
        /// Path of the first element.
        first: String,
        /// Path of the second element.
        second: String,
    },
    /// The stack dependency graph has a cycle.
    #[error("dependency cycle between stacks: {cycle}")]
    DependencyCycle {
        /// The cycle, rendered as `A -> B (reason) -> A`.
        cycle: String,
    },
    /// One or more validation errors; synthesis wrote nothing.
    #[error("synthesis found {} error(s):\n{}", .0.len(), render_list(.0))]
    Validation(Vec<ValidationError>),
    /// Errors of several kinds found by one synthesis run (validation, references, cycles,
    /// CloudFormation limits), all reported together; synthesis wrote nothing. See
    /// [`Error::messages`] for one line per problem.
    #[error("synthesis found {} error(s):\n{}", count(.0), render_errors(.0))]
    Synthesis(Vec<Error>),
    /// A file-system operation failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory at fault.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The output directory exists and is not a cloud assembly: it is left untouched.
    #[error("refusing to write the cloud assembly to {}: {reason}; synthesis replaces only a cloud assembly, so choose another output directory", path.display())]
    UnsafeOutdir {
        /// The output directory.
        path: PathBuf,
        /// Why it may not be replaced.
        reason: String,
    },
    /// Policy validation found violations that no suppression covers (or a plugin failed);
    /// synthesis wrote nothing. Displays the report as aws-cdk-lib prints it.
    #[error("policy validation failed:\n\n{}", .0.format_text(false))]
    PolicyValidation(Box<crate::validation::PolicyValidationReport>),
    /// Invalid JSON in a user-supplied file or environment variable.
    #[error("{origin}: invalid JSON: {message}")]
    Json {
        /// Where the JSON came from (file path or variable name).
        origin: String,
        /// Parser message.
        message: String,
    },
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// One validation error, reported against a construct path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Path of the construct at fault (`""` for the app).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "[app] {}", self.message)
        } else {
            write!(f, "[{}] {}", self.path, self.message)
        }
    }
}

fn render_list(errors: &[ValidationError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn count(errors: &[Error]) -> usize {
    errors.iter().map(|e| e.messages().len()).sum()
}

fn render_errors(errors: &[Error]) -> String {
    errors
        .iter()
        .flat_map(Error::messages)
        .map(|m| format!("  {m}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// One line per problem: each validation error (`[path] message`), each error of a
    /// [`Error::Synthesis`] list, or this error's message.
    pub fn messages(&self) -> Vec<String> {
        match self {
            Error::Validation(errors) => errors.iter().map(ToString::to_string).collect(),
            Error::Synthesis(errors) => errors.iter().flat_map(Error::messages).collect(),
            other => vec![other.to_string()],
        }
    }

    /// Combines the errors of one synthesis run: `None` when there are none, the error itself
    /// when there is one, [`Error::Validation`] when all are validation errors, else
    /// [`Error::Synthesis`] (validation errors first, as one entry).
    pub fn combine(validation: Vec<ValidationError>, mut others: Vec<Error>) -> Option<Error> {
        match (validation.is_empty(), others.len()) {
            (true, 0) => None,
            (true, 1) => others.pop(),
            (false, 0) => Some(Error::Validation(validation)),
            (true, _) => Some(Error::Synthesis(others)),
            (false, _) => {
                let mut all = vec![Error::Validation(validation)];
                all.append(&mut others);
                Some(Error::Synthesis(all))
            }
        }
    }

    /// Builds an [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Builds an [`Error::Construct`].
    pub fn construct(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Construct {
            path: path.into(),
            message: message.into(),
        }
    }
}
