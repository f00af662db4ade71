//! Resources: the path tree of a REST API (`/`, `/product`, `/product/{id}`, ...).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use cdk_core::{IConstruct, Node, Str};

use super::cors::CorsOptions;
use super::hash::HashData;
use super::integration::Integration;
use super::method::{Method, MethodOptions, MethodProps};
use super::{ApiShared, CfnResource, CfnResourceProps, RestApi};

/// Options of a resource (inherited by its children unless they set their own).
#[derive(Clone, Default)]
pub struct ResourceOptions {
    /// Integration of methods added without one.
    pub default_integration: Option<Integration>,
    /// Options merged into every method's options (per option).
    pub default_method_options: Option<MethodOptions>,
    /// Add a CORS preflight `OPTIONS` method to this resource and (unless they set their own)
    /// to every child resource.
    pub default_cors_preflight_options: Option<CorsOptions>,
}

/// Options of [`Resource::add_proxy`].
#[derive(Clone)]
pub struct ProxyResourceOptions {
    /// Integration of the proxy's methods (default: inherited).
    pub default_integration: Option<Integration>,
    /// Default method options (default: inherited).
    pub default_method_options: Option<MethodOptions>,
    /// Add an `ANY` method to the proxy (and to its parent when that is the root) (default `true`).
    pub any_method: bool,
    /// CORS preflight options (default: inherited).
    pub default_cors_preflight_options: Option<CorsOptions>,
}

impl Default for ProxyResourceOptions {
    fn default() -> Self {
        ProxyResourceOptions {
            default_integration: None,
            default_method_options: None,
            any_method: true,
            default_cors_preflight_options: None,
        }
    }
}

/// What [`Resource::add_proxy`] created.
#[derive(Clone)]
pub struct ProxyResource {
    /// The `{proxy+}` resource.
    pub resource: Resource,
    /// Its `ANY` method, when `any_method` was set.
    pub any_method: Option<Method>,
}

pub(crate) struct ResourceData {
    pub(crate) node: Node,
    pub(crate) path: String,
    pub(crate) resource_id: Str,
    pub(crate) parent: Option<usize>,
    pub(crate) children: BTreeMap<String, usize>,
    pub(crate) methods: BTreeSet<String>,
    pub(crate) default_integration: Option<Integration>,
    pub(crate) default_method_options: MethodOptions,
    pub(crate) is_proxy: bool,
    pub(crate) default_cors_preflight_options: Option<CorsOptions>,
}

/// A resource (path) of a [`RestApi`]; the root (`/`) is [`RestApi::root`].
///
/// ```
/// # use cdk_core::{App, Stack, StackProps};
/// # use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use std::collections::BTreeMap;
/// use cdk_constructs::apigateway::{LambdaIntegration, MethodOptions, RestApi, RestApiProps};
/// # let app = App::new();
/// # let stack = Stack::new(&app, "S", StackProps::default());
/// # let get_product = Function::new(&stack, "Get", FunctionProps::new(Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass")));
/// let api = RestApi::new(&stack, "Api", RestApiProps::default());
/// let find = api.root().add_resource("product").add_resource("find").add_resource("{id}");
/// assert_eq!(find.path(), "/product/find/{id}");
/// find.add_method("GET", LambdaIntegration::new(&get_product), MethodOptions {
///     request_parameters: Some(BTreeMap::from([("method.request.path.id".to_string(), true)])),
///     ..Default::default()
/// });
/// ```
#[derive(Clone)]
pub struct Resource {
    pub(crate) api: Rc<ApiShared>,
    pub(crate) idx: usize,
    pub(crate) node: Node,
}

impl IConstruct for Resource {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// Problems with a path part, by aws-cdk-lib's rule: `[a-zA-Z0-9._-:$]`, optionally wrapped
/// in `{}` for a path parameter, with a trailing `+` inside the braces for a greedy one.
pub fn path_part_errors(part: &str) -> Vec<String> {
    let mut inner = part;
    if let Some(p) = inner.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        inner = p.strip_suffix('+').unwrap_or(p);
    }
    let valid = !inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:$".contains(c));
    if valid {
        Vec::new()
    } else {
        vec![format!(
            "invalid path part '{part}': only [a-zA-Z0-9._-:$] are allowed, optionally in {{}} for a path parameter (with a trailing '+' for a greedy one)"
        )]
    }
}

