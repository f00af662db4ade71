//! Policy documents: a shared, growable list of statements rendered at synth.

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::Value;

use super::statement::PolicyStatement;

/// A policy document. Cloning shares the statements: a document attached to a resource keeps
/// receiving statements added later (the grants), and renders what it holds at synth.
///
/// ```
/// use cdk_constructs::iam::{PolicyDocument, PolicyStatement};
///
/// let doc = PolicyDocument::with_statements([PolicyStatement::new().action("s3:ListBucket").resource("*")]);
/// doc.add_statements([PolicyStatement::new().action("s3:GetObject").resource("arn:aws:s3:::b/*")]);
/// assert_eq!(doc.statement_count(), 2);
/// assert!(doc.validate_for_identity_policy().is_empty());
/// ```
#[derive(Clone, Default)]
pub struct PolicyDocument {
    statements: Rc<RefCell<Vec<PolicyStatement>>>,
}

impl std::fmt::Debug for PolicyDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.statements.borrow().iter())
            .finish()
    }
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// A document holding `statements`.
    pub fn with_statements(statements: impl IntoIterator<Item = PolicyStatement>) -> Self {
        let doc = Self::new();
        doc.add_statements(statements);
        doc
    }

    /// Appends statements (an identical statement is kept once).
    pub fn add_statements(&self, statements: impl IntoIterator<Item = PolicyStatement>) {
        let mut list = self.statements.borrow_mut();
        for s in statements {
            if !list.contains(&s) {
                list.push(s);
            }
        }
    }

    /// Number of statements.
    pub fn statement_count(&self) -> usize {
        self.statements.borrow().len()
    }

    /// True when there is no statement.
    pub fn is_empty(&self) -> bool {
        self.statements.borrow().is_empty()
    }

    /// A copy of the statements.
    pub fn statements(&self) -> Vec<PolicyStatement> {
        self.statements.borrow().clone()
    }

    /// Problems of this document as an identity policy (role/user policy).
    pub fn validate_for_identity_policy(&self) -> Vec<String> {
        self.statements
            .borrow()
            .iter()
            .flat_map(PolicyStatement::validate_for_identity_policy)
            .collect()
    }

    /// Problems of this document as a resource policy (bucket, key, trust policy).
    pub fn validate_for_resource_policy(&self) -> Vec<String> {
        self.statements
            .borrow()
            .iter()
            .flat_map(PolicyStatement::validate_for_resource_policy)
            .collect()
    }

    /// `{"Statement": [...], "Version": "2012-10-17"}`, computed at synth.
    pub fn to_value(&self) -> Value {
        let statements = self.statements.clone();
        Value::lazy(move || {
            Value::object([
                (
                    "Statement",
                    Value::list(statements.borrow().iter().map(PolicyStatement::to_value)),
                ),
                ("Version", Value::from("2012-10-17")),
            ])
        })
    }
}
