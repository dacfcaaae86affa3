//! [`ServerBuilder`]: the explicit way to assemble a server.

use std::any::TypeId;
use std::fmt;

use crate::completion::CompletionDef;
use crate::prompt::PromptDef;
use crate::registry;
use crate::resource::ResourceDef;
use crate::server::{Server, ServerInfo};
use crate::state::States;
use crate::tool::ToolDef;

/// Assembles a [`Server`] from tools, a name and a version.
///
/// `#[mcp::main]` does this for you with every `#[mcp::tool]` in the program; use the
/// builder in libraries and tests, or to serve a chosen subset.
///
/// ```
/// /// Add two numbers.
/// #[mcp::tool]
/// fn add(a: f64, b: f64) -> f64 {
///     a + b
/// }
///
/// let server = mcp::Server::builder()
///     .name("calculator")
///     .version("1.0.0")
///     .tool(add)
///     .build()
///     .expect("a valid server");
/// assert_eq!(server.info().name, "calculator");
/// ```
#[must_use]
#[derive(Default)]
pub struct ServerBuilder {
    info: ServerInfo,
    tools: Vec<&'static ToolDef>,
    resources: Vec<&'static ResourceDef>,
    prompts: Vec<&'static PromptDef>,
    completions: Vec<&'static CompletionDef>,
    page_size: Option<usize>,
    states: States,
    errors: Vec<String>,
}

/// Everything a server serves, as the builder collected it.
pub(crate) struct Catalogue {
    pub(crate) tools: Vec<&'static ToolDef>,
    pub(crate) resources: Vec<&'static ResourceDef>,
    pub(crate) prompts: Vec<&'static PromptDef>,
    pub(crate) completions: Vec<&'static CompletionDef>,
    pub(crate) page_size: Option<usize>,
    pub(crate) states: States,
}

/// Why a server could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    messages: Vec<String>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.messages.join("\n"))
    }
}

impl std::error::Error for BuildError {}

impl ServerBuilder {
    /// The server's name, reported to clients (default: `mcp-server`).
    pub fn name(mut self, name: impl Into<String>) -> ServerBuilder {
        self.info.name = name.into();
        self
    }

    /// The server's version, reported to clients.
    pub fn version(mut self, version: impl Into<String>) -> ServerBuilder {
        self.info.version = version.into();
        self
    }

    /// Sets the whole identity at once.
    pub fn info(mut self, info: ServerInfo) -> ServerBuilder {
        self.info = info;
        self
    }

    /// A display name.
    pub fn title(mut self, title: impl Into<String>) -> ServerBuilder {
        self.info.title = Some(title.into());
        self
    }

    /// Guidance for the model on how to use this server.
    pub fn instructions(mut self, instructions: impl Into<String>) -> ServerBuilder {
        self.info.instructions = Some(instructions.into());
        self
    }