impl Resource {
    fn with<R>(&self, f: impl FnOnce(&ResourceData) -> R) -> R {
        f(&self.api.resources.borrow()[self.idx])
    }

    pub(crate) fn at(api: &Rc<ApiShared>, idx: usize) -> Resource {
        let node = api.resources.borrow()[idx].node.clone();
        Resource {
            api: api.clone(),
            idx,
            node,
        }
    }

    /// The API the resource belongs to.
    pub fn api(&self) -> RestApi {
        RestApi {
            shared: self.api.clone(),
        }
    }

    /// The full path (`/` for the root, `/product/{id}`).
    pub fn path(&self) -> String {
        self.with(|r| r.path.clone())
    }

    /// The resource ID (`Ref`, or the API's `RootResourceId` for the root).
    pub fn resource_id(&self) -> Str {
        self.with(|r| r.resource_id.clone())
    }

    /// The parent resource (`None` for the root).
    pub fn parent_resource(&self) -> Option<Resource> {
        let parent = self.with(|r| r.parent)?;
        Some(Resource::at(&self.api, parent))
    }

    /// The child resource with this path part, if any.
    pub fn get_resource(&self, path_part: &str) -> Option<Resource> {
        let idx = self.with(|r| r.children.get(path_part).copied())?;
        Some(Resource::at(&self.api, idx))
    }

    pub(crate) fn default_integration(&self) -> Option<Integration> {
        self.with(|r| r.default_integration.clone())
    }

    pub(crate) fn default_method_options(&self) -> MethodOptions {
        self.with(|r| r.default_method_options.clone())
    }

    pub(crate) fn record_method(&self, http_method: &str) {
        self.api.resources.borrow_mut()[self.idx]
            .methods
            .insert(http_method.to_string());
    }

    /// True when a method for `http_method` was added to this resource.
    pub fn has_method(&self, http_method: &str) -> bool {
        self.with(|r| r.methods.contains(&http_method.to_uppercase()))
    }

    fn proxy_locked(&self) -> bool {
        self.idx == 0 && self.api.proxy_root.get()
    }

    /// Adds a child resource `path_part` (construct ID = path part).
    pub fn add_resource(&self, path_part: &str) -> Resource {
        self.add_resource_with_options(path_part, ResourceOptions::default())
    }

    /// Adds a child resource with default integration and method options.
    pub fn add_resource_with_options(&self, path_part: &str, options: ResourceOptions) -> Resource {
        self.create_child(path_part, options, false)
    }

    fn create_child(&self, path_part: &str, options: ResourceOptions, is_proxy: bool) -> Resource {
        if self.proxy_locked() {
            self.api.node.add_error(
                "cannot add resources to the root of a proxying LambdaRestApi; set proxy: false",
            );
        }
        if let Some(existing) = self.get_resource(path_part) {
            self.node.add_error(&format!(
                "resource '{}' already has a child resource with path part '{path_part}'",
                self.path()
            ));
            return existing;
        }
        let node = Node::new(&self.node, path_part);
        node.set_construct_info("cdk-constructs.apigateway.Resource");
        for e in path_part_errors(path_part) {
            node.add_error(&e);
        }
        let api = self.api();
        let resource = CfnResource::new(
            &node,
            "Resource",
            CfnResourceProps::new(self.resource_id(), path_part, api.rest_api_id()),
        );
        api.attach_resource(
            &resource,
            HashData::object([(
                "resource",
                HashData::object([
                    ("restApiId", HashData::from(api.rest_api_id())),
                    ("parentId", HashData::from(self.resource_id())),
                    ("pathPart", HashData::from(path_part)),
                ]),
            )]),
        );
        let (parent_path, parent_integration, parent_options, parent_cors) = self.with(|r| {
            (
                r.path.clone(),
                r.default_integration.clone(),
                r.default_method_options.clone(),
                r.default_cors_preflight_options.clone(),
            )
        });
        let cors = options.default_cors_preflight_options.or(parent_cors);
        let path = if parent_path.ends_with('/') {
            format!("{parent_path}{path_part}")
        } else {
            format!("{parent_path}/{path_part}")
        };
        let data = ResourceData {
            node: node.clone(),
            path,
            resource_id: resource.ref_(),
            parent: Some(self.idx),
            children: BTreeMap::new(),
            methods: BTreeSet::new(),
            default_integration: options.default_integration.or(parent_integration),
            default_method_options: options
                .default_method_options
                .map(|o| o.or(&parent_options))
                .unwrap_or(parent_options),
            is_proxy,
            default_cors_preflight_options: cors.clone(),
        };
        let idx = {
            let mut resources = self.api.resources.borrow_mut();
            resources.push(data);
            let idx = resources.len() - 1;
            resources[self.idx]
                .children
                .insert(path_part.to_string(), idx);
            idx
        };
        let child = Resource {
            api: self.api.clone(),
            idx,
            node,
        };
        if let Some(cors) = cors {
            child.add_cors_preflight(cors);
        }
        child
    }

