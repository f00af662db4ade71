//! Rule implementations: one function per rule, from a template resource to a [`Compliance`](crate::Compliance).

pub mod aws_solutions;
pub mod cross_account;