    /// Shares `value` with every tool, resource and prompt that takes [`State<T>`]
    /// (one value per type).
    ///
    /// [`State<T>`]: crate::State
    pub fn state<T: Send + Sync + 'static>(mut self, value: T) -> ServerBuilder {
        self.states.insert(value);
        self
    }

    /// Adds the values given to [`mcp::provide`](crate::provide).
    pub fn provided_states(mut self) -> ServerBuilder {
        self.states.extend(crate::state::provided());
        self
    }

    /// Splits every list into pages of at most `size` items (default: one page).
    pub fn page_size(mut self, size: usize) -> ServerBuilder {
        self.page_size = (size > 0).then_some(size);
        self
    }

    /// Adds the tool defined by a function annotated with `#[mcp::tool]`.
    ///
    /// Passing a function without the attribute is reported by [`ServerBuilder::build`].
    pub fn tool<F: 'static>(mut self, function: F) -> ServerBuilder {
        let id = TypeId::of::<F>();
        match registry::tools()
            .iter()
            .find(|def| (def.function_id)() == id)
        {
            Some(def) => self.tools.push(def),
            None => self.errors.push(format!(
                "`{}` is not a tool: put #[mcp::tool] on it",
                std::any::type_name_of_val(&function)
            )),
        }
        self
    }

    /// Adds a tool from its descriptor.
    pub fn tool_def(mut self, def: &'static ToolDef) -> ServerBuilder {
        self.tools.push(def);
        self
    }

    /// Adds every `#[mcp::tool]` linked into the program.
    pub fn registered_tools(mut self) -> ServerBuilder {
        self.tools.extend(registry::tools());
        self
    }

    /// Adds the resource defined by a function annotated with `#[mcp::resource]`.
    pub fn resource<F: 'static>(mut self, function: F) -> ServerBuilder {
        let id = TypeId::of::<F>();
        match registry::resources()
            .iter()
            .find(|def| (def.function_id)() == id)
        {
            Some(def) => self.resources.push(def),
            None => self.errors.push(format!(
                "`{}` is not a resource: put #[mcp::resource(uri = \"...\")] on it",
                std::any::type_name_of_val(&function)
            )),
        }
        self
    }

    /// Adds a resource from its descriptor.
    pub fn resource_def(mut self, def: &'static ResourceDef) -> ServerBuilder {
        self.resources.push(def);
        self
    }

    /// Adds every `#[mcp::resource]` linked into the program.
    pub fn registered_resources(mut self) -> ServerBuilder {
        self.resources.extend(registry::resources());
        self
    }

    /// Adds the prompt defined by a function annotated with `#[mcp::prompt]`.
    pub fn prompt<F: 'static>(mut self, function: F) -> ServerBuilder {
        let id = TypeId::of::<F>();
        match registry::prompts()
            .iter()
            .find(|def| (def.function_id)() == id)
        {
            Some(def) => self.prompts.push(def),
            None => self.errors.push(format!(
                "`{}` is not a prompt: put #[mcp::prompt] on it",
                std::any::type_name_of_val(&function)
            )),
        }
        self
    }

    /// Adds a prompt from its descriptor.
    pub fn prompt_def(mut self, def: &'static PromptDef) -> ServerBuilder {
        self.prompts.push(def);
        self
    }

    /// Adds every `#[mcp::prompt]` linked into the program.
    pub fn registered_prompts(mut self) -> ServerBuilder {
        self.prompts.extend(registry::prompts());
        self
    }

    /// Adds a completer from its descriptor.
    pub fn completion_def(mut self, def: &'static CompletionDef) -> ServerBuilder {
        self.completions.push(def);
        self
    }

    /// Adds every `#[mcp::complete]` linked into the program.
    pub fn registered_completions(mut self) -> ServerBuilder {
        self.completions.extend(registry::completions());
        self
    }

    /// Adds everything registered: tools, resources, prompts and completers.
    pub fn registered(self) -> ServerBuilder {
        self.registered_tools()
            .registered_resources()
            .registered_prompts()
            .registered_completions()
    }

    /// Builds the server: schemas and lists are prepared here, once.
    pub fn build(self) -> Result<Server, BuildError> {
        let mut messages = self.errors;
        let catalogue = Catalogue {
            tools: self.tools,
            resources: self.resources,
            prompts: self.prompts,
            completions: self.completions,
            page_size: self.page_size,
            states: self.states,
        };
        messages.extend(meta_errors(&catalogue));
        match Server::new(self.info, catalogue) {
            Ok(server) if messages.is_empty() => Ok(server),
            Ok(_) => Err(BuildError { messages }),
            Err(message) => {
                messages.push(message);
                Err(BuildError { messages })
            }
        }
    }
}

/// Descriptors whose `_meta` text is not a JSON object: hand-written ones (the macros
/// check what they write).
fn meta_errors(catalogue: &Catalogue) -> Vec<String> {
    let tools = catalogue
        .tools
        .iter()
        .map(|def| ("tool", def.name, def.location, def.meta));
    let resources = catalogue
        .resources
        .iter()
        .map(|def| ("resource", def.name, def.location, def.meta));
    let prompts = catalogue
        .prompts
        .iter()
        .map(|def| ("prompt", def.name, def.location, def.meta));
    tools
        .chain(resources)
        .chain(prompts)
        .filter_map(|(kind, name, location, meta)| {
            let error = crate::descriptor::parse_meta(meta?).err()?;
            Some(format!("{kind} `{name}` ({location}): {error}"))
        })
        .collect()
}