    /// The resource's CORS preflight options, inherited by its children.
    pub fn default_cors_preflight_options(&self) -> Option<CorsOptions> {
        self.with(|r| r.default_cors_preflight_options.clone())
    }

    /// The resource at `path` below this one, creating missing ones (`"a/b/{id}"`; a leading
    /// `/` only on the root).
    pub fn resource_for_path(&self, path: &str) -> Resource {
        let rest = match path.strip_prefix('/') {
            Some(rest) => {
                if self.idx != 0 {
                    self.node.add_error(&format!(
                        "path '{path}' may start with '/' only on the root resource"
                    ));
                }
                rest
            }
            None => path,
        };
        let mut current = self.clone();
        for part in rest.split('/').filter(|p| !p.is_empty()) {
            current = match current.get_resource(part) {
                Some(existing) => existing,
                None => current.add_resource(part),
            };
        }
        current
    }

    /// Adds method `http_method` (construct ID = the method) with `integration` (or `None` for
    /// the resource's default integration, else a mock).
    pub fn add_method(
        &self,
        http_method: &str,
        integration: impl Into<Option<Integration>>,
        options: MethodOptions,
    ) -> Method {
        self.add_method_ordered(http_method, integration.into(), options, None)
    }

    pub(crate) fn add_method_ordered(
        &self,
        http_method: &str,
        integration: Option<Integration>,
        options: MethodOptions,
        key_order: Option<Vec<String>>,
    ) -> Method {
        let upper = http_method.to_uppercase();
        if self.proxy_locked() {
            self.api.node.add_error(
                "cannot add methods to the root of a proxying LambdaRestApi; set proxy: false",
            );
        }
        let is_proxy = self.with(|r| r.is_proxy);
        if is_proxy {
            // As aws-cdk-lib: a proxy under the root also serves the root path.
            if let Some(parent) = self.parent_resource() {
                if parent.idx == 0 && !parent.has_method(&upper) {
                    parent.create_method(
                        &upper,
                        integration.clone(),
                        options.clone(),
                        key_order.clone(),
                    );
                }
            }
        }
        self.create_method(&upper, integration, options, key_order)
    }

    fn create_method(
        &self,
        http_method: &str,
        integration: Option<Integration>,
        options: MethodOptions,
        key_order: Option<Vec<String>>,
    ) -> Method {
        if self.has_method(http_method) {
            self.node.add_error(&format!(
                "resource '{}' already has a {http_method} method",
                self.path()
            ));
        }
        Method::create(
            &self.node,
            http_method,
            MethodProps {
                resource: self.clone(),
                http_method: http_method.to_string(),
                integration,
                options,
            },
            key_order,
        )
    }

    /// Adds a greedy `{proxy+}` resource with an `ANY` method (also added to the root when
    /// this is the root), as aws-cdk-lib's `addProxy`.
    pub fn add_proxy(&self, options: ProxyResourceOptions) -> ProxyResource {
        let resource = self.create_child(
            "{proxy+}",
            ResourceOptions {
                default_integration: options.default_integration,
                default_method_options: options.default_method_options,
                default_cors_preflight_options: options.default_cors_preflight_options,
            },
            true,
        );
        let any_method = options
            .any_method
            .then(|| resource.add_method("ANY", None, MethodOptions::default()));
        ProxyResource {
            resource,
            any_method,
        }
    }
}
